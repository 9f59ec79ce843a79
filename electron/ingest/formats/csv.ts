import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { RequestRecord } from '../../../shared/model/requestRecord.js';
import { readLines } from '../lineReader.js';
import { sniffCombined } from './combined.js';
import {
  assertPlanHasTime,
  CSV_TARGETS,
  planCsvColumns,
  rowToRecord,
  validateMapTargets,
  type CsvPlan,
  type CsvTarget,
  type MappedBy,
} from './csvFieldMap.js';
import { isOwnExportHeader, ownExportRecord } from './csvOwnExport.js';
import { splitRecord, type SplitOptions } from './csvSplit.js';
import type { ParserOptions, RecordSink, SniffSample, StreamFormat } from './types.js';

/*
 * CSV is read as physical lines (the shared line reader: flat memory, exact line numbers, the
 * original bytes of invalid UTF-8 kept as evidence) that are grouped into records by tracking
 * quotes. Each record is then split on its own: the common well-formed case by a small RFC 4180
 * splitter, anything odd by papaparse. Handing the whole stream to papaparse would lose the
 * physical line numbers and bytes, and let one unclosed quote buffer the rest of the file.
 */

const DELIMITERS = [',', '\t', ';', '|'] as const;

/** Lines read before deciding delimiter, header and mapping. */
const SAMPLE_LINES = 200;
const SAMPLE_CHARS = 256 * 1024;
/** Rows the column plan is inferred from. */
const PLAN_ROWS = 50;
/**
 * A quoted field may span lines, but an unclosed quote must not swallow the rest of a multi-GB
 * file: past these limits the opening line is rejected and the lines after it are read afresh.
 */
const MAX_RECORD_LINES = 10_000;
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

interface PhysicalLine {
  text: string;
  lineNo: number;
  /** The line's bytes when they are not valid UTF-8. */
  raw: Buffer | null;
  /** It ended with CR LF: a quoted cell spanning it keeps that break exactly. */
  crlf: boolean;
}

/** One CSV record: one or more physical lines (quoted fields may hold newlines). */
interface CsvRecordText {
  lineNo: number;
  text: string;
  raw: Buffer | null;
}

/**
 * True when `line` ends inside a quoted field, given whether it started inside one. As
 * papaparse does, a quote opens a quoted field only as its first character. It jumps from
 * quote to quote and delimiter to delimiter with indexOf: looking at every character cost
 * about 0.3 s per 1M rows whose user agent is quoted.
 */
export function endsInQuotes(line: string, delim: string, inQuotes: boolean): boolean {
  if (!inQuotes && !line.includes('"')) return false;
  const n = line.length;
  let i = 0;
  for (;;) {
    if (inQuotes) {
      const q = line.indexOf('"', i);
      if (q < 0) return true;
      if (line.charCodeAt(q + 1) === 34) {
        i = q + 2; // an escaped quote
        continue;
      }
      inQuotes = false;
      i = q + 1;
    } else if (i < n && line[i] !== delim && line.charCodeAt(i) === 34) {
      // At a field's start (the line's, or just past a delimiter): a quote opens the field.
      inQuotes = true;
      i++;
      continue;
    }
    // Inside an unquoted field, or past a closing quote: quotes are data until the delimiter.
    const d = line.indexOf(delim, i);
    if (d < 0) return false;
    i = d + 1;
  }
}

/** Groups physical lines into records, bounding how far one open quote can reach. */
class RecordAssembler {
  private pending: PhysicalLine[] = [];
  private pendingChars = 0;

  constructor(
    private readonly delim: string,
    private readonly emit: (r: CsvRecordText) => void,
    private readonly rejectLine: (l: PhysicalLine, reason: string) => void,
  ) {}

  push(line: PhysicalLine): void {
    const inQuotes = this.pending.length > 0;
    if (!endsInQuotes(line.text, this.delim, inQuotes)) {
      if (!inQuotes) {
        this.emit({ lineNo: line.lineNo, text: line.text, raw: line.raw });
        return;
      }
      this.pending.push(line);
      this.emitPending();
      return;
    }
    this.pending.push(line);
    this.pendingChars += line.text.length + 1;
    if (this.pending.length > MAX_RECORD_LINES || this.pendingChars > MAX_RECORD_CHARS) {
      this.breakOpenQuote(`no closing quote within ${MAX_RECORD_LINES} lines or 4 MiB`);
    }
  }

  /** At the end of input an open quote can never close. */
  end(): void {
    while (this.pending.length > 0) this.breakOpenQuote('unterminated quoted field at end of file');
  }

  private emitPending(): void {
    const lines = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    const breakAfter = (l: PhysicalLine): string => (l.crlf ? '\r\n' : '\n');
    const text = lines.map((l, i) => (i > 0 ? breakAfter(lines[i - 1]!) : '') + l.text).join('');
    const anyRaw = lines.some((l) => l.raw !== null);
    const raw = anyRaw
      ? Buffer.concat(
          lines.flatMap((l, i) => [
            ...(i > 0 ? [Buffer.from(breakAfter(lines[i - 1]!))] : []),
            l.raw ?? Buffer.from(l.text, 'utf8'),
          ]),
        )
      : null;
    this.emit({ lineNo: lines[0]!.lineNo, text, raw });
  }

  private breakOpenQuote(reason: string): void {
    const [first, ...rest] = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.rejectLine(first!, reason);
    for (const l of rest) this.push(l);
  }
}

/** A foreign CSV's split: an empty field is '', a quote inside an unquoted field is data. */
const FOREIGN: SplitOptions<''> = { emptyUnquoted: '', bareQuote: 'keep' };

/** Splits one record into cells; a string is a reject reason. */
export function splitCells(text: string, delim: string): string[] | string {
  if (!text.includes('"')) return text.split(delim);
  // Well-formed quoting is split here; null sends the record to papaparse, which decides the
  // odd cases (text after a closing quote, an unclosed quote).
  const fast = splitRecord(text, delim, FOREIGN);
  if (fast) return fast;
  const parsed = Papa.parse<string[]>(text, { delimiter: delim, newline: '\n', quoteChar: '"' });
  const missing = parsed.errors.find((e) => e.code === 'MissingQuotes');
  if (missing) return `malformed quoting: ${missing.message}`;
  if (parsed.data.length !== 1) return 'malformed quoting: record splits into several rows';
  return parsed.data[0]!;
}

/** The delimiter that splits the sample into the most consistent number of fields (≥ 2). */
export function guessDelimiter(lines: readonly string[]): { delim: string; consistency: number } {
  let best: { delim: string; consistency: number; fields: number } = {
    delim: ',',
    consistency: 0,
    fields: 0,
  };
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  for (const delim of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const l of nonEmpty) {
      const cells = splitCells(l, delim);
      const n = typeof cells === 'string' ? 0 : cells.length;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let modal = 0;
    let modalHits = 0;
    for (const [n, hits] of counts) {
      if (hits > modalHits || (hits === modalHits && n > modal)) {
        modal = n;
        modalHits = hits;
      }
    }
    if (modal < 2 || nonEmpty.length === 0) continue;
    const consistency = modalHits / nonEmpty.length;
    if (
      consistency > best.consistency ||
      (consistency === best.consistency && modal > best.fields)
    ) {
      best = { delim, consistency, fields: modal };
    }
  }
  return { delim: best.delim, consistency: best.consistency };
}

/** An Excel "sep=;" first line names the delimiter. */
const SEP_LINE = /^sep=(.)$/;

interface CsvSetup {
  delim: string;
  plan: CsvPlan;
  /** Line number of the header record, when there is one. */
  headerLineNo: number | null;
  /** Sessionscope's own export (exact header, no --map): read back losslessly, see csvOwnExport.ts. */
  ownExport: boolean;
}

/** Decides delimiter and column plan from the first lines (BOM already removed). */
function setUp(head: readonly PhysicalLine[], options: ParserOptions): CsvSetup {
  const sep = head[0] ? SEP_LINE.exec(head[0].text) : null;
  const body = sep ? head.slice(1) : head;
  const delim = sep ? sep[1]! : guessDelimiter(body.map((l) => l.text)).delim;
  const rows: string[][] = [];
  let firstLineNo: number | null = null;
  const asm = new RecordAssembler(
    delim,
    (r) => {
      if (rows.length >= PLAN_ROWS || r.text.trim() === '') return;
      const cells = splitCells(r.text, delim);
      if (typeof cells === 'string') return;
      if (firstLineNo === null) firstLineNo = r.lineNo;
      rows.push(cells);
    },
    () => undefined,
  );
  for (const l of body) asm.push(l);
  const plan = planCsvColumns(rows, options.map);
  const ownExport =
    delim === ',' &&
    Object.keys(options.map ?? {}).length === 0 &&
    rows[0] !== undefined &&
    isOwnExportHeader(rows[0]);
  return { delim, plan, headerLineNo: plan.hasHeader ? firstLineNo : null, ownExport };
}

function toRecord(
  r: CsvRecordText,
  setup: CsvSetup,
  tz: string,
): { record: RequestRecord } | { reason: string } {
  if (r.lineNo === setup.headerLineNo) return { reason: 'header row' };
  if (r.text.trim() === '') return { reason: 'empty line' };
  let out: RequestRecord | string;
  if (setup.ownExport) out = ownExportRecord(r.text);
  else {
    const cells = splitCells(r.text, setup.delim);
    if (typeof cells === 'string') return { reason: cells };
    out = rowToRecord(cells, setup.plan, tz);
  }
  if (typeof out === 'string') return { reason: out };
  if (r.raw) {
    out.extra = {
      ...(out.extra ?? {}),
      _encoding: 'invalid-utf8',
      _raw_base64: r.raw.toString('base64'),
    };
  }
  return { record: out };
}

async function readCsv(
  stream: Readable,
  sink: RecordSink,
  ctx: { options: ParserOptions; shouldStop: () => boolean },
): Promise<number> {
  validateMapTargets(ctx.options.map);
  let units = 0;
  const head: PhysicalLine[] = [];
  let headChars = 0;
  let asm: RecordAssembler | null = null;
  const rejectLine = (l: PhysicalLine, reason: string): void => {
    units++;
    sink.reject(l.lineNo, reason, l.raw ?? l.text);
  };
  const start = (): RecordAssembler => {
    const setup = setUp(head, ctx.options);
    assertPlanHasTime(setup.plan, ctx.options.audience);
    const a = new RecordAssembler(
      setup.delim,
      (r) => {
        units++;
        const out = toRecord(r, setup, ctx.options.tz);
        if ('record' in out) sink.accept(r.lineNo, out.record);
        else sink.reject(r.lineNo, out.reason, r.raw ?? r.text);
      },
      rejectLine,
    );
    let lines = head;
    if (lines[0] && SEP_LINE.test(lines[0].text)) {
      rejectLine(lines[0], 'directive');
      lines = lines.slice(1);
    }
    for (const l of lines) a.push(l);
    head.length = 0;
    return a;
  };
  await readLines(
    stream,
    {
      line(text, lineNo, raw, crlf) {
        if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        const l: PhysicalLine = { text, lineNo, raw, crlf };
        if (asm) {
          asm.push(l);
          return;
        }
        head.push(l);
        headChars += text.length;
        if (head.length >= SAMPLE_LINES || headChars >= SAMPLE_CHARS) asm = start();
      },
      tooLong(lineNo, bytes, length) {
        units++;
        sink.reject(
          lineNo,
          `line longer than the limit (${length} bytes); first ${bytes.length} kept`,
          bytes,
        );
      },
    },
    ctx.shouldStop,
  );
  if (ctx.shouldStop()) return units;
  asm ??= start();
  asm.end();
  return units;
}

// ---- sniffing and the import dialog's preview -----------------------------------------------

function looksLikeJson(lines: readonly string[]): boolean {
  const first = (lines[0] ?? '').trimStart();
  return first.startsWith('{') || first === '[' || first.startsWith('[{');
}

export function sniffCsv(sample: SniffSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0 || looksLikeJson(lines)) return 0;
  // Our own export is known by its header, even when quoted line breaks upset the line counts.
  const first = splitCells(lines[0]!.replace(/^\uFEFF/, ''), ',');
  if (typeof first !== 'string' && isOwnExportHeader(first)) return 1;
  if (lines.some((l) => /^#(Fields|Version|Software):/.test(l))) return 0;
  if (sniffCombined(sample) >= 0.5) return 0;
  const sep = SEP_LINE.exec(lines[0]!);
  const { delim, consistency } = sep ? { delim: sep[1]!, consistency: 1 } : guessDelimiter(lines);
  if (consistency === 0) return 0;
  const rows = lines
    .slice(sep ? 1 : 0)
    .map((l) => splitCells(l, delim))
    .filter((c): c is string[] => typeof c !== 'string');
  let plan: CsvPlan;
  try {
    plan = planCsvColumns(rows, undefined);
  } catch {
    return 0.2 * consistency;
  }
  const named = /\.(csv|tsv|tab)$/i.test(sample.fileName) ? 0.1 : 0;
  if (plan.timeColumns.length > 0) return Math.min(1, 0.5 + 0.4 * consistency + named);
  // A table without a recognisable time: probably CSV, but importing it needs --map.
  if (plan.hasHeader) return 0.35 + named;
  return 0.3 * consistency;
}

export interface CsvMappingPreview {
  delimiter: string;
  hasHeader: boolean;
  columns: { index: number; name: string; field: CsvTarget | null; mappedBy: MappedBy | null }[];
  /** The first data rows as cells, for the mapping table. */
  rows: string[][];
  /** What those rows become with this mapping: a record or a reject reason. */
  preview: ({ lineNo: number; record: RequestRecord } | { lineNo: number; reason: string })[];
  /** Why an import with this mapping would fail (no time column), if it would. */
  problem: string | null;
  targets: typeof CSV_TARGETS;
}

/**
 * The mapping an import of `sampleText` (the start of a file, e.g. its first 64 KiB; text after
 * the last newline is ignored) would use, with the first rows and what they would become, so
 * the import dialog can show it and let the user change `map`. Throws BAD_INPUT only for a
 * `map` naming an unknown column or field.
 */
export function describeCsvMapping(
  sampleText: string,
  options: ParserOptions,
  maxRows = 20,
): CsvMappingPreview {
  const text = sampleText.charCodeAt(0) === 0xfeff ? sampleText.slice(1) : sampleText;
  const parts = text.split('\n');
  // As in makeSniffSample, what follows the last newline may be a line cut by the sample's end.
  if (parts.length > 1) parts.pop();
  const lines: PhysicalLine[] = parts.slice(0, SAMPLE_LINES).map((t, i) => {
    const crlf = t.endsWith('\r');
    return { text: crlf ? t.slice(0, -1) : t, lineNo: i + 1, raw: null, crlf };
  });
  const setup = setUp(lines, options);
  let problem: string | null = null;
  try {
    assertPlanHasTime(setup.plan, options.audience);
  } catch (err) {
    problem = (err as Error).message;
  }
  const rows: string[][] = [];
  const preview: CsvMappingPreview['preview'] = [];
  const asm = new RecordAssembler(
    setup.delim,
    (r) => {
      if (preview.length >= maxRows) return;
      const cells = splitCells(r.text, setup.delim);
      if (r.lineNo !== setup.headerLineNo && typeof cells !== 'string') rows.push(cells);
      if (problem !== null) return;
      const out = toRecord(r, setup, options.tz);
      preview.push({ lineNo: r.lineNo, ...out } as CsvMappingPreview['preview'][number]);
    },
    (l, reason) => {
      if (preview.length < maxRows) preview.push({ lineNo: l.lineNo, reason });
    },
  );
  for (const l of lines) asm.push(l);
  return {
    delimiter: setup.delim,
    hasHeader: setup.plan.hasHeader,
    columns: setup.plan.columns.map((c) => ({
      index: c.index,
      name: c.name,
      field: c.target,
      mappedBy: c.mappedBy,
    })),
    rows: rows.slice(0, maxRows),
    preview,
    problem,
    targets: CSV_TARGETS,
  };
}

export const csvFormat: StreamFormat = {
  id: 'csv',
  label: 'CSV / TSV with a header row or recognisable columns',
  kind: 'stream',
  example:
    'timestamp,client_ip,method,url,status,request_time,bytes,user_agent\n2024-10-10T13:55:36Z,203.0.113.7,GET,/api/users/42?x=1,200,0.042,512,Mozilla/5.0',
  sniff: sniffCsv,
  read: readCsv,
};
