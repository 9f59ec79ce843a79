import type { RequestRecord } from '../../../shared/model/requestRecord.js';
import { findDuplicateKeys } from './jsonDuplicateKeys.js';
import { isObject, withNote, type JsonObject } from './jsonFields.js';
import { explainJsonShape, mapJsonObject, type ShapeExplanation } from './jsonShapes.js';
import type { LineFormat, LineParser, ParserOptions, SniffSample } from './types.js';

/**
 * A prefix some tools put before each JSON object: `docker compose logs` ("caddy  | "),
 * `kubectl logs --timestamps` ("2024-05-01T10:00:00.123Z "), syslog ("May  1 10:00:00 host app: ").
 * Only a short prefix before a line that ends in "}" is tried.
 */
const MAX_PREFIX = 200;

export interface SplitLine {
  prefix: string | null;
  json: string;
}

export function splitPrefix(line: string): SplitLine | null {
  const start = line.indexOf('{');
  if (start < 0 || start > MAX_PREFIX) return null;
  if (start > 0 && !line.trimEnd().endsWith('}')) return null;
  return { prefix: start === 0 ? null : line.slice(0, start), json: line.slice(start) };
}

type Parsed = { obj: JsonObject; prefix: string | null; json: string } | string;

function parseObjectLine(line: string): Parsed {
  const text = line.trim();
  if (text === '') return 'empty line';
  if (text[0] === '[') return 'not a JSON object: the line is a JSON array';
  const split = splitPrefix(text);
  if (!split) return 'not a JSON object';
  let value: unknown;
  try {
    value = JSON.parse(split.json);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message.slice(0, 120)}`;
  }
  if (!isObject(value)) return 'not a JSON object';
  return { obj: value, prefix: split.prefix, json: split.json };
}

export function createJsonLinesParser(options: ParserOptions): LineParser {
  return {
    parse(line: string): RequestRecord | string {
      const parsed = parseObjectLine(line);
      if (typeof parsed === 'string') return parsed;
      // Before mapping, which removes the fields it takes from the object.
      const duplicates = findDuplicateKeys(parsed.json, parsed.obj);
      const out = mapJsonObject(parsed.obj, options.tz);
      if (typeof out === 'string') return out;
      if (parsed.prefix !== null) out.extra = withNote(out.extra, '_line_prefix', parsed.prefix);
      if (duplicates !== null) out.extra = withNote(out.extra, '_duplicate_keys', duplicates);
      return out;
    },
  };
}

/** For the CLI: which shape a line matched and which key filled which field. */
export function explainJsonLine(line: string, tz: string): ShapeExplanation | string {
  const parsed = parseObjectLine(line);
  return typeof parsed === 'string' ? parsed : explainJsonShape(parsed.obj, tz);
}

/** A HAR (or any object with a log.entries array) is one document, never a line stream. */
export function looksLikeHarText(text: string): boolean {
  return /^\s*\{\s*"log"\s*:\s*\{/.test(text);
}

export function sniffJsonLines(sample: SniffSample): number {
  if (looksLikeHarText(sample.text)) return 0;
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  let objects = 0;
  for (const l of lines) {
    const p = parseObjectLine(l);
    if (typeof p !== 'string' && !isObject(p.obj.log)) objects++;
  }
  // Container logs mix JSON records with plain-text lines, so a good share of objects is
  // enough; the top stays below the HAR and JSON-document sniffers' certainty.
  const share = objects / lines.length;
  if (objects >= 2 && share >= 0.3) return 0.95 * (0.5 + 0.5 * share);
  return 0.95 * share;
}

export const jsonLinesFormat: LineFormat = {
  id: 'jsonl',
  label: 'JSON lines (Caddy, Envoy, Traefik, Cloudflare, ECS, generic)',
  kind: 'line',
  example:
    '{"ts":1716723772.601,"request":{"client_ip":"203.0.113.7","method":"GET","host":"example.com","uri":"/api/users/42?x=1","proto":"HTTP/2.0","headers":{"User-Agent":["Mozilla/5.0"]}},"status":200,"size":512,"duration":0.042}',
  sniff: sniffJsonLines,
  createParser: createJsonLinesParser,
};
