import { AppError } from '../../../shared/contract/errors.js';
import { combinedFormat } from './combined.js';
import { csvFormat } from './csv.js';
import { w3cFormat } from './w3c.js';
import { albFormat } from './alb.js';
import { harFormat } from './har.js';
import { haproxyFormat } from './haproxy.js';
import { jsonArrayFormat } from './jsonArray.js';
import { jsonLinesFormat } from './jsonLines.js';
import { nginxFormat } from './nginxLogFormat.js';
import type { FormatDef, SniffSample } from './types.js';
import { apiSpec, unrecognisedMessage } from './unrecognised.js';

/** Every format Sessionscope reads, in the order sniffing breaks ties. */
export const FORMATS: readonly FormatDef[] = [
  combinedFormat,
  csvFormat,
  w3cFormat,
  albFormat,
  harFormat,
  jsonArrayFormat,
  jsonLinesFormat,
  nginxFormat,
  haproxyFormat,
];

export function formatById(id: string): FormatDef {
  const f = FORMATS.find((x) => x.id === id);
  if (!f) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown format "${id}". Known formats: ${FORMATS.map((x) => x.id).join(', ')}`,
    );
  }
  return f;
}

export function makeSniffSample(head: Buffer, fileName: string): SniffSample {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parts = text.split('\n');
  if (parts.length > 1) parts.pop(); // the last part may be cut mid-line
  const lines = parts.slice(0, 20).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  return { text, lines, fileName, head };
}

export interface SniffResult {
  format: FormatDef;
  confidence: number;
  scores: { id: string; score: number }[];
}

/**
 * Picks the format whose sniffer is most confident; fails saying what was tried and, when the
 * bytes tell, what the file is instead (UTF-16 text, raw HTTP requests, an API description,
 * binary data), worded for `audience` (the CLI's --format, the app's import form).
 */
export function sniffFormat(sample: SniffSample, audience: 'cli' | 'app' = 'cli'): SniffResult {
  const scores = FORMATS.map((f) => ({ id: f.id, score: safeSniff(f, sample) }));
  let best = -1;
  for (let i = 0; i < scores.length; i++) {
    if (best < 0 || scores[i]!.score > scores[best]!.score) best = i;
  }
  // A JSON API description is a JSON document, which the JSON format would take as one record.
  if (best < 0 || scores[best]!.score < 0.5 || apiSpec(sample.text) !== null) {
    const tried = scores.map((s) => `${s.id} ${(s.score * 100).toFixed(0)}%`).join(', ');
    throw new AppError('UNKNOWN_FORMAT', unrecognisedMessage(sample, tried, audience));
  }
  return { format: FORMATS[best]!, confidence: scores[best]!.score, scores };
}

function safeSniff(f: FormatDef, sample: SniffSample): number {
  try {
    const s = f.sniff(sample);
    return Number.isFinite(s) ? Math.max(0, Math.min(1, s)) : 0;
  } catch {
    return 0;
  }
}
