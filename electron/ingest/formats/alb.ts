import { emptyRecord, type RequestRecord } from '../../../shared/model/requestRecord.js';
import { parseIsoTime } from '../../../shared/time/parseTime.js';
import { applyRequestLine, intOrNull, unescapeQuoted } from './requestLine.js';
import type { LineFormat, LineParser, SniffSample } from './types.js';

/**
 * Application Load Balancer fields in the order AWS writes them. Newer logs append fields; any
 * beyond this list are kept in extra as field_<n>.
 */
const ALB_FIELDS = [
  'type',
  'time',
  'elb',
  'client:port',
  'target:port',
  'request_processing_time',
  'target_processing_time',
  'response_processing_time',
  'elb_status_code',
  'target_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'ssl_cipher',
  'ssl_protocol',
  'target_group_arn',
  'trace_id',
  'domain_name',
  'chosen_cert_arn',
  'matched_rule_priority',
  'request_creation_time',
  'actions_executed',
  'redirect_url',
  'error_reason',
  'target:port_list',
  'target_status_code_list',
  'classification',
  'classification_reason',
  'conn_trace_id',
] as const;

/** Classic Load Balancer: no type field, "backend" where ALB says "target". */
const ELB_FIELDS = [
  'time',
  'elb',
  'client:port',
  'backend:port',
  'request_processing_time',
  'backend_processing_time',
  'response_processing_time',
  'elb_status_code',
  'backend_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'ssl_cipher',
  'ssl_protocol',
] as const;

/** Fields whose values become record columns; every other field goes to extra by name. */
const MAPPED = new Set([
  'time',
  'client:port',
  'elb_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'trace_id',
]);

const TOKEN = /"((?:[^"\\]|\\.)*)"|(\S+)/g;

function tokens(line: string): string[] | null {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = TOKEN.exec(line)) !== null) {
    // A quote that never closes makes the bare-token branch eat it: the line is malformed.
    if (m[2] !== undefined && m[2].includes('"')) return null;
    out.push(m[1] !== undefined ? unescapeQuoted(m[1]) : m[2]!);
    end = TOKEN.lastIndex;
  }
  return line.slice(end).trim() === '' ? out : null;
}

/** "1.2.3.4:5678" or "2001:db8::1:5678" (the port is always the last colon-separated part). */
function splitHostPort(v: string): { ip: string; port: number | null } {
  const bracket = /^\[(.+)\]:(\d+)$/.exec(v);
  if (bracket) return { ip: bracket[1]!, port: Number(bracket[2]) };
  const i = v.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(v.slice(i + 1))) {
    return { ip: v.slice(0, i), port: Number(v.slice(i + 1)) };
  }
  return { ip: v, port: null };
}

/**
 * Total latency from the three processing times (seconds). AWS writes -1 when the load balancer
 * could not dispatch the request or the target closed the connection: the total is unknown then,
 * so latency stays null and the raw times stay in extra.
 */
function latencyMs(times: string[]): number | null {
  let sum = 0;
  for (const t of times) {
    if (!/^\d+(\.\d+)?$/.test(t)) return null;
    sum += Number(t);
  }
  return Math.round(sum * 1e6) / 1e3;
}

function parseAlbLine(line: string): RequestRecord | string {
  if (line.trim() === '') return 'empty line';
  const values = tokens(line);
  if (values === null) return 'unterminated quoted field';
  // ALB lines start with a type (http, h2, wss, and any AWS adds); classic ELB with the time.
  const isAlb = !/^\d{4}-\d{2}-\d{2}T/.test(values[0]!);
  const names: readonly string[] = isAlb ? ALB_FIELDS : ELB_FIELDS;
  const minimum = isAlb ? 14 : 13; // up to user_agent
  if (values.length < minimum) {
    return `expected at least ${minimum} fields for ${isAlb ? 'ALB' : 'classic ELB'}, found ${values.length}`;
  }
  const at = (name: string): string => values[names.indexOf(name)] ?? '-';
  const tsUs = parseIsoTime(at('time'));
  if (tsUs === null) return `bad timestamp: ${at('time').slice(0, 40)}`;
  const rec = emptyRecord();
  rec.tsUs = tsUs;
  const client = splitHostPort(at('client:port'));
  rec.ip = client.ip === '-' ? null : client.ip;
  rec.status = intOrNull(at('elb_status_code'));
  rec.reqBytes = intOrNull(at('received_bytes'));
  rec.respBytes = intOrNull(at('sent_bytes'));
  applyRequestLine(rec, at('request'));
  const ua = at('user_agent');
  rec.userAgent = ua === '-' || ua === '' ? null : ua;
  const trace = at('trace_id');
  rec.requestId = trace === '-' || trace === '' ? null : trace;
  rec.latencyMs = latencyMs(names.slice(isAlb ? 5 : 4, isAlb ? 8 : 7).map(at));

  const extra: Record<string, unknown> = { ...(rec.extra ?? {}) };
  if (!isAlb) extra.type = 'classic-elb';
  if (client.port !== null) extra.client_port = client.port;
  for (let i = 0; i < values.length; i++) {
    const name = names[i] ?? `field_${i}`;
    const v = values[i]!;
    if (MAPPED.has(name) || v === '-' || v === '') continue;
    extra[name] = v;
  }
  rec.extra = extra;
  return rec;
}

export function createAlbParser(): LineParser {
  return { parse: parseAlbLine };
}

const ALB_SNIFF = /^(?:https?|h2|grpcs|wss?) \d{4}-\d{2}-\d{2}T[\d:.]+Z \S+ \S+:\d+ \S+ -?[\d.]+ /;
const ELB_SNIFF = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z \S+ \S+:\d+ \S+ -?\d+\.\d+ -?\d+\.\d+ -?\d+\.\d+ /;

export function sniffAlb(sample: SniffSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  const hits = lines.filter((l) => ALB_SNIFF.test(l) || ELB_SNIFF.test(l)).length;
  return hits / lines.length;
}

export const albFormat: LineFormat = {
  id: 'alb',
  label: 'AWS ALB / classic ELB access log',
  kind: 'line',
  example:
    'https 2024-10-10T13:55:36.123456Z app/my-lb/50dc6c495c0c9188 203.0.113.7:2817 10.0.0.1:80 0.001 0.040 0.001 200 200 120 512 "GET https://example.com:443/api/users/42?x=1 HTTP/1.1" "Mozilla/5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "example.com" "-" 0 2024-10-10T13:55:36.080000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
  sniff: sniffAlb,
  createParser: createAlbParser,
};
