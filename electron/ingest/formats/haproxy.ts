import { isIP } from 'node:net';
import { emptyRecord, type RequestRecord } from '../../../shared/model/requestRecord.js';
import { parseClfTime, type TimeReading } from '../../../shared/time/parseTime.js';
import { applyRequestLine } from './requestLine.js';
import type { LineFormat, LineParser, ParserOptions, SniffSample } from './types.js';

/*
 * HAProxy `option httplog` lines (the "HTTP log format" of the HAProxy configuration manual):
 *
 *   client:port [accept_date] frontend[~] backend/server Tq/Tw/Tc/Tr/Ta status bytes_read
 *   req_cookie resp_cookie termination_state actconn/feconn/beconn/srv_conn/retries
 *   srv_queue/backend_queue {captured request headers} {captured response headers} "request"
 *
 * behind an optional syslog header. Before HAProxy 1.7 the fifth timer was Tt (the whole
 * session, keep-alive idle time included) rather than Ta; the line does not say which version
 * wrote it, so the raw timers stay in extra beside latency_ms. Every value after the header can come from a client
 * (the request line, the captured headers and cookies), so each field is checked for its shape
 * and a line that is not plainly in the layout is a reject saying which field was wrong.
 */

/** The syslog header in front of the HAProxy message, as far as it was there. */
interface SyslogHeader {
  priority: string | null;
  time: string | null;
  host: string | null;
  tag: string | null;
  pid: string | null;
}

const PRIORITY = /^<(\d{1,3})>/;
// RFC 5424: "<134>1 2019-02-25T16:19:49.143+01:00 host haproxy 7 - - msg" ("-" = absent);
// structured data is "-" or [..] blocks.
const RFC5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) (?:-|(?:\[(?:[^\]\\]|\\.)*\])+) ?/;
// RFC 3164 as rsyslog and syslog-ng write it ("Feb 25 16:19:49 192.168.4.2 haproxy[7]: "), or
// with an RFC 3339 time (rsyslog's precise template). HAProxy's own header has no host. A host
// never holds brackets nor ends with a colon, which keeps "haproxy[7]: x: y" from being read
// as host "haproxy[7]:" and tag "x".
const BSD =
  /^([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (?:([^\s[\]]*[^\s[\]:]) )?([\w./-]{1,64})(?:\[(\d{1,10})\])?: /;

/** Splits off the syslog header; the body is the whole line when there is none (stdout logs). */
function splitSyslog(line: string): { header: SyslogHeader | null; body: string } {
  let rest = line;
  let priority: string | null = null;
  const pri = PRIORITY.exec(rest);
  if (pri) {
    priority = pri[1]!;
    rest = rest.slice(pri[0].length);
    const r5424 = RFC5424.exec(rest);
    if (r5424) {
      const nil = (v: string): string | null => (v === '-' ? null : v);
      return {
        header: {
          priority,
          time: nil(r5424[1]!),
          host: nil(r5424[2]!),
          tag: nil(r5424[3]!),
          pid: nil(r5424[4]!),
        },
        body: rest.slice(r5424[0].length),
      };
    }
  }
  const bsd = BSD.exec(rest);
  if (bsd) {
    return {
      header: {
        priority,
        time: bsd[1]!,
        host: bsd[2] ?? null,
        tag: bsd[3]!,
        pid: bsd[4] ?? null,
      },
      body: rest.slice(bsd[0].length),
    };
  }
  // HAProxy's "short" log format: a priority and nothing else.
  if (priority !== null) {
    return { header: { priority, time: null, host: null, tag: null, pid: null }, body: rest };
  }
  return { header: null, body: line };
}

/** Text for a reject reason: one line, at most 80 characters. */
function cut(text: string): string {
  // eslint-disable-next-line no-control-regex -- a reason is one printable line
  const flat = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

const CLIENT_AND_DATE = /^(\S+) \[([^\]]{1,64})\] /;
const TIMER = /^[+-]?\d{1,10}$/;
const COUNT = /^\+?\d{1,15}$/;
const STATUS = /^(?:\d{3}|-1)$/;
const TERMINATION = /^[A-Za-z-]{4}$/;

/** "1.2.3.4:5678", "[::1]:5678" or "::1:5678" (HAProxy always writes the port, last). */
function splitClient(v: string): { ip: string | null; port: number | null } {
  const bracket = /^\[([^\]]+)\]:(\d{1,5})$/.exec(v);
  if (bracket && isIP(bracket[1]!)) return { ip: bracket[1]!, port: Number(bracket[2]) };
  const colon = v.lastIndexOf(':');
  if (colon > 0 && /^\d{1,5}$/.test(v.slice(colon + 1)) && isIP(v.slice(0, colon))) {
    return { ip: v.slice(0, colon), port: Number(v.slice(colon + 1)) };
  }
  // A UNIX socket ("unix:1") or anything else: kept whole in extra, not guessed at.
  return { ip: null, port: null };
}

/** The fields between the date and the header captures, in order. */
const MIDDLE = [
  'frontend',
  'backend/server',
  'timers',
  'status',
  'bytes_read',
  'captured_request_cookie',
  'captured_response_cookie',
  'termination_state',
  'connections',
  'queues',
] as const;

/**
 * A product/version token at the start ("Mozilla/5.0 (…)", "curl/8.4.0", "sqlmap/1.7#stable"):
 * a Host, an address, an Accept value ("text/html") or a URL does not look like this.
 */
const UA_LIKE = /^[A-Za-z][\w.+-]{0,63}\/\d/;

/**
 * HAProxy writes captured headers without their names, in the order of the `capture request
 * header` lines of its configuration, which the log does not give. So a captured value becomes
 * the user agent only when exactly one of them looks like one; all of them stay in extra.
 * One block alone may be the request's or the response's (HAProxy writes only the blocks that
 * are configured); request captures are the common case, and the rule above applies to it too.
 */
function userAgentOf(values: string[]): string | null {
  const like = values.filter((v) => UA_LIKE.test(v));
  return like.length === 1 ? like[0]! : null;
}

/** HAProxy's own messages, known without a syslog tag (logs written to stdout). */
const KNOWN_MESSAGE =
  /^(?:Proxy \S+ (?:started|stopped)|(?:Server|Backend|backend) \S+ (?:is|has) |(?:Stopping|Pausing|Resuming) (?:proxy|frontend|backend) |\[(?:NOTICE|WARNING|ALERT)\] )/;

const THREE_TIMERS = /^[+-]?\d+\/[+-]?\d+\/[+-]?\d+$/;

/** Why a line without "client [date]" in front is not a request: which kind of line it is. */
function messageReason(body: string, header: SyslogHeader | null): string {
  if (body.trim() === '') return 'empty HAProxy message';
  if (header === null || header.tag === null || /haproxy/i.test(header.tag)) {
    if (/^Connect from \S+ to \S+/.test(body)) {
      return `HAProxy connection log (no httplog), not an HTTP request: ${cut(body)}`;
    }
    return header === null && !KNOWN_MESSAGE.test(body)
      ? `not an HAProxy HTTP log line: ${cut(body)}`
      : `HAProxy message, not an HTTP log line: ${cut(body)}`;
  }
  return `syslog message from ${cut(header.tag).slice(0, 40)}, not an HAProxy HTTP log line: ${cut(body)}`;
}

function setExtra(extra: Record<string, unknown>, key: string, v: string | null): void {
  if (v !== null && v !== '-' && v !== '') extra[key] = v;
}

function parseHaproxyLine(line: string, tz: string): RequestRecord | string {
  if (line.trim() === '') return 'empty line';
  const { header, body } = splitSyslog(line);
  const head = CLIENT_AND_DATE.exec(body);
  if (head === null) return messageReason(body, header);
  const rest = body.slice(head[0].length);
  // "prod_http_in/sktst2: SSL handshake failure" and other errors before any request.
  if (/^\S+: /.test(rest)) return `HAProxy connection error, not an HTTP request: ${cut(rest)}`;
  const parts = rest.split(' ', MIDDLE.length);
  if (parts.length >= 3 && THREE_TIMERS.test(parts[2]!)) {
    return `HAProxy tcplog line (a TCP connection, not an HTTP request): ${cut(`${parts[0]} ${parts[1]}`)}`;
  }
  if (parts.length < MIDDLE.length) {
    return `expected ${MIDDLE.length} fields after the accept date, found ${parts.length}`;
  }
  const [frontendField, backendServer, timers, status, bytes, reqCookie, respCookie, term] =
    parts as string[];
  const [connections, queues] = [parts[8]!, parts[9]!];
  // HAProxy writes the accept date without an offset: read in `tz`, unless one was added.
  const reading: TimeReading = { zoneAssumed: false };
  const tsUs = parseClfTime(head[2]!, tz, reading);
  if (tsUs === null) return `bad accept date: ${cut(head[2]!)}`;
  if (frontendField === '') return 'empty frontend field';
  const slash = backendServer!.indexOf('/');
  if (slash <= 0) return `bad backend/server field: ${cut(backendServer!)}`;
  const t = timers!.split('/');
  if (t.length !== 5 || !t.every((x) => TIMER.test(x))) {
    return `bad timers (expected Tq/Tw/Tc/Tr/Ta): ${cut(timers!)}`;
  }
  if (!STATUS.test(status!)) return `bad status: ${cut(status!)}`;
  if (!COUNT.test(bytes!)) return `bad bytes_read: ${cut(bytes!)}`;
  if (!TERMINATION.test(term!)) return `bad termination state: ${cut(term!)}`;
  const conns = connections.split('/');
  if (conns.length !== 5 || !conns.every((x) => COUNT.test(x))) {
    return `bad connection counts (expected actconn/feconn/beconn/srv_conn/retries): ${cut(connections)}`;
  }
  const queue = queues.split('/');
  if (queue.length !== 2 || !queue.every((x) => COUNT.test(x))) {
    return `bad queues (expected srv_queue/backend_queue): ${cut(queues)}`;
  }

  // After the fixed fields: up to two {…} capture blocks, then the quoted request line.
  // HAProxy writes '{', '|', '}' and '"' inside captures and requests as #XX; the values are
  // kept as written.
  const tail = rest.slice(parts.join(' ').length);
  let at = 0;
  const blocks: string[][] = [];
  while (blocks.length < 2 && tail.startsWith(' {', at)) {
    const close = tail.indexOf('}', at + 2);
    if (close < 0) return 'unterminated {captured headers} block';
    blocks.push(tail.slice(at + 2, close).split('|'));
    at = close + 1;
  }
  if (!tail.startsWith(' "', at)) {
    return tail.startsWith(' {', at)
      ? 'more than two {captured headers} blocks'
      : `expected the quoted request after the fixed fields, found: ${cut(tail.slice(at)) || 'end of line'}`;
  }
  const reqStart = at + 2;
  let request: string;
  let trailing = '';
  let truncated = false;
  if (tail.length > reqStart && tail.endsWith('"')) {
    request = tail.slice(reqStart, -1);
  } else {
    const q = tail.indexOf('"', reqStart);
    if (q < 0) {
      // HAProxy cuts a log line at its length limit (1024 bytes unless `len` says otherwise),
      // which takes the closing quote with it: the request is kept as far as it goes.
      request = tail.slice(reqStart);
      truncated = true;
    } else {
      request = tail.slice(reqStart, q);
      trailing = tail.slice(q + 1).trim();
    }
  }

  const rec = emptyRecord();
  rec.tsUs = tsUs;
  if (reading.zoneAssumed) rec.zoneAssumed = true;
  const extra: Record<string, unknown> = {};
  const client = splitClient(head[1]!);
  rec.ip = client.ip;
  if (client.port !== null) extra.client_port = client.port;
  else extra.client = head[1]!;

  applyRequestLine(rec, request);
  const ssl = frontendField!.endsWith('~');
  const frontend = ssl ? frontendField!.slice(0, -1) : frontendField!;
  // '~' marks a frontend connection that came in over TLS: the connection, not the request
  // target the client wrote, says the scheme.
  if (ssl) {
    if (rec.scheme !== null && rec.scheme !== 'https') extra.target_scheme = rec.scheme;
    rec.scheme = 'https';
  }
  rec.status = status === '-1' ? null : Number(status);
  // A '+' (option logasap) marks a count taken when the log was written, before the end.
  rec.respBytes = /^\d+$/.test(bytes!) ? Number(bytes) : null;
  rec.latencyMs = /^\d+$/.test(t[4]!) ? Number(t[4]) : null;
  if (rec.status === null) extra.status = status;
  if (rec.respBytes === null) extra.bytes_read = bytes;

  extra.frontend = frontend;
  extra.backend = backendServer!.slice(0, slash);
  extra.server = backendServer!.slice(slash + 1);
  [extra.Tq, extra.Tw, extra.Tc, extra.Tr, extra.Ta] = t;
  extra.termination_state = term;
  [extra.actconn, extra.feconn, extra.beconn, extra.srv_conn, extra.retries] = conns;
  [extra.srv_queue, extra.backend_queue] = queue;
  setExtra(extra, 'captured_request_cookie', reqCookie!);
  setExtra(extra, 'captured_response_cookie', respCookie!);
  // A captured request cookie is one "name=value" of the Cookie header, as nginx's
  // $cookie_NAME is: it is what sessions can be told apart by.
  if (reqCookie !== '-' && reqCookie!.includes('=')) rec.cookies = reqCookie!;
  if (blocks.length === 2) {
    extra.captured_request_headers = blocks[0];
    extra.captured_response_headers = blocks[1];
  } else if (blocks.length === 1) {
    extra.captured_headers = blocks[0];
  }
  if (blocks.length > 0) rec.userAgent = userAgentOf(blocks[0]!);
  if (truncated) extra.truncated = 'request line has no closing quote';
  if (trailing !== '') extra.trailing = trailing;
  if (header !== null) {
    setExtra(extra, 'syslog_priority', header.priority);
    setExtra(extra, 'syslog_time', header.time);
    setExtra(extra, 'syslog_host', header.host);
    setExtra(extra, 'syslog_tag', header.tag);
    setExtra(extra, 'syslog_pid', header.pid);
  }
  rec.extra = { ...(rec.extra ?? {}), ...extra };
  return rec;
}

/**
 * The accept date has no zone: HAProxy writes the host's local time, so it is read in `tz`
 * (the import's --tz), as CSV and W3C times without an offset are.
 */
export function createHaproxyParser(options: ParserOptions): LineParser {
  return { parse: (line) => parseHaproxyLine(line, options.tz) };
}

const HTTP_SNIFF =
  /^\S+:\d+ \[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\] \S+ \S+\/\S+ [+-]?\d+\/[+-]?\d+\/[+-]?\d+\/[+-]?\d+\/[+-]?\d+ (?:\d{3}|-1) \+?\d+ \S+ \S+ [A-Za-z-]{4} /;

export function sniffHaproxy(sample: SniffSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  let http = 0;
  let haproxy = 0;
  for (const l of lines) {
    const { header, body } = splitSyslog(l);
    if (HTTP_SNIFF.test(body)) http++;
    else if (header === null ? KNOWN_MESSAGE.test(body) : /^haproxy$/i.test(header.tag ?? '')) {
      haproxy++;
    }
  }
  // A log that opens with more startup messages than the sample holds is HAProxy's by its
  // syslog tag or its messages, though not surely an HTTP log: plausible, not certain.
  if (http === 0) return (haproxy / lines.length) * 0.6;
  return (http + haproxy) / lines.length;
}

export const haproxyFormat: LineFormat = {
  id: 'haproxy',
  label: 'HAProxy httplog',
  kind: 'line',
  example:
    'Feb 25 16:19:49 lb1 haproxy[7]: 203.0.113.7:53332 [10/Oct/2024:13:55:36.143] www~ api/srv1 0/0/7/35/42 200 512 - - ---- 2/1/0/0/0 0/0 {Mozilla/5.0} {} "GET /api/users/42?x=1 HTTP/1.1"',
  sniff: sniffHaproxy,
  createParser: createHaproxyParser,
};
