import { AppError } from '../../../shared/contract/errors.js';
import {
  emptyRecord,
  fillTarget,
  type RequestRecord,
} from '../../../shared/model/requestRecord.js';
import { parseIsoTime, safeUs, type TimeReading } from '../../../shared/time/parseTime.js';
import {
  applyRequestLine,
  createClfClock,
  findClosingQuote,
  intOrNull,
  secondsToMs,
} from './requestLine.js';
import type { LineFormat, LineParser, ParserOptions } from './types.js';

/**
 * nginx `log_format` strings compiled into a line parser. Each variable's value runs up to the
 * literal text that follows it in the format (the first occurrence; inside quotes a `\"` does
 * not end it); the last variable takes the rest of the line. "-" is nginx's "no value".
 *
 * Values are stored as logged: nginx's \xHH escapes are not decoded, so the text is the
 * evidence. $upstream_response_time (one time per upstream tried, e.g. "0.010, 0.020") is kept
 * as logged in extra.upstream_response_time and not summed: the sum of attempts is not what the
 * client waited, $request_time is, and only it fills latency_ms.
 */

type Setter = (rec: RequestRecord, value: string, ctx: ParseContext) => string | null;

interface ParseContext {
  clock: (text: string, reading?: TimeReading) => number | null;
  tz: string;
  /** Whether the time just read was read in `tz` (it had no offset of its own). */
  reading: TimeReading;
  /** Whether the format has its own field for these, so a fallback must not override it. */
  has: Set<string>;
}

function extraOf(rec: RequestRecord): Record<string, unknown> {
  return (rec.extra ??= {});
}

function toExtra(name: string): Setter {
  return (rec, v) => {
    extraOf(rec)[name] = v;
    return null;
  };
}

function headerName(suffix: string): string {
  return suffix.toLowerCase().replace(/_/g, '-');
}

/** "1700000000.123" → µs, exactly (no float rounding of the fraction). */
function msecToUs(v: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(v);
  if (!m) return null;
  const frac = ((m[2] ?? '') + '000000').slice(0, 6);
  return safeUs(Number(m[1]) * 1_000_000 + Number(frac));
}

/** Sets the time; `reading` says whether it was read in the assumed zone (none: it was not). */
function setTime(
  rec: RequestRecord,
  us: number | null,
  raw: string,
  reading?: TimeReading,
): string | null {
  if (us === null) return `bad timestamp: ${raw.slice(0, 40)}`;
  rec.tsUs = us;
  // Of two time variables the last one sets the time, and so says how it was read.
  if (reading?.zoneAssumed) rec.zoneAssumed = true;
  else if (rec.zoneAssumed) delete rec.zoneAssumed;
  return null;
}

function setCount(field: 'status' | 'respBytes' | 'reqBytes'): Setter {
  return (rec, v) => {
    const n = intOrNull(v);
    if (n === null || !Number.isInteger(n) || n < 0) return `bad ${field}: ${v.slice(0, 20)}`;
    rec[field] = n;
    return null;
  };
}

const KNOWN: Record<string, Setter> = {
  remote_addr: (rec, v) => ((rec.ip = v), null),
  remote_user: (rec, v) => ((rec.srcUser = v), null),
  time_local: (rec, v, ctx) => setTime(rec, ctx.clock(v, ctx.reading), v, ctx.reading),
  time_iso8601: (rec, v, ctx) => setTime(rec, parseIsoTime(v, ctx.tz, ctx.reading), v, ctx.reading),
  msec: (rec, v) => setTime(rec, msecToUs(v), v),
  request: (rec, v) => (applyRequestLine(rec, v), null),
  request_method: (rec, v) => ((rec.method = v.toUpperCase()), null),
  request_uri: (rec, v) => (fillTarget(rec, v), null),
  // $uri is the normalised (decoded) path; the path as sent ($request / $request_uri) wins.
  uri: (rec, v, ctx) => {
    if (ctx.has.has('request') || ctx.has.has('request_uri')) extraOf(rec).uri = v;
    else rec.path = v;
    return null;
  },
  args: (rec, v) => ((rec.query ??= v), null),
  query_string: (rec, v) => ((rec.query ??= v), null),
  server_protocol: (rec, v) => ((rec.protocol = v), null),
  status: setCount('status'),
  body_bytes_sent: setCount('respBytes'),
  bytes_sent: (rec, v, ctx) => {
    if (ctx.has.has('body_bytes_sent')) {
      extraOf(rec).bytes_sent = v;
      return null;
    }
    return setCount('respBytes')(rec, v, ctx);
  },
  request_length: setCount('reqBytes'),
  request_time: (rec, v) => {
    const ms = secondsToMs(v);
    if (ms === null) return `bad request_time: ${v.slice(0, 20)}`;
    rec.latencyMs = ms;
    return null;
  },
  upstream_response_time: toExtra('upstream_response_time'),
  http_referer: (rec, v) => ((rec.referer = v), null),
  http_user_agent: (rec, v) => ((rec.userAgent = v), null),
  http_x_forwarded_for: (rec, v) => ((rec.xff = v), null),
  http_cookie: (rec, v) => ((rec.cookies = v), null),
  host: (rec, v) => ((rec.host = v), null),
  http_host: (rec, v, ctx) => {
    if (ctx.has.has('host')) (rec.headers ??= {}).host = v;
    else rec.host = v;
    return null;
  },
  // The server block that answered; the request's own host comes from $host / $http_host.
  server_name: (rec, v, ctx) => {
    if (ctx.has.has('host') || ctx.has.has('http_host')) extraOf(rec).server_name = v;
    else rec.host = v;
    return null;
  },
  scheme: (rec, v) => ((rec.scheme = v), null),
  request_id: (rec, v) => ((rec.requestId = v), null),
};

function setterFor(name: string): Setter {
  const known = KNOWN[name];
  if (known) return known;
  if (name.startsWith('http_')) {
    const h = headerName(name.slice(5));
    return (rec, v) => (((rec.headers ??= {})[h] = v), null);
  }
  if (name.startsWith('sent_http_')) {
    const h = headerName(name.slice(10));
    return (rec, v) => (((rec.respHeaders ??= {})[h] = v), null);
  }
  if (name.startsWith('cookie_')) {
    const c = name.slice(7);
    // Without $http_cookie, the named cookies are the Cookie header we know about.
    return (rec, v, ctx) => {
      if (ctx.has.has('http_cookie')) extraOf(rec)[name] = v;
      else rec.cookies = rec.cookies === null ? `${c}=${v}` : `${rec.cookies}; ${c}=${v}`;
      return null;
    };
  }
  return toExtra(name);
}

interface Step {
  name: string;
  set: Setter;
  /** The literal that ends this variable's value ('' for the last one: the rest of the line). */
  until: string;
  /** The value sits inside double quotes: a backslash-escaped quote does not end it. */
  quoted: boolean;
  /** `until` belongs to the next value ($host$request_uri ends the host at the path's "/"). */
  keepUntil: boolean;
}

/** Variables whose value always starts with "/", so one may follow another directly. */
const PATH_VARS = new Set(['request_uri', 'uri', 'document_uri']);

export interface CompiledLogFormat {
  prefix: string;
  steps: Step[];
  names: string[];
}

const VAR = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;

/** Compiles a log_format string; throws BAD_INPUT (naming the problem) for one it cannot read. */
export function compileLogFormat(format: string): CompiledLogFormat {
  // A format copied from nginx.conf may still carry its quotes and line breaks.
  const fmt = format.trim().replace(/;$/, '').replace(/'\s*'/g, '').replace(/^'|'$/g, '');
  if (fmt === '') throw new AppError('BAD_INPUT', 'The nginx log_format is empty.');
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  VAR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = VAR.exec(fmt)) !== null) {
    literals.push(fmt.slice(last, m.index));
    names.push((m[1] ?? m[2]!).toLowerCase());
    last = m.index + m[0].length;
  }
  literals.push(fmt.slice(last));
  if (names.length === 0) {
    throw new AppError('BAD_INPUT', `The nginx log_format "${fmt}" has no $variables.`);
  }
  if (!names.some((n) => n === 'time_local' || n === 'time_iso8601' || n === 'msec')) {
    throw new AppError(
      'BAD_INPUT',
      'The nginx log_format has no time variable ($time_local, $time_iso8601 or $msec); every request needs a time.',
    );
  }
  const steps: Step[] = names.map((name, i) => {
    let until = literals[i + 1]!;
    const keepUntil = until === '' && PATH_VARS.has(names[i + 1] ?? '');
    if (keepUntil) until = '/';
    if (until === '' && i < names.length - 1) {
      throw new AppError(
        'BAD_INPUT',
        `In the nginx log_format, $${name} and $${names[i + 1]} touch: nothing tells where one ends.`,
      );
    }
    const before = literals[i]!;
    return {
      name,
      set: setterFor(name),
      until,
      quoted: before.endsWith('"') && until.startsWith('"'),
      keepUntil,
    };
  });
  return { prefix: literals[0]!, steps, names };
}

export function createNginxParser(options: ParserOptions): LineParser {
  if (!options.logFormat) {
    throw new AppError(
      'BAD_INPUT',
      "The nginx format needs the log_format string: --log-format '$remote_addr - ...'",
    );
  }
  const compiled = compileLogFormat(options.logFormat);
  const ctx: ParseContext = {
    clock: createClfClock(options.tz),
    tz: options.tz,
    reading: { zoneAssumed: false },
    has: new Set(compiled.names),
  };
  const { prefix, steps } = compiled;
  return {
    parse(line: string): RequestRecord | string {
      if (line.trim() === '') return 'empty line';
      if (!line.startsWith(prefix)) return `does not start with "${prefix}" as the log_format does`;
      const rec = emptyRecord();
      let timeSet = false;
      let pos = prefix.length;
      for (const step of steps) {
        let end: number;
        if (step.until === '') end = line.length;
        else if (step.quoted) {
          end = findClosingQuote(line, pos);
          while (end >= 0 && !line.startsWith(step.until, end)) {
            end = findClosingQuote(line, end + 1);
          }
        } else end = line.indexOf(step.until, pos);
        if (end < 0) return `does not match the log_format: no "${step.until}" after $${step.name}`;
        const value = line.slice(pos, end);
        pos = step.keepUntil ? end : end + step.until.length;
        if (value === '-' || value === '') continue;
        const err = step.set(rec, value, ctx);
        if (err !== null) return err;
        if (step.name === 'time_local' || step.name === 'time_iso8601' || step.name === 'msec') {
          timeSet = true;
        }
      }
      if (!timeSet) return 'no time: the time field is "-" or empty';
      if (pos < line.length) extraOf(rec).trailing = line.slice(pos);
      return rec;
    },
  };
}

export const nginxFormat: LineFormat = {
  id: 'nginx',
  label: 'nginx with a custom log_format (--log-format)',
  kind: 'line',
  example:
    '203.0.113.7 - - [10/Oct/2024:13:55:36 +0200] "GET /a HTTP/1.1" 200 512 "-" "curl/8" rt=0.042 uct="0.001"',
  // Only chosen by name: without the log_format string there is nothing to recognise it by.
  sniff: () => 0,
  createParser: createNginxParser,
};
