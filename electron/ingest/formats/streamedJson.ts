import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createHash, type Hash } from 'node:crypto';
import { BigValueReader, MAX_STRING_BYTES, OmittedString } from './bigJsonValue.js';
import { findDuplicateKeysCounted, type DuplicateKey } from './jsonDuplicateKeys.js';

/**
 * Reads a JSON document (or several one after another) as a byte stream and hands over only the
 * values the caller marks as units, one at a time, so a multi-GB array never lives in memory.
 *
 * A byte scanner finds where each unit starts and ends (JSON's structural characters are ASCII,
 * so UTF-8 text never confuses it) and each unit's bytes go to JSON.parse: stream-json's
 * tokenizer alone reads only a few MB/s. A unit bigger than `bigUnitBytes` is instead fed to
 * stream-json piece by piece (bigJsonValue.ts), which keeps any string over the limit out of
 * memory: a HAR entry with a body over V8's string limit still imports.
 *
 * Outside units the scanner is lenient (it tracks nesting, keys and strings, not every comma);
 * each unit is parsed strictly, and a malformed unit is reported without stopping the rest.
 *
 * A malformed object or array unit may also have ended in the wrong place (a stray `}` ends it
 * early, leaving the rest of it behind as what look like keys and values), so after one the
 * scanner resyncs: it skips to where the next unit of the same container starts (see
 * `resyncScan`) and reports the malformed unit and the skipped bytes as one, with their byte
 * range. Every byte is thus either in a unit, in a reported range, or structure between units.
 */

export type JsonPathKey = string | number;
export type ValueKind = 'object' | 'array' | 'scalar';

/**
 * What to do with a value that starts at `path` (keys and array indices from the root; every
 * top-level value of the input has the path []): hand it over whole, look inside, or skip it.
 */
export type Decision = 'unit' | 'descend' | 'skip';

export interface UnitHandler {
  classify(path: readonly JsonPathKey[], kind: ValueKind): Decision;
  /**
   * One unit; `index` counts units from 0 across the whole input. JSON.parse keeps only the
   * last value of a key repeated in one object: `duplicates` holds the earlier ones (paths from
   * the unit), or is null when no key repeats.
   */
  unit(value: unknown, index: number, duplicates: DuplicateKey[] | null): void;
  /**
   * Unit `index` is not valid JSON (`inUnit`, and reading goes on with the next unit; for an
   * object or array its message gives the bytes skipped up to there, `context` their text), or
   * the input breaks outside any unit after `index` units (reading stops there: reported once
   * the input is drained, its message saying which bytes after the break were not read).
   * `unreadable` is true when the report stands for bytes of the input the reader could not
   * read (a damaged stretch skipped, a value cut off, the rest of the input after a break): the
   * import counts those to say part of the source could not be read, whatever the wording.
   */
  broken(
    index: number,
    inUnit: boolean,
    message: string,
    context: string | Buffer,
    unreadable: boolean,
  ): void;
}

/** Text kept of a damaged stretch (as much as the writer stores of a reject's raw text). */
const DAMAGED_KEEP = 64 * 1024;

export interface ReadOptions {
  /** Units bigger than this are built token by token (default: MAX_STRING_BYTES bytes). */
  bigUnitBytes?: number;
  maxStringBytes?: number;
  shouldStop?: () => boolean;
}

interface Frame {
  kind: 'object' | 'array';
  /** This container's own key or index in its parent. */
  at: JsonPathKey;
  /** The key being read (objects) and the next index (arrays). */
  key: string;
  next: number;
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function startsLiteral(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
}

type Mode = 'struct' | 'key' | 'unit' | 'skip' | 'resync';

/**
 * After a malformed object or array unit: where the scanner is in the bytes it skips (see
 * resyncScan). Depths count from the level of the broken unit's container as the scanner saw
 * it; `low` is the shallowest reached, the container's true level once the unit's leftovers
 * have closed.
 */
interface Resync {
  index: number;
  message: string;
  /**
   * Where the broken unit began, and where its damaged stretch ends so far (after the last
   * byte that is not white space or a separating comma; -1 before the first scan), absolute.
   */
  from: number;
  end: number;
  /** Text kept of the stretch: `keptBytes` bytes from `keptFrom` (absolute). */
  keptFrom: number;
  kept: Buffer[];
  keptBytes: number;
  depth: number;
  low: number;
  inString: boolean;
  escaped: boolean;
  /**
   * The last byte seen could precede a unit: nothing yet, a comma or a closing bracket at the
   * lowest level.
   */
  ready: boolean;
}

/** What the current unit or skipped value is: a container, a string, or a number/literal. */
type Shape = 'container' | 'string' | 'literal';

/**
 * Streams `input`, calling `handler` for each unit. Returns normally even when the JSON breaks
 * (reported through `broken`), and always drains the input so the caller's hash of it completes.
 */
export async function readJsonUnits(
  input: Readable,
  handler: UnitHandler,
  opts: ReadOptions = {},
): Promise<void> {
  const bigBytes = opts.bigUnitBytes ?? MAX_STRING_BYTES;
  const maxStrBytes = opts.maxStringBytes ?? MAX_STRING_BYTES;
  const frames: Frame[] = [];
  let mode: Mode = 'struct';
  let shape: Shape = 'container';
  let inString = false;
  let tailBackslashes = 0; // a string's trailing backslashes at the end of the previous chunk
  let depth = 0;
  // Colons outside strings in the current container unit: one per key it holds.
  let colons = 0;
  let start = 0; // where the current unit or key began in this chunk
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let big: BigValueReader | null = null;
  let bigDecoder: StringDecoder | null = null;
  let bigError: string | null = null;
  // A string inside a unit: where its text began (unit offset, before the unit goes big), and
  // once the unit is big, its text held back from the tokenizer (or hashed when too long).
  let strAt = -1;
  let intercepting = false;
  let strPieces: Buffer[] = [];
  let strBytes = 0;
  let strHash: Hash | null = null;
  let strHead = '';
  let units = 0;
  let unitFrom = 0; // where the current unit began (absolute)
  let resync: Resync | null = null;
  let offset = 0; // bytes before the current chunk
  let failed = false;
  let first = true;
  let head = Buffer.alloc(0);
  const stripBom = (b: Buffer): Buffer => {
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      offset += 3;
      return b.subarray(3);
    }
    return b;
  };

  const childPath = (): JsonPathKey[] => {
    const p: JsonPathKey[] = [];
    for (let k = 1; k < frames.length; k++) p.push(frames[k]!.at);
    const top = frames[frames.length - 1];
    if (top) p.push(top.kind === 'array' ? top.next : top.key);
    return p;
  };
  const childDone = (): void => {
    const top = frames[frames.length - 1];
    if (top && top.kind === 'array') top.next++;
  };

  const inBig = (): boolean => big !== null || bigError !== null;
  const keep = (part: Buffer): void => {
    if (part.length === 0) return;
    if (mode === 'unit' && !inBig() && pieceBytes + part.length > bigBytes) {
      big = new BigValueReader();
      bigDecoder = new StringDecoder('utf8');
      const all = Buffer.concat([...pieces, part]);
      pieces = [];
      pieceBytes = 0;
      if (strAt < 0) {
        feedBig(all);
      } else {
        // Mid-string (most likely a huge body): the tokenizer gets the text up to its quote.
        feedBig(all.subarray(0, strAt));
        startIntercept();
        addStrText(all.subarray(strAt));
      }
      strAt = -1;
      return;
    }
    if (big !== null || bigError !== null) {
      feedBig(part);
      return;
    }
    pieces.push(part);
    pieceBytes += part.length;
  };
  const feedBig = (part: Buffer): void => {
    if (big === null) return;
    try {
      big.write(bigDecoder!.write(part));
    } catch (err) {
      bigError = (err as Error).message;
      big = null;
    }
  };
  const startIntercept = (): void => {
    intercepting = true;
    strPieces = [];
    strBytes = 0;
    strHash = null;
    strHead = '';
  };
  const addStrText = (part: Buffer): void => {
    strBytes += part.length;
    if (strHash !== null) {
      strHash.update(part);
      return;
    }
    strPieces.push(part);
    if (strBytes > maxStrBytes) {
      const hash = createHash('sha256');
      for (const p of strPieces) hash.update(p);
      strHead = Buffer.concat(strPieces).subarray(0, 256).toString('utf8');
      strPieces = [];
      strHash = hash;
    }
  };
  const endIntercept = (): void => {
    intercepting = false;
    if (strHash !== null && big !== null) {
      const o = new OmittedString(strBytes, strHash.digest('hex'), strHead);
      feedBig(Buffer.from(big.placeholder(o)));
    } else {
      for (const p of strPieces) feedBig(p);
    }
    strPieces = [];
    strHash = null;
  };
  /** A string opens inside a container unit; its text starts at `at` in `buf`. */
  const openUnitString = (buf: Buffer, at: number): void => {
    if (inBig()) {
      feedBig(buf.subarray(start, at));
      start = at;
      startIntercept();
    } else {
      strAt = pieceBytes + (at - start);
    }
  };
  const closeUnitString = (buf: Buffer, q: number): void => {
    if (intercepting) {
      addStrText(buf.subarray(start, q));
      endIntercept();
      start = q; // the closing quote goes to the tokenizer with what follows
    }
    strAt = -1;
  };
  const takeBytes = (last: Buffer): Buffer => {
    const all = pieces.length === 0 ? last : Buffer.concat([...pieces, last]);
    pieces = [];
    pieceBytes = 0;
    return all;
  };

  const endUnit = (last: Buffer): void => {
    const index = units++;
    mode = 'struct';
    if (big !== null || bigError !== null) {
      keep(last);
      const reader: BigValueReader | null = big;
      const err: string | null = bigError;
      big = null;
      bigError = null;
      let value: unknown;
      try {
        if (reader === null) throw new Error(err ?? 'unreadable value');
        const tail = bigDecoder!.end();
        if (tail) reader.write(tail);
        value = reader.finish();
      } catch (e) {
        // Too big to have been held: the message's byte range says where it is.
        startResync(index, (e as Error).message, null);
        childDone();
        return;
      }
      handler.unit(value, index, reader.duplicates());
      childDone();
      return;
    }
    const bytes = takeBytes(last);
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      if (shape === 'container') startResync(index, (e as Error).message, bytes);
      else handler.broken(index, true, (e as Error).message, text.slice(0, DAMAGED_KEEP), false);
      childDone();
      return;
    }
    // Only an object can repeat a key; a scalar unit has none to count.
    handler.unit(
      value,
      index,
      shape === 'container' ? findDuplicateKeysCounted(text, colons, value) : null,
    );
    childDone();
  };
  /** Unit `index` (an object or array) is malformed; `bytes` is its text when it was held. */
  const startResync = (index: number, message: string, bytes: Buffer | null): void => {
    mode = 'resync';
    const kept = bytes === null ? [] : [bytes.subarray(0, DAMAGED_KEEP)];
    resync = {
      index,
      message,
      from: unitFrom,
      end: -1,
      keptFrom: bytes === null ? -1 : unitFrom,
      kept,
      keptBytes: kept[0]?.length ?? 0,
      depth: 0,
      low: 0,
      inString: false,
      escaped: false,
      ready: true,
    };
  };
  /** Reports the broken unit and the bytes skipped with it; reading resumes at `resumeAt`. */
  const endResync = (resumeAt: number | null): void => {
    const r = resync!;
    resync = null;
    mode = 'struct';
    const last = Math.max(r.end, r.from + 1) - 1;
    const where =
      resumeAt === null
        ? `bytes ${r.from} to ${last} could not be read (the input ends before another value starts)`
        : `bytes ${r.from} to ${last} could not be read; reading resumed at byte ${resumeAt}`;
    const raw = Buffer.concat(r.kept).subarray(0, Math.max(0, r.end - r.keptFrom));
    handler.broken(r.index, true, `${r.message}; ${where}`, raw, true);
  };
  /**
   * Skips the bytes after a malformed unit up to where the next unit of its container starts:
   * a `{` or `[` at the lowest depth reached, right after the unit, a comma or a closing
   * bracket; or up to the container's own `]`, also at that depth. Strings are followed so
   * brackets in them do not count; a raw line break ends one, as no JSON string holds one (a
   * damaged quote then misleads the scan for a line at most). Returns where structure
   * resumes in `buf`, or -1 when all of it was skipped.
   */
  const resyncScan = (buf: Buffer, from: number): number => {
    const r = resync!;
    if (r.end < 0) r.end = offset + from; // where the unit ended
    if (r.keptFrom < 0) r.keptFrom = offset + from;
    let i = from;
    let resume = -1;
    for (; i < buf.length; i++) {
      const c = buf[i]!;
      if (r.inString) {
        if (r.escaped) r.escaped = false;
        else if (c === BACKSLASH) r.escaped = true;
        else if (c === QUOTE) r.inString = false;
        else if (c === 0x0a) {
          // A damaged quote: the line it ended may have held the separator, so what starts
          // the next line may be the next unit.
          r.inString = false;
          r.ready = true;
          continue;
        }
        r.end = offset + i + 1;
        continue;
      }
      if (isSpace(c)) continue;
      if ((c === OPEN_OBJ || c === OPEN_ARR) && r.ready && r.depth === r.low) {
        resume = i;
        break;
      }
      if (c === CLOSE_ARR && r.depth === r.low) {
        resume = i;
        break;
      }
      if (c === COMMA && r.depth === r.low) {
        r.ready = true;
        continue;
      }
      r.end = offset + i + 1;
      r.ready = false;
      if (c === QUOTE) r.inString = true;
      else if (c === OPEN_OBJ || c === OPEN_ARR) r.depth++;
      else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        r.depth--;
        if (r.depth <= r.low) {
          r.low = r.depth;
          r.ready = true;
        }
      }
    }
    const stop = resume < 0 ? buf.length : resume;
    if (r.keptBytes < DAMAGED_KEEP && stop > from) {
      const part = buf.subarray(from, Math.min(stop, from + DAMAGED_KEEP - r.keptBytes));
      r.kept.push(part);
      r.keptBytes += part.length;
    }
    if (resume >= 0) endResync(offset + resume);
    return resume;
  };

  const endKey = (last: Buffer): void => {
    mode = 'struct';
    const raw = takeBytes(last).toString('utf8');
    const top = frames[frames.length - 1];
    if (!top) return;
    try {
      top.key = JSON.parse(`"${raw}"`) as string;
    } catch {
      top.key = raw; // a bad escape in a key outside any unit: match it as written
    }
  };

  // The break outside any unit, reported once the input is drained and its length known.
  let breakAt: { units: number; message: string; byte: number; context: string } | null = null;
  const fail = (message: string, chunk: Buffer, at: number): void => {
    failed = true;
    const context = chunk.subarray(Math.max(0, at - 256), at + 256).toString('utf8');
    breakAt = { units, message, byte: offset + at, context };
  };

  /** Scans one chunk; returns false when the input is broken beyond repair. */
  const scan = (buf: Buffer): boolean => {
    let i = 0;
    const n = buf.length;
    start = 0;
    while (i < n) {
      if (mode === 'resync') {
        const at = resyncScan(buf, i);
        if (at < 0) return true;
        i = at;
        continue;
      }
      if (inString) {
        const q = buf.indexOf(QUOTE, i);
        if (q < 0) {
          let run = 0;
          for (let k = n - 1; k >= i && buf[k] === BACKSLASH; k--) run++;
          tailBackslashes = run === n - i ? tailBackslashes + run : run;
          break;
        }
        let run = 0;
        let k = q - 1;
        while (k >= 0 && buf[k] === BACKSLASH) {
          run++;
          k--;
        }
        if (k < 0) run += tailBackslashes;
        tailBackslashes = 0;
        i = q + 1;
        if (run % 2 === 1) continue; // an escaped quote
        inString = false;
        if (mode === 'unit' && shape === 'container') closeUnitString(buf, q);
        if (mode === 'key') endKey(buf.subarray(start, q));
        else if (shape === 'string') {
          if (mode === 'unit') endUnit(buf.subarray(start, i));
          else {
            mode = 'struct';
            childDone();
          }
        }
        continue;
      }
      if (mode === 'unit' || mode === 'skip') {
        if (shape === 'literal') {
          while (i < n) {
            const c = buf[i]!;
            if (c === COMMA || c === CLOSE_ARR || c === CLOSE_OBJ || isSpace(c)) break;
            i++;
          }
          if (i < n) {
            if (mode === 'unit') endUnit(buf.subarray(start, i));
            else {
              mode = 'struct';
              childDone();
            }
          }
          continue;
        }
        for (; i < n; i++) {
          const c = buf[i]!;
          if (c === QUOTE) {
            inString = true;
            i++;
            if (mode === 'unit') openUnitString(buf, i);
            break;
          }
          if (c === COLON) colons++;
          else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
          else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
            depth--;
            if (depth === 0) {
              i++;
              if (mode === 'unit') endUnit(buf.subarray(start, i));
              else {
                mode = 'struct';
                childDone();
              }
              break;
            }
          }
        }
        continue;
      }
      // Structure outside units.
      const c = buf[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      const top = frames[frames.length - 1];
      if (c === OPEN_OBJ || c === OPEN_ARR) {
        const kind = c === OPEN_OBJ ? 'object' : 'array';
        const path = childPath();
        const d =
          top === undefined || top.kind === 'array' || !top.expectKey
            ? handler.classify(path, kind)
            : null;
        if (d === null) {
          fail('a value where a key was expected', buf, i);
          return false;
        }
        if (d === 'descend') {
          frames.push({
            kind,
            at: path[path.length - 1] ?? '',
            key: '',
            next: 0,
            expectKey: kind === 'object',
          });
        } else {
          mode = d === 'unit' ? 'unit' : 'skip';
          shape = 'container';
          depth = 1;
          colons = 0;
          start = i;
          unitFrom = offset + i;
        }
        i++;
        continue;
      }
      if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (!top || (top.kind === 'object') !== (c === CLOSE_OBJ)) {
          fail(`unexpected "${String.fromCharCode(c)}"`, buf, i);
          return false;
        }
        frames.pop();
        childDone();
        i++;
        continue;
      }
      if (c === COMMA && top) {
        if (top.kind === 'object') top.expectKey = true;
        i++;
        continue;
      }
      if (c === COLON && top && top.kind === 'object') {
        top.expectKey = false;
        i++;
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        tailBackslashes = 0;
        if (top && top.kind === 'object' && top.expectKey) {
          mode = 'key';
          start = i + 1;
        } else {
          mode = handler.classify(childPath(), 'scalar') === 'unit' ? 'unit' : 'skip';
          shape = 'string';
          start = i;
          unitFrom = offset + i;
        }
        i++;
        continue;
      }
      if (startsLiteral(c) && !(top && top.kind === 'object' && top.expectKey)) {
        mode = handler.classify(childPath(), 'scalar') === 'unit' ? 'unit' : 'skip';
        shape = 'literal';
        start = i;
        unitFrom = offset + i;
        continue;
      }
      fail(`unexpected "${String.fromCharCode(c)}"`, buf, i);
      return false;
    }
    if (intercepting) addStrText(buf.subarray(start));
    else if (mode === 'unit' || mode === 'key') keep(buf.subarray(start));
    return true;
  };

  for await (const chunkAny of input as AsyncIterable<Buffer>) {
    let chunk: Buffer = chunkAny;
    if (opts.shouldStop?.()) {
      input.destroy();
      return;
    }
    if (first) {
      // A BOM may arrive split over chunks: hold the first bytes until there are three.
      head = Buffer.concat([head, chunk]);
      if (head.length < 3) continue;
      first = false;
      chunk = stripBom(head);
    }
    // Past a break, keep reading (the importer hashes every byte) and count what is not read.
    if (!failed) scan(chunk);
    offset += chunk.length;
  }
  if (first && head.length > 0) {
    const rest = stripBom(head);
    scan(rest);
    offset += rest.length;
  }
  if (breakAt !== null) {
    const b = breakAt as { units: number; message: string; byte: number; context: string };
    const unread = offset - b.byte;
    handler.broken(
      b.units,
      false,
      `${b.message} at byte ${b.byte}; the rest of the input (${unread === 1 ? '1 byte' : `${unread} bytes`}, ${b.byte} to ${offset - 1}) was not read`,
      b.context,
      true,
    );
    return;
  }
  if (resync !== null) {
    // The damaged stretch runs to the end: the container (and the document) never closes.
    endResync(null);
    return;
  }
  // The scan callbacks change these; read them afresh.
  const endMode = mode as Mode;
  const endShape = shape as Shape;
  if (endMode === 'unit' && endShape === 'literal' && !inString) {
    endUnit(Buffer.alloc(0));
  } else if (endMode === 'unit') {
    // What was read of the cut unit is kept (unless it was too big to hold).
    const held = inBig() ? Buffer.alloc(0) : takeBytes(Buffer.alloc(0));
    handler.broken(
      units,
      true,
      `the input ends inside a value; bytes ${unitFrom} to ${offset - 1} could not be read`,
      held.subarray(0, DAMAGED_KEEP),
      true,
    );
  } else if (endMode !== 'struct' && !(endMode === 'skip' && endShape === 'literal')) {
    handler.broken(units, false, 'the input ends inside a value', '', false);
  } else if (frames.length > 0) {
    handler.broken(units, false, 'the input ends before the document is closed', '', false);
  }
}
