import { AppError } from '../../../shared/contract/errors.js';
import { acceptOrReject } from './acceptRecord.js';
import type { Readable } from 'node:stream';
import type { RequestRecord } from '../../../shared/model/requestRecord.js';
import { stringifyDeep } from '../../store/storedJson.js';
import type { DuplicateKey } from './jsonDuplicateKeys.js';
import { isObject, withNote } from './jsonFields.js';
import { looksLikeHarText, splitPrefix } from './jsonLines.js';
import { mapJsonObject } from './jsonShapes.js';
import { readJsonUnits, type UnitHandler } from './streamedJson.js';
import type { RecordSink, SniffSample, StreamContext, StreamFormat } from './types.js';

/**
 * JSON documents: a top-level array of request objects (each element one unit), a single
 * object (one unit), or several documents one after another, pretty-printed or not. Units are
 * numbered from 1 in the order they appear; that number is the stored line_no.
 */

/** Raw text kept for a rejected unit (the writer keeps 64 KiB of it at most). */
const RAW_LIMIT = 64 * 1024;

export function unitRaw(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    try {
      // Nested too deeply for JSON.stringify: written with a stack of its own.
      text = stringifyDeep(value);
    } catch (again) {
      // Too long for one string: the reason says why, the unit's number says where.
      if (!(again instanceof RangeError)) throw again;
      text = '(a JSON value too long to write out)';
    }
  }
  return text.length > RAW_LIMIT ? text.slice(0, RAW_LIMIT) : text;
}

/** A mapper bug on one hostile unit rejects that unit, as the line importer does for lines. */
export function mapSafely(map: () => RequestRecord | string): RequestRecord | string {
  try {
    return map();
  } catch (err) {
    return `parser error: ${(err as Error).message}`;
  }
}

/**
 * A mapped record with the earlier values of the keys its unit repeated, kept in extra as JSON
 * lines keep them (`_duplicate_keys`, paths from the unit's object).
 */
export function withDuplicates(
  out: RequestRecord | string,
  duplicates: DuplicateKey[] | null,
): RequestRecord | string {
  if (typeof out !== 'string' && duplicates !== null) {
    out.extra = withNote(out.extra, '_duplicate_keys', duplicates);
  }
  return out;
}

export async function readJsonDocuments(
  stream: Readable,
  sink: RecordSink,
  ctx: StreamContext,
): Promise<number> {
  let count = 0;
  let objects = 0;
  let notJson: string | null = null;
  const handler: UnitHandler = {
    classify: (path, kind) => (path.length === 0 && kind === 'array' ? 'descend' : 'unit'),
    unit(value, index, duplicates) {
      count++;
      const lineNo = index + 1;
      if (isObject(value)) objects++;
      if (!isObject(value)) {
        const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
        sink.reject(lineNo, `not a JSON object (${what})`, unitRaw(value));
        return;
      }
      // The mapper decides to reject before it removes any field, so `value` is whole here.
      const out = mapSafely(() => withDuplicates(mapJsonObject(value, ctx.options.tz), duplicates));
      if (typeof out === 'string') sink.reject(lineNo, out, unitRaw(value));
      else acceptOrReject(sink, lineNo, out, () => unitRaw(value));
    },
    broken(index, inUnit, message, context, unreadable) {
      // Broken before any request object (a text log read as JSON): not this format at all.
      if (!inUnit && objects === 0) {
        notJson = message;
        return;
      }
      count++;
      const reason = inUnit
        ? `invalid JSON in element ${index + 1}: ${message}`
        : `invalid JSON after ${index} element(s): ${message}`;
      sink.reject(index + 1, reason, context, unreadable);
    },
  };
  await readJsonUnits(stream, handler, { shouldStop: ctx.shouldStop });
  if (notJson !== null && !ctx.shouldStop()) {
    throw new AppError(
      'BAD_INPUT',
      `not a JSON document of request objects: ${String(notJson)} (is the format right?)`,
    );
  }
  return count;
}

export function sniffJsonDocument(sample: SniffSample): number {
  const text = sample.text.trimStart();
  if (text.startsWith('[')) {
    // "[" then an object, the end of an empty array, or more whitespace.
    return /^\[\s*(\{|\]|$)/.test(text) ? 0.97 : 0.6;
  }
  if (!text.startsWith('{')) return 0;
  if (looksLikeHarText(text)) return 0.3;
  const lines = sample.lines.filter((l) => l.trim() !== '');
  const firstIsWhole = lines.length > 0 && parsesAsObject(lines[0]!);
  if (!firstIsWhole) return 0.9; // pretty-printed: only a document reader can take it
  // One object on one line in a .json file: a document, though JSON lines could read it too.
  if (lines.length === 1 && /\.json$/i.test(sample.fileName)) return 0.97;
  return 0.3;
}

function parsesAsObject(line: string): boolean {
  const split = splitPrefix(line.trim());
  if (!split || split.prefix !== null) return false;
  try {
    return isObject(JSON.parse(split.json));
  } catch {
    return false;
  }
}

export const jsonArrayFormat: StreamFormat = {
  id: 'json',
  label: 'JSON array of request objects, or one JSON object',
  kind: 'stream',
  example:
    '[{"timestamp":"2024-10-10T13:55:36Z","client_ip":"203.0.113.7","method":"GET","url":"/api/users/42?x=1","status":200,"duration_ms":42,"user_agent":"Mozilla/5.0"}]',
  sniff: sniffJsonDocument,
  read: readJsonDocuments,
};
