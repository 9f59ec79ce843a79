import {
  emptyRecord,
  splitTarget,
  type RequestRecord,
} from '../../../shared/model/requestRecord.js';
import {
  asCount,
  asDurationMs,
  asHeaders,
  asIp,
  asMethod,
  asNum,
  asProtocol,
  asStatus,
  asStr,
  asStrOrList,
  asTime,
  FieldTaker,
  headerValue,
  isObject,
  popHeader,
  setOwn,
  type DurationUnit,
  type JsonObject,
  type Provenance,
} from './jsonFields.js';
import { applyRequestLine } from './requestLine.js';

/**
 * Known shapes of JSON access-log objects and how each maps to a RequestRecord. A shape is a
 * table of candidate source paths per record field (first usable candidate wins) plus a few
 * shape-specific steps. Every source field that is not mapped stays in `extra`.
 */

export type JsonShapeId = 'caddy' | 'traefik' | 'cloudflare' | 'envoy' | 'ecs' | 'generic';

interface FieldSpec {
  time: string[];
  ip: string[];
  xff: string[];
  method: string[];
  /** Request targets that may carry a query, scheme and host ("/a?b", "https://h/a"). */
  url: string[];
  /** Paths used when no url was found (a query in them is split off too). */
  path: string[];
  query: string[];
  /** Whole request lines ("GET /a HTTP/1.1"), used when method or path is still missing. */
  requestLine: string[];
  host: string[];
  scheme: string[];
  protocol: string[];
  status: string[];
  latency: [string, DurationUnit][];
  reqBytes: string[];
  respBytes: string[];
  userAgent: string[];
  referer: string[];
  requestId: string[];
  cookies: string[];
  headers: string[];
  respHeaders: string[];
  reqBody: string[];
  respBody: string[];
  session: string[];
  user: string[];
  role: string[];
  label: string[];
}

export interface JsonShape {
  id: JsonShapeId;
  label: string;
  detect(ft: FieldTaker): boolean;
  fields: FieldSpec;
  /** Steps particular to the shape, run after the table. */
  finish?(ft: FieldTaker, rec: RequestRecord, tz: string): void;
}

const NONE: FieldSpec = {
  time: [],
  ip: [],
  xff: [],
  method: [],
  url: [],
  path: [],
  query: [],
  requestLine: [],
  host: [],
  scheme: [],
  protocol: [],
  status: [],
  latency: [],
  reqBytes: [],
  respBytes: [],
  userAgent: [],
  referer: [],
  requestId: [],
  cookies: [],
  headers: [],
  respHeaders: [],
  reqBody: [],
  respBody: [],
  session: [],
  user: [],
  role: [],
  label: [],
};

const caddy: JsonShape = {
  id: 'caddy',
  label: 'Caddy access log (http.log.access)',
  detect: (ft) =>
    (ft.has('request.method') || ft.has('request.uri')) &&
    (String(ft.get('logger') ?? '').startsWith('http.log.access') ||
      ft.has('resp_headers') ||
      (ft.has('ts') && ft.has('duration'))),
  fields: {
    ...NONE,
    time: ['ts'],
    ip: ['request.client_ip', 'request.remote_ip'],
    method: ['request.method'],
    url: ['request.uri'],
    host: ['request.host'],
    protocol: ['request.proto'],
    status: ['status'],
    latency: [['duration', 's']],
    reqBytes: ['bytes_read'],
    respBytes: ['size'],
    headers: ['request.headers'],
    respHeaders: ['resp_headers'],
    user: ['user_id'],
  },
  finish(ft, rec) {
    // Caddy logs a `tls` object only for requests that came over TLS.
    if (rec.scheme === null && isObject(ft.get('request.tls'))) rec.scheme = 'https';
  },
};

const traefik: JsonShape = {
  id: 'traefik',
  label: 'Traefik access log (JSON)',
  detect: (ft) =>
    (ft.has('RequestMethod') || ft.has('DownstreamStatus')) &&
    (ft.has('StartUTC') || ft.has('ClientHost') || ft.has('RequestPath')),
  fields: {
    ...NONE,
    time: ['StartUTC', 'StartLocal', 'time'],
    ip: ['ClientHost'],
    method: ['RequestMethod'],
    url: ['RequestPath'],
    host: ['RequestHost'],
    scheme: ['RequestScheme'],
    protocol: ['RequestProtocol'],
    status: ['DownstreamStatus'],
    latency: [['Duration', 'ns']],
    reqBytes: ['RequestContentSize'],
    respBytes: ['DownstreamContentSize'],
    user: ['ClientUsername'],
  },
  finish(ft, rec) {
    // Traefik writes kept headers as top-level "request_<Name>" / "downstream_<Name>" keys.
    const req = prefixedHeaders(ft.root, 'request_');
    const resp = prefixedHeaders(ft.root, 'downstream_');
    if (req) {
      rec.headers = { ...(rec.headers ?? {}), ...req };
      fillFromHeaders(rec);
    }
    if (resp) rec.respHeaders = { ...(rec.respHeaders ?? {}), ...resp };
  },
};

const cloudflare: JsonShape = {
  id: 'cloudflare',
  label: 'Cloudflare Logpush http_requests',
  detect: (ft) =>
    ft.has('ClientRequestMethod') ||
    ft.has('ClientRequestURI') ||
    (ft.has('RayID') && ft.has('EdgeStartTimestamp')),
  fields: {
    ...NONE,
    time: ['EdgeStartTimestamp'],
    ip: ['ClientIP'],
    method: ['ClientRequestMethod'],
    url: ['ClientRequestURI'],
    path: ['ClientRequestPath'],
    host: ['ClientRequestHost'],
    scheme: ['ClientRequestScheme'],
    protocol: ['ClientRequestProtocol'],
    status: ['EdgeResponseStatus'],
    reqBytes: ['ClientRequestBytes'],
    respBytes: ['EdgeResponseBytes'],
    userAgent: ['ClientRequestUserAgent'],
    referer: ['ClientRequestReferer'],
    requestId: ['RayID'],
    headers: ['RequestHeaders'],
    respHeaders: ['ResponseHeaders'],
  },
  finish(ft, rec, tz) {
    // Edge time is end minus start. RFC 3339 stamps without a fraction are whole seconds, too
    // coarse to be a latency, so the end stamp is then only kept in extra.
    const end = ft.get('EdgeEndTimestamp');
    const start = ft.get('EdgeStartTimestamp');
    const precise = (v: unknown): boolean =>
      typeof v === 'number' || (typeof v === 'string' && v.includes('.'));
    if (rec.latencyMs !== null || !precise(end)) return;
    const endUs = asTime(tz)(end);
    if (endUs !== null && endUs >= rec.tsUs && (start === undefined || precise(start))) {
      rec.latencyMs = (endUs - rec.tsUs) / 1000;
      const ref = ft.find('EdgeEndTimestamp');
      if (ref) ft.noteUse(ref, 'latencyMs', 'EdgeEndTimestamp - EdgeStartTimestamp');
    }
  },
};

const envoy: JsonShape = {
  id: 'envoy',
  label: 'Envoy / Istio access log (JSON)',
  detect: (ft) =>
    ft.has('response_code') &&
    (ft.has('start_time') ||
      ft.has('upstream_host') ||
      ft.has('response_flags') ||
      ft.has('x-envoy-original-path') ||
      ft.has('authority')),
  fields: {
    ...NONE,
    time: ['start_time', 'timestamp'],
    ip: ['downstream_remote_address', 'downstream_direct_remote_address'],
    method: ['method', ':method'],
    url: ['x-envoy-original-path', 'path', ':path'],
    host: ['authority', ':authority'],
    protocol: ['protocol'],
    status: ['response_code'],
    latency: [['duration', 'ms']],
    reqBytes: ['bytes_received'],
    respBytes: ['bytes_sent'],
    xff: ['x-forwarded-for'],
    userAgent: ['user-agent'],
    referer: ['referer'],
    requestId: ['x-request-id', 'request_id'],
  },
};

/** ECS (Elastic Common Schema) documents, nested or flattened; mapped by the generic table. */
const ecsDetect = (ft: FieldTaker): boolean =>
  ft.has('http.request.method') ||
  ft.has('http.response.status_code') ||
  (ft.has('@timestamp') && (ft.has('url.path') || ft.has('url.original')));

const GENERIC_FIELDS: FieldSpec = {
  time: [
    '@timestamp',
    'timestamp',
    'time',
    'ts',
    'datetime',
    'date_time',
    'time_iso8601',
    'time_local',
    'start_time',
    'request_start_time',
    'msec',
    'event.created',
    'event_time',
    'log_time',
    'received_at',
    'created_at',
    'date',
  ],
  ip: [
    'client_ip',
    'client.ip',
    'source.ip',
    'client.address',
    'source.address',
    'remote_addr',
    'remote_ip',
    'remote_address',
    'ip',
    'ip_address',
    'client_addr',
    'client_address',
    'src_ip',
    'source_ip',
    'sourceIp',
    'c_ip',
    'req.remoteAddress',
    'request.remote_ip',
    'request.client_ip',
    'request.ip',
    'httpRequest.remoteIp',
    'client',
    'remote',
  ],
  xff: ['x_forwarded_for', 'http_x_forwarded_for', 'xff', 'forwarded_for'],
  method: [
    'http.request.method',
    'request.method',
    'req.method',
    'httpRequest.requestMethod',
    'method',
    'request_method',
    'http_method',
    'httpMethod',
    'verb',
    'cs_method',
  ],
  url: [
    'url.original',
    'url.full',
    'request.url',
    'request.uri',
    'req.url',
    'httpRequest.requestUrl',
    'url',
    'uri',
    'request_uri',
    'request_url',
    'target',
    'request_target',
  ],
  path: ['url.path', 'request.path', 'path', 'request_path', 'endpoint', 'cs_uri_stem'],
  query: [
    'url.query',
    'request.query',
    'query',
    'query_string',
    'querystring',
    'args',
    'cs_uri_query',
  ],
  requestLine: ['request', 'request_line'],
  host: [
    'url.domain',
    'request.host',
    'host',
    'http_host',
    'server_name',
    'vhost',
    'authority',
    'domain',
  ],
  scheme: ['url.scheme', 'request.scheme', 'scheme', 'request_scheme', 'x_forwarded_proto'],
  protocol: [
    'http.version',
    'request.proto',
    'request.protocol',
    'httpRequest.protocol',
    'protocol',
    'server_protocol',
    'http_version',
    'proto',
    'request_protocol',
  ],
  status: [
    'http.response.status_code',
    'response.status',
    'response.status_code',
    'response.statusCode',
    'res.statusCode',
    'httpRequest.status',
    'status',
    'status_code',
    'response_code',
    'http_status',
    'sc_status',
  ],
  latency: [
    ['event.duration', 'ns'],
    ['duration_ns', 'ns'],
    ['latency_ns', 'ns'],
    ['duration_us', 'us'],
    ['duration_micros', 'us'],
    ['latency_us', 'us'],
    ['duration_ms', 'ms'],
    ['latency_ms', 'ms'],
    ['response_time_ms', 'ms'],
    ['request_time_ms', 'ms'],
    ['elapsed_ms', 'ms'],
    ['took_ms', 'ms'],
    ['time_ms', 'ms'],
    ['time_taken', 'ms'],
    ['duration_s', 's'],
    ['duration_sec', 's'],
    ['duration_seconds', 's'],
    ['latency_seconds', 's'],
    ['request_time', 's'],
    ['httpRequest.latency', 's'],
    ['responseTime', 'ms'],
    ['response_time', 'ms'],
    ['duration', 'ms'],
    ['latency', 'ms'],
    ['elapsed', 'ms'],
    ['took', 'ms'],
  ],
  reqBytes: [
    'http.request.bytes',
    'http.request.body.bytes',
    'request_length',
    'bytes_received',
    'bytes_in',
    'request_size',
    'request_bytes',
    'req_bytes',
    'cs_bytes',
    'httpRequest.requestSize',
    'bytes_read',
  ],
  respBytes: [
    'http.response.body.bytes',
    'http.response.bytes',
    'body_bytes_sent',
    'bytes_sent',
    'bytes_out',
    'response_size',
    'response_bytes',
    'resp_bytes',
    'sc_bytes',
    'httpRequest.responseSize',
    'responseLength',
    'bytes',
    'size',
  ],
  userAgent: [
    'user_agent.original',
    'user_agent',
    'http_user_agent',
    'useragent',
    'httpRequest.userAgent',
    'request.user_agent',
    'ua',
    'agent',
    'cs_user_agent',
  ],
  referer: [
    'http.request.referrer',
    'referer',
    'referrer',
    'http_referer',
    'httpRequest.referer',
    'cs_referer',
  ],
  requestId: [
    'http.request.id',
    'request_id',
    'req_id',
    'req.id',
    'x_request_id',
    'http_x_request_id',
    'correlation_id',
  ],
  cookies: ['cookie', 'cookies', 'http_cookie', 'request.cookie', 'request.cookies'],
  headers: [
    'http.request.headers',
    'request.headers',
    'req.headers',
    'request_headers',
    'req_headers',
    'headers',
  ],
  respHeaders: [
    'http.response.headers',
    'response.headers',
    'res.headers',
    'response_headers',
    'resp_headers',
  ],
  reqBody: [
    'http.request.body.content',
    'request.body',
    'request_body',
    'req_body',
    'body',
    'post_data',
  ],
  respBody: ['http.response.body.content', 'response.body', 'response_body', 'resp_body'],
  session: ['session.id', 'session_id', 'session', 'sid'],
  user: [
    'user.name',
    'user.id',
    'user',
    'user_id',
    'username',
    'user_name',
    'remote_user',
    'uid',
    'login',
  ],
  role: ['user.roles', 'user.role', 'role', 'user_role', 'roles'],
  label: ['attack_type', 'attack', 'attack_label', 'label', 'classification', 'threat'],
};

const ecs: JsonShape = {
  id: 'ecs',
  label: 'Elastic Common Schema (http.*, url.*, source.*)',
  detect: ecsDetect,
  fields: GENERIC_FIELDS,
};

const generic: JsonShape = {
  id: 'generic',
  label: 'generic JSON object (common key names)',
  detect: () => true,
  fields: GENERIC_FIELDS,
};

/** In detection order; generic matches everything. */
export const JSON_SHAPES: readonly JsonShape[] = [caddy, traefik, cloudflare, envoy, ecs, generic];

export function detectJsonShape(obj: JsonObject): JsonShape {
  const ft = new FieldTaker(obj);
  return JSON_SHAPES.find((s) => s.detect(ft)) ?? generic;
}

/** Maps one parsed object (mutated: mapped fields are removed), or says why it is not a request. */
export function mapJsonObject(obj: JsonObject, tz: string): RequestRecord | string {
  const ft = new FieldTaker(obj);
  const shape = JSON_SHAPES.find((s) => s.detect(ft)) ?? generic;
  return mapWithShape(ft, shape, tz);
}

export interface ShapeExplanation {
  shape: JsonShapeId;
  label: string;
  /** Which source key filled which record field (and any unit assumed). */
  fields: Provenance[];
  /** The mapped record, or the reason the object would be rejected. */
  outcome: RequestRecord | string;
}

/** For the CLI and the import dialog: which shape an object matched and how it was read. */
export function explainJsonShape(obj: JsonObject, tz: string): ShapeExplanation {
  const ft = new FieldTaker(structuredClone(obj), true);
  const shape = JSON_SHAPES.find((s) => s.detect(ft)) ?? generic;
  const outcome = mapWithShape(ft, shape, tz);
  return { shape: shape.id, label: shape.label, fields: ft.used, outcome };
}

function describeMessage(ft: FieldTaker): string {
  const msg = ft.peek(['msg', 'message'], asStr);
  return msg ? ` (log message: ${JSON.stringify(msg.value.slice(0, 80))})` : '';
}

const REQUEST_LINE_LIKE = /^[A-Za-z]{3,10} \S+(?: HTTP\/\S+)?$/;

function mapWithShape(ft: FieldTaker, shape: JsonShape, tz: string): RequestRecord | string {
  const f = shape.fields;
  // Decide about rejection before anything is removed, so a reject keeps the object whole.
  const lineHit = ft.peek(f.requestLine, (v) =>
    typeof v === 'string' && REQUEST_LINE_LIKE.test(v) ? v : null,
  );
  const requestish =
    lineHit !== null ||
    ft.peek(f.method, asMethod) !== null ||
    ft.peek(f.url, asStr) !== null ||
    ft.peek(f.path, asStr) !== null ||
    ft.peek(f.status, asStatus) !== null;
  if (!requestish) {
    return `not an HTTP access record: no method, URL or status field${describeMessage(ft)}`;
  }
  const time = ft.peek(f.time, asTime(tz));
  if (!time) {
    const present = f.time.map((p) => ft.find(p)).find((r) => r !== undefined);
    if (present) {
      const raw = JSON.stringify(present.container[present.key]) ?? 'undefined';
      return `unreadable timestamp in "${present.from}": ${raw.slice(0, 60)}`;
    }
    return `no timestamp field (looked for ${f.time.slice(0, 6).join(', ')}, …)`;
  }

  const rec = emptyRecord();
  ft.consume(time.ref, 'tsUs');
  rec.tsUs = time.value;
  rec.method = ft.take(f.method, asMethod, 'method');
  const url = ft.take(f.url, asStr, 'url');
  if (url !== null) applyTarget(rec, url);
  if (rec.path === null) {
    const path = ft.take(f.path, asStr, 'path');
    if (path !== null) applyTarget(rec, path);
  }
  if ((rec.method === null || rec.path === null) && lineHit) {
    const probe = emptyRecord();
    applyRequestLine(probe, lineHit.value);
    if (probe.method !== null) {
      ft.consume(lineHit.ref, 'method,path,query,protocol');
      rec.method ??= probe.method;
      if (rec.path === null) {
        rec.path = probe.path;
        rec.query = probe.query;
      }
      rec.scheme ??= probe.scheme;
      rec.host ??= probe.host;
      rec.protocol ??= probe.protocol;
    }
  }
  if (rec.query === null) {
    const q = ft.take(f.query, asStr, 'query');
    if (q !== null) rec.query = q.startsWith('?') ? q.slice(1) : q;
  }
  rec.host ??= ft.take(f.host, asStr, 'host');
  rec.scheme ??= ft.take(f.scheme, (v) => asStr(v)?.toLowerCase() ?? null, 'scheme');
  rec.protocol ??= ft.take(f.protocol, asProtocol, 'protocol');
  rec.ip = takeIp(ft, f.ip);
  rec.xff = ft.take(f.xff, asStr, 'xff');
  rec.status = ft.take(f.status, asStatus, 'status');
  rec.latencyMs = takeLatency(ft, f.latency);
  rec.reqBytes = ft.take(f.reqBytes, asCount, 'reqBytes');
  rec.respBytes = ft.take(f.respBytes, asCount, 'respBytes');
  rec.userAgent = ft.take(f.userAgent, asStr, 'userAgent');
  rec.referer = ft.take(f.referer, asStr, 'referer');
  rec.requestId = ft.take(f.requestId, asStr, 'requestId');
  rec.cookies = ft.take(f.cookies, asStr, 'cookies');
  rec.headers = ft.take(f.headers, asHeaders, 'headers');
  rec.respHeaders = ft.take(f.respHeaders, asHeaders, 'respHeaders');
  rec.reqBody = ft.take(f.reqBody, asStr, 'reqBody');
  rec.respBody = ft.take(f.respBody, asStr, 'respBody');
  rec.srcSession = ft.take(f.session, asStr, 'srcSession');
  rec.srcUser = ft.take(f.user, asStr, 'srcUser');
  rec.srcRole = ft.take(f.role, asStrOrList, 'srcRole');
  rec.srcLabel = ft.take(f.label, asStr, 'srcLabel');
  fillFromHeaders(rec);
  shape.finish?.(ft, rec, tz);
  rec.extra = ft.rest();
  return rec;
}

function applyTarget(rec: RequestRecord, target: string): void {
  const t = splitTarget(target);
  rec.path = t.path;
  rec.query = t.query;
  if (t.scheme) rec.scheme = t.scheme;
  if (t.host) rec.host = t.host;
}

/** An address with a port ("10.0.0.1:5000") is used without it but kept whole in extra. */
function takeIp(ft: FieldTaker, paths: readonly string[]): string | null {
  const hit = ft.peek(paths, asIp);
  if (!hit) return null;
  const raw = hit.ref.container[hit.ref.key];
  if (typeof raw === 'string' && raw.trim() === hit.value) ft.consume(hit.ref, 'ip');
  else ft.noteUse(hit.ref, 'ip', 'port removed; original kept in extra');
  return hit.value;
}

/**
 * A bare "duration" / "latency" key is read as milliseconds, except an integer of 10^7 or more,
 * which as milliseconds would be hours: loggers that write time.Duration raw (Go's slog) write
 * nanoseconds.
 */
function takeLatency(ft: FieldTaker, specs: readonly [string, DurationUnit][]): number | null {
  for (const [path, unit] of specs) {
    const ref = ft.find(path);
    if (!ref) continue;
    const raw = ref.container[ref.key];
    const bare = /^(duration|latency|elapsed|took|response_?time)$/i.test(ref.key);
    const n = asNum(raw);
    const effective: DurationUnit =
      bare && n !== null && Number.isInteger(n) && n >= 1e7 ? 'ns' : unit;
    const ms = asDurationMs(effective)(raw);
    if (ms === null) continue;
    ft.consume(
      ref,
      'latencyMs',
      typeof raw === 'string' && asNum(raw) === null ? 'unit in text' : effective,
    );
    return ms;
  }
  return null;
}

/** Columns a request header can fill; Cookie moves to `cookies` (it is stored once). */
export function fillFromHeaders(rec: RequestRecord): void {
  const h = rec.headers;
  if (!h) return;
  const cookie = popHeader(h, 'cookie');
  if (cookie !== null) {
    if (rec.cookies === null) rec.cookies = cookie;
    else h.cookie = cookie;
  }
  rec.userAgent ??= headerValue(h, 'user-agent');
  rec.referer ??= headerValue(h, 'referer');
  rec.xff ??= headerValue(h, 'x-forwarded-for');
  rec.requestId ??= headerValue(h, 'x-request-id');
  rec.host ??= headerValue(h, 'host') ?? headerValue(h, ':authority');
  if (Object.keys(h).length === 0) rec.headers = null;
}

function prefixedHeaders(root: JsonObject, prefix: string): Record<string, string> | null {
  const picked: JsonObject = {};
  let n = 0;
  for (const k of Object.keys(root)) {
    if (k.startsWith(prefix) && k.length > prefix.length) {
      const v = root[k];
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      setOwn<unknown>(picked, k.slice(prefix.length), v);
      delete root[k];
      n++;
    }
  }
  return n > 0 ? asHeaders(picked) : null;
}
