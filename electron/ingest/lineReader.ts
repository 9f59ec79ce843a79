import type { Readable } from 'node:stream';

/** Lines longer than this are rejected whole rather than buffered without bound. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface LineHandler {
  /** `text` has its line ending removed; `raw` is given only when the bytes are not valid UTF-8. */
  line(text: string, lineNo: number, raw: Buffer | null): void;
  /** A line over MAX_LINE_BYTES: its first bytes and true length. */
  tooLong(lineNo: number, head: Buffer, length: number): void;
}

const REPLACEMENT = '\uFFFD';

/**
 * Splits a byte stream into lines (LF or CRLF), numbering them from 1. Decodes UTF-8 a chunk
 * at a time; only chunks that contain invalid bytes take the slow per-line path that keeps the
 * original bytes for evidence.
 */
export async function readLines(
  stream: Readable,
  handler: LineHandler,
  shouldStop?: () => boolean,
): Promise<number> {
  let lineNo = 0;
  let carry: Buffer | null = null;
  let carryLen = 0; // true length of an over-long line being skipped
  let skipping = false;
  let skipHead: Buffer | null = null;

  const emit = (bytes: Buffer): void => {
    lineNo++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const body = bytes.subarray(0, end);
    const text = body.toString('utf8');
    const bad = text.includes(REPLACEMENT) && !isValidUtf8(body);
    handler.line(text, lineNo, bad ? Buffer.from(body) : null);
  };

  for await (const chunkAny of stream as AsyncIterable<Buffer>) {
    const chunk: Buffer = chunkAny;
    if (shouldStop?.()) {
      stream.destroy();
      return lineNo;
    }
    let start = 0;
    if (skipping) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        carryLen += chunk.length;
        continue;
      }
      carryLen += nl;
      lineNo++;
      handler.tooLong(lineNo, skipHead!, carryLen);
      skipping = false;
      skipHead = null;
      carryLen = 0;
      start = nl + 1;
    }
    if (carry) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        if (carry.length + chunk.length - start > MAX_LINE_BYTES) {
          skipping = true;
          skipHead = Buffer.from(carry.subarray(0, 65536));
          carryLen = carry.length + chunk.length - start;
          carry = null;
        } else {
          carry = Buffer.concat([carry, chunk.subarray(start)]);
        }
        continue;
      }
      emit(Buffer.concat([carry, chunk.subarray(start, nl)]));
      carry = null;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(0x0a);
    if (last >= start) {
      fastLines(chunk.subarray(start, last), emit, (t, raw) => {
        lineNo++;
        handler.line(t, lineNo, raw);
      });
      start = last + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (rest.length > MAX_LINE_BYTES) {
        skipping = true;
        skipHead = Buffer.from(rest.subarray(0, 65536));
        carryLen = rest.length;
      } else {
        carry = Buffer.from(rest);
      }
    }
  }
  if (skipping) {
    lineNo++;
    handler.tooLong(lineNo, skipHead!, carryLen);
  } else if (carry && carry.length > 0) {
    emit(carry);
  }
  return lineNo;
}

/** Decodes a run of complete lines at once when it is valid UTF-8, else line by line. */
function fastLines(
  block: Buffer,
  slow: (bytes: Buffer) => void,
  fast: (text: string, raw: null) => void,
): void {
  const text = block.toString('utf8');
  if (text.includes(REPLACEMENT) && !isValidUtf8(block)) {
    let s = 0;
    for (;;) {
      const nl = block.indexOf(0x0a, s);
      if (nl < 0) {
        slow(block.subarray(s));
        return;
      }
      slow(block.subarray(s, nl));
      s = nl + 1;
    }
  }
  let s = 0;
  for (;;) {
    const nl = text.indexOf('\n', s);
    const end = nl < 0 ? text.length : nl;
    const line =
      end > s && text.charCodeAt(end - 1) === 13 ? text.slice(s, end - 1) : text.slice(s, end);
    fast(line, null);
    if (nl < 0) return;
    s = nl + 1;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Buffer): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
