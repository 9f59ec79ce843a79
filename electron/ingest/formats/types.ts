import type { Readable } from 'node:stream';
import type { RequestRecord } from '../../../shared/model/requestRecord.js';

/** Options a user can give for parsing a source (CLI flags, import dialog). */
export interface ParserOptions {
  /** nginx log_format string, for the `nginx` format. */
  logFormat?: string;
  /** Column → field overrides for CSV (`--map column=field`). */
  map?: Record<string, string>;
  /** Zone for timestamps without an offset ('UTC' or an IANA name). */
  tz: string;
  /**
   * Host given to accepted records that name none (already checked and lower case). Parsers
   * ignore it: it is applied where every format's records are accepted (parseSource).
   */
  assumeHost?: string;
  /**
   * Who reads the messages: the CLI's name its flags (--map), the app's its controls (the
   * import form's column table). Default: the CLI.
   */
  audience?: 'cli' | 'app';
}

/** A parser for formats with one record per line: returns the record, or a reject reason. */
export interface LineParser {
  parse(line: string, lineNo: number): RequestRecord | string;
}

/** Where a streaming parser hands its results; each unit read must produce exactly one call. */
export interface RecordSink {
  accept(lineNo: number, record: RequestRecord): void;
  /**
   * `unreadable`: the reject stands for bytes of the source the reader could not read (see
   * UnitHandler.broken), counted for the import's warning apart from its reason's wording.
   */
  reject(lineNo: number, reason: string, raw: string | Buffer, unreadable?: boolean): void;
}

export interface StreamContext {
  options: ParserOptions;
  shouldStop: () => boolean;
}

export interface SniffSample {
  /** The first bytes decoded as UTF-8 (BOM removed). */
  text: string;
  /** Its first complete lines (at most 20), CR removed. */
  lines: string[];
  fileName: string;
  /** The same bytes undecoded, to say why a file that is not UTF-8 text matched no format. */
  head?: Uint8Array;
}

interface FormatBase {
  id: string;
  label: string;
  /** An example line for the README and the import dialog. */
  example: string;
  /** 0 = not this format, 1 = certainly this format. */
  sniff(sample: SniffSample): number;
}

export interface LineFormat extends FormatBase {
  kind: 'line';
  createParser(options: ParserOptions): LineParser;
}

export interface StreamFormat extends FormatBase {
  kind: 'stream';
  /** Reads the whole (decompressed) stream; returns the number of units read. */
  read(stream: Readable, sink: RecordSink, ctx: StreamContext): Promise<number>;
}

export type FormatDef = LineFormat | StreamFormat;
