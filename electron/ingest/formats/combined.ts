import { emptyRecord, type RequestRecord } from '../../../shared/model/requestRecord.js';
import { parseClfTime } from '../../../shared/time/parseTime.js';
import { applyRequestLine, dash, intOrNull, unescapeQuoted } from './requestLine.js';
import type { LineFormat, LineParser, ParserOptions, SniffSample } from './types.js';

// host ident user [time] "request" status bytes ["referer" "ua"] [trailing fields]
const CLF_LINE =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/;

const TRAILING_TOKEN = /\s*("((?:[^"\\]|\\.)*)"|\S+)/g;

function parseTrailing(rec: RequestRecord, rest: string): void {
  if (rest.trim() === '') return;
  const extra: Record<string, unknown> = rec.extra ?? {};
  const fields: string[] = [];
  TRAILING_TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TRAILING_TOKEN.exec(rest)) !== null) {
    fields.push(m[2] !== undefined ? unescapeQuoted(m[2]) : m[1]!);
  }
  for (const f of fields) {
    // $request_time (seconds with a fraction) is the usual first trailing field.
    if (rec.latencyMs === null && /^\d+\.\d+$/.test(f)) {
      rec.latencyMs = Number(f) * 1000;
    } else if (
      rec.xff === null &&
      /^[0-9a-fA-F.:]+(?:, *[0-9a-fA-F.:]+)*$/.test(f) &&
      /[.:]/.test(f)
    ) {
      rec.xff = f;
    }
  }
  extra.trailing = fields;
  rec.extra = extra;
}

export function createCombinedParser(options: ParserOptions): LineParser {
  return {
    parse(line: string): RequestRecord | string {
      let text = line;
      // Some exporters wrap every line in one more pair of quotes.
      if (
        text.length > 1 &&
        text[0] === '"' &&
        text[text.length - 1] === '"' &&
        /^"\S+ \S+ /.test(text)
      ) {
        text = text.slice(1, -1);
      }
      if (text.trim() === '') return 'empty line';
      const m = CLF_LINE.exec(text);
      if (!m) return classifyFailure(text);
      const tsUs = parseClfTime(m[4]!, options.tz);
      if (tsUs === null) return `bad timestamp: ${m[4]!.slice(0, 40)}`;
      const rec = emptyRecord();
      rec.tsUs = tsUs;
      rec.ip = m[1]!;
      const ident = dash(m[2]);
      const user = dash(m[3]);
      if (ident !== null || user !== null) rec.extra = { ident, remote_user: user };
      if (user !== null) rec.srcUser = user;
      applyRequestLine(rec, unescapeQuoted(m[5]!));
      rec.status = intOrNull(m[6]);
      rec.respBytes = intOrNull(m[7]);
      if (m[8] !== undefined) rec.referer = dash(unescapeQuoted(m[8]));
      if (m[9] !== undefined) rec.userAgent = dash(unescapeQuoted(m[9]));
      if (m[10]) parseTrailing(rec, m[10]);
      return rec;
    },
  };
}

function classifyFailure(text: string): string {
  if (!/\[[^\]]+\]/.test(text)) return 'not an access log line: no [time] field';
  const quotes = (text.replace(/\\./g, '').match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return 'unterminated quoted field';
  return 'does not match the combined/common layout';
}

const SNIFF = /^"?\S+ \S+ \S+ \[\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2}[^\]]*\] "/;

export function sniffCombined(sample: SniffSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  const hits = lines.filter((l) => SNIFF.test(l)).length;
  return hits / lines.length;
}

export const combinedFormat: LineFormat = {
  id: 'combined',
  label: 'nginx/Apache combined or common',
  kind: 'line',
  example:
    '203.0.113.7 - alice [10/Oct/2024:13:55:36 +0200] "GET /api/users/42?x=1 HTTP/1.1" 200 512 "https://example.com/" "Mozilla/5.0" 0.042',
  sniff: sniffCombined,
  createParser: createCombinedParser,
};
