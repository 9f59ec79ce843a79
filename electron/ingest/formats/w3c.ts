import {
  emptyRecord,
  fillTarget,
  type RequestRecord,
} from '../../../shared/model/requestRecord.js';
import { parseIsoTime, type TimeReading } from '../../../shared/time/parseTime.js';
import type { LineFormat, LineParser, ParserOptions, SniffSample } from './types.js';

/** The fields IIS writes when nobody changed its logging settings (IIS 7 to 10). */
export const IIS_DEFAULT_FIELDS = [
  'date',
  'time',
  's-ip',
  'cs-method',
  'cs-uri-stem',
  'cs-uri-query',
  's-port',
  'cs-username',
  'c-ip',
  'cs(User-Agent)',
  'cs(Referer)',
  'sc-status',
  'sc-substatus',
  'sc-win32-status',
  'time-taken',
] as const;

type Setter = (rec: RequestRecord, v: string, spaced: boolean) => void;

/** IIS writes a space inside a value as '+'; tab-separated logs (CloudFront) do not. */
const unplus = (v: string, spaced: boolean): string => (spaced ? v.replace(/\+/g, ' ') : v);

/**
 * time-taken is milliseconds in IIS (an integer) and seconds in CloudFront and the W3C draft
 * (always with a decimal point there), so the decimal point decides.
 */
function timeTaken(v: string): number | null {
  if (/^\d+$/.test(v)) return Number(v);
  if (/^\d*\.\d+$/.test(v)) return Number(v) * 1000;
  return null;
}

function count(v: string): number | null {
  return /^\d{1,15}$/.test(v) ? Number(v) : null;
}

function addExtra(rec: RequestRecord, key: string, v: string): void {
  rec.extra = { ...(rec.extra ?? {}), [key]: v };
}

/** Field name (lower case) → where its value goes. Unknown names go to extra. */
const SETTERS: Record<string, Setter> = {
  'c-ip': (r, v) => (r.ip = v),
  'cs-method': (r, v) => (r.method = v.toUpperCase()),
  'cs-uri-stem': (r, v) => (r.path = v),
  'cs-uri-query': (r, v) => (r.query = v),
  'cs-uri': (r, v) => fillTarget(r, v),
  'cs-host': (r, v) => (r.host = v),
  'cs(host)': (r, v) => (r.host = v),
  'x-host-header': (r, v) => (r.host = v),
  'cs-protocol': (r, v) => (r.scheme = v.toLowerCase()),
  'cs-version': (r, v) => (r.protocol = v),
  'cs-protocol-version': (r, v) => (r.protocol = v),
  'sc-status': (r, v) => {
    const n = count(v);
    if (n === null || n > 999) addExtra(r, 'sc-status', v);
    else r.status = n;
  },
  'time-taken': (r, v) => {
    const ms = timeTaken(v);
    if (ms === null) addExtra(r, 'time-taken', v);
    else r.latencyMs = ms;
  },
  'sc-bytes': (r, v) => {
    r.respBytes = count(v);
    if (r.respBytes === null) addExtra(r, 'sc-bytes', v);
  },
  'cs-bytes': (r, v) => {
    r.reqBytes = count(v);
    if (r.reqBytes === null) addExtra(r, 'cs-bytes', v);
  },
  'cs-username': (r, v) => (r.srcUser = v),
  'cs(user-agent)': (r, v, spaced) => (r.userAgent = unplus(v, spaced)),
  'cs(referer)': (r, v) => (r.referer = v),
  'cs(cookie)': (r, v, spaced) => (r.cookies = unplus(v, spaced)),
  'cs(x-forwarded-for)': (r, v, spaced) => (r.xff = unplus(v, spaced)),
  'x-forwarded-for': (r, v, spaced) => (r.xff = unplus(v, spaced)),
  'x-edge-request-id': (r, v) => (r.requestId = v),
  'cs(x-request-id)': (r, v) => (r.requestId = v),
};

function setterFor(field: string): Setter {
  const name = field.toLowerCase();
  const known = SETTERS[name];
  if (known) return known;
  // Other request / response headers the log was configured to record.
  const header = /^(cs|sc)\((.+)\)$/.exec(name);
  if (header) {
    const h = header[2]!;
    return header[1] === 'cs'
      ? (r, v, spaced) => (r.headers = { ...(r.headers ?? {}), [h]: unplus(v, spaced) })
      : (r, v, spaced) => (r.respHeaders = { ...(r.respHeaders ?? {}), [h]: unplus(v, spaced) });
  }
  return (r, v) => addExtra(r, field, v);
}

interface Layout {
  fields: string[];
  setters: Setter[];
  dateAt: number;
  timeAt: number;
}

function compile(fields: string[]): Layout {
  const lower = fields.map((f) => f.toLowerCase());
  return {
    fields,
    setters: fields.map(setterFor),
    dateAt: lower.indexOf('date'),
    timeAt: lower.indexOf('time'),
  };
}

const QUOTED_OR_BARE = /"((?:[^"]|"")*)"|(\S+)/g;

/** Tab-separated when there is a tab; else space-separated with W3C "quoted ""strings""". */
function splitValues(line: string): { values: string[]; spaced: boolean } {
  if (line.includes('\t')) return { values: line.split('\t'), spaced: false };
  const values: string[] = [];
  QUOTED_OR_BARE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = QUOTED_OR_BARE.exec(line)) !== null) {
    values.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  }
  return { values, spaced: true };
}

/**
 * W3C extended log parser. Directives are counted as rejects ("directive"); each #Fields line
 * replaces the layout for the lines after it, as IIS writes one after every restart. Times are
 * UTC by the specification; `tz` applies for servers configured to log local time.
 */
export function createW3cParser(options: ParserOptions): LineParser {
  let layout: Layout | null = null;
  let directiveDate: string | null = null;
  const iisDefault = compile([...IIS_DEFAULT_FIELDS]);
  // W3C times carry no offset: every one is read in `tz` (UTC unless the investigator says).
  const reading: TimeReading = { zoneAssumed: false };
  return {
    parse(line: string): RequestRecord | string {
      if (line.startsWith('#')) {
        const fields = /^#Fields:\s*(.*)$/i.exec(line);
        if (fields) layout = compile(fields[1]!.trim().split(/\s+/));
        const date = /^#Date:\s*(\d{4}-\d{2}-\d{2})/i.exec(line);
        if (date) directiveDate = date[1]!;
        return 'directive';
      }
      if (line.trim() === '') return 'empty line';
      const { values, spaced } = splitValues(line);
      let use = layout;
      let assumed = false;
      if (use === null) {
        // A fragment cut from a longer log has lost its header; IIS's defaults are a safe bet
        // only when the field count matches exactly.
        if (values.length !== IIS_DEFAULT_FIELDS.length) {
          return 'no #Fields directive before this line';
        }
        use = iisDefault;
        assumed = true;
      }
      if (values.length !== use.fields.length) {
        return `expected ${use.fields.length} fields (per #Fields), found ${values.length}`;
      }
      const date = use.dateAt >= 0 ? values[use.dateAt]! : directiveDate;
      const time = use.timeAt >= 0 ? values[use.timeAt]! : null;
      if (date === null || time === null) return 'no date and time fields';
      const tsUs = parseIsoTime(`${date}T${time}`, options.tz, reading);
      if (tsUs === null) return `bad date/time: ${date} ${time}`.slice(0, 60);
      const rec = emptyRecord();
      rec.tsUs = tsUs;
      if (reading.zoneAssumed) rec.zoneAssumed = true;
      for (let i = 0; i < values.length; i++) {
        if (i === use.dateAt || i === use.timeAt) continue;
        const v = values[i]!;
        if (v === '-' || v === '') continue;
        use.setters[i]!(rec, v, spaced);
      }
      if (assumed) addExtra(rec, '_fields_assumed', 'iis-default');
      return rec;
    },
  };
}

const DATA_LINE = /^\d{4}-\d{2}-\d{2}[ \t]\d{2}:\d{2}:\d{2}(?:\.\d+)?[ \t]/;

export function sniffW3c(sample: SniffSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  if (lines.some((l) => /^#Fields:\s*\S/.test(l))) return 1;
  if (/^#(Software|Version|Date|Remark):/.test(lines[0]!)) return 0.7;
  // Bare IIS-default lines without directives: plausible, not certain.
  const bare = lines.filter(
    (l) => DATA_LINE.test(l) && splitValues(l).values.length === IIS_DEFAULT_FIELDS.length,
  );
  return (bare.length / lines.length) * 0.6;
}

export const w3cFormat: LineFormat = {
  id: 'w3c',
  label: 'W3C extended (IIS, CloudFront)',
  kind: 'line',
  example:
    '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n2024-10-10 13:55:36 10.0.0.5 GET /api/users/42 x=1 443 - 203.0.113.7 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 42',
  sniff: sniffW3c,
  createParser: createW3cParser,
};
