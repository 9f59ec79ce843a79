import { acceptOrReject } from './acceptRecord.js';
import type { Readable } from 'node:stream';
import { AppError } from '../../../shared/contract/errors.js';
import { LISTED_SET_COOKIE } from '../../../shared/analysis/sessionKeys.js';
import {
  emptyRecord,
  fillTarget,
  type RequestRecord,
} from '../../../shared/model/requestRecord.js';
import {
  asCount,
  asHeaders,
  asMethod,
  asNum,
  asProtocol,
  asStatus,
  asStr,
  asTime,
  extraWithNotes,
  FieldTaker,
  headerJoiner,
  isObject,
  type JsonObject,
} from './jsonFields.js';
import type { TimeReading } from '../../../shared/time/parseTime.js';
import { mapSafely, unitRaw, withDuplicates } from './jsonArray.js';
import { fillFromHeaders } from './jsonShapes.js';
import { readJsonUnits, type UnitHandler, type ValueKind } from './streamedJson.js';
import type { RecordSink, SniffSample, StreamContext, StreamFormat } from './types.js';

/**
 * HAR 1.2 (browser and proxy exports). Only `log.entries` is read, one entry at a time, so a HAR
 * bigger than V8's string limit imports; `pages` and the rest of `log` are skipped. Each entry is
 * one unit numbered from 1 (its stored line_no). The client IP is not in a HAR: ip stays null.
 */

/** Maps one HAR entry (mutated: mapped fields are removed; the rest becomes `extra`). */
export function mapHarEntry(entry: JsonObject, tz: string): RequestRecord | string {
  const ft = new FieldTaker(entry);
  const reading: TimeReading = { zoneAssumed: false };
  const started = ft.peek(['startedDateTime'], asTime(tz, reading));
  if (!started) {
    const raw = entry.startedDateTime;
    return raw === undefined
      ? 'HAR entry has no startedDateTime'
      : `unreadable startedDateTime: ${(JSON.stringify(raw) ?? '').slice(0, 60)}`;
  }
  const request = entry.request;
  const response = entry.response;
  if (!isObject(request)) return 'HAR entry has no request object';

  const rec = emptyRecord();
  ft.consume(started.ref, 'tsUs');
  rec.tsUs = started.value;
  // HAR 1.2 asks for an ISO 8601 time with its offset; an exporter that left it out was read in tz.
  if (reading.zoneAssumed) rec.zoneAssumed = true;
  rec.method = ft.take(['request.method'], asMethod, 'method');
  const url = ft.take(['request.url'], asStr, 'url');
  // Credentials in the URL go to extra.userinfo, not into the host (fillTarget).
  if (url !== null) fillTarget(rec, url);
  rec.protocol = ft.take(['request.httpVersion'], asProtocol, 'protocol');
  rec.headers = ft.take(['request.headers'], asHeaders, 'headers');
  rec.reqBytes = ft.take(['request.bodySize'], asCount, 'reqBytes');
  rec.reqBody = ft.take(['request.postData.text'], asStr, 'reqBody');
  // queryString is the URL's query split up by the exporter; the query column holds it whole.
  dropIf(request, 'queryString', (v) => isEmptyList(v) || (rec.query !== null && Array.isArray(v)));
  dropIf(request, 'cookies', isEmptyList);
  dropIf(request, 'headers', isEmptyList);
  if (isObject(request.postData)) dropIf(request.postData, 'params', isEmptyList);

  if (isObject(response)) {
    rec.status = ft.take(['response.status'], asStatus, 'status');
    rec.respHeaders = ft.take(['response.headers'], asHeaders, 'respHeaders');
    rec.respBody = ft.take(['response.content.text'], asStr, 'respBody');
    rec.respBytes = ft.take(['response.bodySize'], asCount, 'respBytes');
    if (rec.respBytes === null) {
      // bodySize is what crossed the wire; when unknown, the decoded size is the best figure.
      const size = ft.peek(['response.content.size'], asCount);
      if (size) {
        rec.respBytes = size.value;
        ft.noteUse(size.ref, 'respBytes', 'content.size, as bodySize is unknown');
      }
    }
    dropIf(response, 'cookies', isEmptyList);
    dropIf(response, 'headers', isEmptyList);
    // Exporters that list cookies only parsed (no Set-Cookie header) still issued them: a
    // session key set there links the login to the requests that present it. They are kept
    // under a name that says where they came from (never as a header the server did not send),
    // and the list itself stays in extra as the file wrote it.
    if (rec.respHeaders === null || !Object.hasOwn(rec.respHeaders, 'set-cookie')) {
      const set = setCookiesFromList(response.cookies);
      if (set !== null) rec.respHeaders = { ...rec.respHeaders, [LISTED_SET_COOKIE]: set };
    }
  }
  rec.latencyMs = ft.take(['time'], (v) => nonNegative(asNum(v)), 'latencyMs');
  dropIf(entry, 'cache', (v) => isObject(v) && Object.keys(v).length === 0);
  if (rec.headers === null || !Object.hasOwn(rec.headers, 'cookie')) {
    rec.cookies = cookiesFromList(request.cookies);
  }
  fillFromHeaders(rec);
  unknownSizesToNull(request);
  if (isObject(response)) {
    unknownSizesToNull(response);
    if (isObject(response.content)) unknownSizesToNull(response.content);
  }
  // What the entry holds beyond the mapped fields, and what mapping kept aside (userinfo).
  rec.extra = extraWithNotes(ft.rest(), rec.extra);
  return rec;
}

function nonNegative(n: number | null): number | null {
  return n !== null && n >= 0 ? n : null;
}

function isEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

function dropIf(obj: JsonObject, key: string, test: (v: unknown) => boolean): void {
  if (Object.hasOwn(obj, key) && test(obj[key])) delete obj[key];
}

/** HAR writes -1 for "unknown" sizes; extra says null, which is what it means. */
function unknownSizesToNull(obj: JsonObject): void {
  for (const k of ['headersSize', 'bodySize', 'size', '_transferSize']) {
    if (obj[k] === -1) obj[k] = null;
  }
}

/** A Cookie header rebuilt from HAR's cookie list, for exports that list cookies only there. */
function cookiesFromList(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  const parts: string[] = [];
  for (const c of list) {
    if (isObject(c) && typeof c.name === 'string' && typeof c.value === 'string') {
      parts.push(`${c.name}=${c.value}`);
    }
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Set-Cookie values rebuilt from HAR's response cookie list (attributes as listed). */
function setCookiesFromList(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  const lines: string[] = [];
  for (const c of list) {
    if (!isObject(c) || typeof c.name !== 'string' || typeof c.value !== 'string') continue;
    const parts = [`${c.name}=${c.value}`];
    for (const [key, attr] of [
      ['path', 'Path'],
      ['domain', 'Domain'],
      ['expires', 'Expires'],
      ['sameSite', 'SameSite'],
    ] as const) {
      const v = c[key];
      if (typeof v === 'string' && v !== '') parts.push(`${attr}=${v}`);
    }
    if (c.httpOnly === true) parts.push('HttpOnly');
    if (c.secure === true) parts.push('Secure');
    lines.push(parts.join('; '));
  }
  return lines.length > 0 ? lines.join(headerJoiner('set-cookie')) : null;
}

export async function readHar(
  stream: Readable,
  sink: RecordSink,
  ctx: StreamContext,
): Promise<number> {
  let count = 0;
  let sawEntries = false;
  let brokenEarly: string | null = null;
  // What the input begins with: a HAR file is one JSON object.
  let firstKind: ValueKind | null = null;
  const handler: UnitHandler = {
    classify(path, kind) {
      if (path.length === 0) {
        firstKind ??= kind;
        // Only the first document counts; anything after it is not part of the HAR.
        return kind === 'object' && count === 0 && !sawEntries ? 'descend' : 'skip';
      }
      if (path.length === 1) return path[0] === 'log' && kind === 'object' ? 'descend' : 'skip';
      if (path.length === 2) {
        if (path[1] !== 'entries' || kind !== 'array') return 'skip';
        sawEntries = true;
        return 'descend';
      }
      return path.length === 3 ? 'unit' : 'skip';
    },
    unit(value, index, duplicates) {
      count++;
      const lineNo = index + 1;
      if (!isObject(value)) {
        sink.reject(lineNo, 'HAR entry is not an object', unitRaw(value));
        return;
      }
      const out = mapSafely(() => withDuplicates(mapHarEntry(value, ctx.options.tz), duplicates));
      if (typeof out === 'string') sink.reject(lineNo, out, unitRaw(value));
      else acceptOrReject(sink, lineNo, out, () => unitRaw(value));
    },
    broken(index, inUnit, message, context, unreadable) {
      if (!sawEntries) {
        brokenEarly = message;
        return;
      }
      count++;
      const reason = inUnit
        ? `HAR entry ${index + 1} is cut off or malformed: ${message}`
        : `invalid JSON after ${index} HAR entries: ${message}`;
      sink.reject(index + 1, reason, context, unreadable);
    },
  };
  await readJsonUnits(stream, handler, { shouldStop: ctx.shouldStop });
  if (ctx.shouldStop()) return count;
  if (!sawEntries && firstKind !== null && firstKind !== 'object') {
    const what = firstKind === 'array' ? 'an array' : 'a value that is not an object';
    throw new AppError('BAD_INPUT', `not a HAR file: it begins with ${what}, not a JSON object`);
  }
  if (brokenEarly !== null) {
    throw new AppError('BAD_INPUT', `not a readable HAR file: ${String(brokenEarly)}`);
  }
  if (!sawEntries) throw new AppError('BAD_INPUT', 'not a HAR file: no log.entries array');
  return count;
}

/**
 * The sample is only the first 64 KiB, so `"entries"` may lie beyond it (after `pages`): a
 * leading `"log"` object with `"version"` or `"creator"` is enough.
 */
export function sniffHar(sample: SniffSample): number {
  const text = sample.text;
  const har = /\.har$/i.test(sample.fileName);
  if (!/^\s*\{/.test(text)) return 0;
  const logFirst = /^\s*\{\s*"log"\s*:\s*\{/.test(text);
  const marks = ['"version"', '"creator"', '"entries"', '"startedDateTime"'].filter((m) =>
    text.includes(m),
  ).length;
  if (logFirst && marks >= 1) return 0.99;
  if (text.includes('"log"') && marks >= 2) return 0.9;
  return har ? 0.6 : 0;
}

export const harFormat: StreamFormat = {
  id: 'har',
  label: 'HAR 1.2 (browser / proxy export)',
  kind: 'stream',
  example:
    '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[{"startedDateTime":"2023-03-30T00:00:54.250Z","time":14.7,"request":{"method":"GET","url":"https://example.com/","httpVersion":"HTTP/2","headers":[],"cookies":[],"queryString":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"","httpVersion":"HTTP/2","headers":[],"cookies":[],"content":{"size":0,"mimeType":"text/html"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":10,"receive":4.7}}]}}',
  sniff: sniffHar,
  read: readHar,
};
