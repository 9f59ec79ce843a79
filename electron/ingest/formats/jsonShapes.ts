import {
  emptyRecord,
  fillTarget,
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
  extraWithNotes,
  FieldTaker,
  headerValue,
  isObject,
  popHeader,
  setOwn,
  type DurationUnit,
  type JsonObject,
  type Provenance,
} from './jsonFields.js';
import type { TimeReading } from '../../../shared/time/parseTime.js';
import { GENERIC_FIELDS, NO_FIELDS, type FieldSpec } from './jsonGenericFields.js';
import { applyRequestLine } from './requestLine.js';

/**
 * Known shapes of JSON access-log objects and how each maps to a RequestRecord. A shape is a
 * table of candidate source paths per record field (first usable candidate wins) plus a few
 * shape-specific steps. Every source field that is not mapped stays in `extra`.
 */

export type JsonShapeId = 'caddy' | 'traefik' | 'cloudflare' | 'envoy' | 'ecs' | 'generic';

export interface JsonShape {
  id: JsonShapeId;
  label: string;
  detect(ft: FieldTaker): boolean;
  fields: FieldSpec;
  /** Steps particular to the shape, run after the table. */
  finish?(ft: FieldTaker, rec: RequestRecord, tz: string): void;
}

const caddy: JsonShape = {
  id: 'caddy',
  label: 'Caddy access log (http.log.access)',
  detect: (ft) =>
    (ft.has('request.method') || ft.has('request.uri')) &&
    (String(ft.get('logger') ?? '').startsWith('http.log.access') ||
      ft.has('resp_headers') ||
      (ft.has('ts') && ft.has('duration'))),
  fields: {
    ...NO_FIELDS,
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
    ...NO_FIELDS,
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
    ...NO_FIELDS,
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
    ...NO_FIELDS,
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
  const reading: TimeReading = { zoneAssumed: false };
  const time = ft.peek(f.time, asTime(tz, reading));
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
  if (reading.zoneAssumed) rec.zoneAssumed = true;
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
  rec.extra = extraWithNotes(ft.rest(), rec.extra);
  return rec;
}

/** Credentials in a URL go to extra.userinfo, not into the host (fillTarget). */
function applyTarget(rec: RequestRecord, target: string): void {
  fillTarget(rec, target);
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
 * The first latency candidate whose value converts, in the unit its table gives (a key that
 * names one, such as `duration_ms`, or the shape's: Caddy's `duration` is seconds, Traefik's
 * nanoseconds). A bare "duration" / "latency" key is read in its table's unit, except an
 * integer of 10^7 or more, which as milliseconds would be hours: loggers that write
 * time.Duration raw (Go's slog) write nanoseconds. Only a number under a key that names
 * milliseconds is the column exactly as written; any other field stays in extra as written, so
 * the unit that was assumed can be seen (latency_ms / value) and questioned.
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
    const note = n === null ? 'unit in text' : effective;
    if (path.endsWith('_ms') && typeof raw === 'number' && ms === raw)
      ft.consume(ref, 'latencyMs', note);
    else ft.noteUse(ref, 'latencyMs', note);
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
