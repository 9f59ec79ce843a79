import type { DurationUnit } from './jsonFields.js';

/**
 * The candidate source keys for each record field, as a table per shape (jsonShapes.ts). The
 * generic table serves any JSON access log: the first candidate whose value converts wins, so
 * more specific names come first (ECS paths, then common flat names, then bare words).
 */

export interface FieldSpec {
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

/** A shape lists only the fields it knows; the rest start from this. */
export const NO_FIELDS: FieldSpec = {
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

export const GENERIC_FIELDS: FieldSpec = {
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
