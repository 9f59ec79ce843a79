/**
 * The normalized shape every parser produces: one HTTP request as the source described it.
 * Fields a source does not carry stay null; fields with no column of their own go to `extra`,
 * so nothing the source said is thrown away.
 */
export interface RequestRecord {
  /** Microseconds since the Unix epoch, UTC. */
  tsUs: number;
  ip: string | null;
  /** X-Forwarded-For as the source gave it (may be a list). */
  xff: string | null;
  method: string | null;
  scheme: string | null;
  host: string | null;
  /** Path without the query string, as it appeared (still percent-encoded). */
  path: string | null;
  /** Query string without the leading '?', or null when there was none. */
  query: string | null;
  protocol: string | null;
  status: number | null;
  latencyMs: number | null;
  reqBytes: number | null;
  respBytes: number | null;
  userAgent: string | null;
  referer: string | null;
  requestId: string | null;
  /** The raw Cookie header value. */
  cookies: string | null;
  /** Request headers the source gives, names lower-cased. */
  headers: Record<string, string> | null;
  reqBody: string | null;
  /** Response headers (HAR, some JSON logs), names lower-cased. */
  respHeaders: Record<string, string> | null;
  respBody: string | null;
  /** Values from the source's own session / user / role / attack label columns. */
  srcSession: string | null;
  srcUser: string | null;
  srcRole: string | null;
  srcLabel: string | null;
  /** Every source field without a column of its own. */
  extra: Record<string, unknown> | null;
}

export function emptyRecord(): RequestRecord {
  return {
    tsUs: 0,
    ip: null,
    xff: null,
    method: null,
    scheme: null,
    host: null,
    path: null,
    query: null,
    protocol: null,
    status: null,
    latencyMs: null,
    reqBytes: null,
    respBytes: null,
    userAgent: null,
    referer: null,
    requestId: null,
    cookies: null,
    headers: null,
    reqBody: null,
    respHeaders: null,
    respBody: null,
    srcSession: null,
    srcUser: null,
    srcRole: null,
    srcLabel: null,
    extra: null,
  };
}

/** The port each scheme means when its URL names none (RFC 3986 6.2.3; WHATWG URL). */
const DEFAULT_PORT: Readonly<Record<string, string>> = {
  http: ':80',
  https: ':443',
  ws: ':80',
  wss: ':443',
};

/**
 * `host` without the port its scheme means anyway: "example.com:443" of an https URL is
 * "example.com", as a browser's URL and every log that writes no port name it (an ALB log
 * writes the port on every request, a HAR or a Host header does not: one site, two hosts).
 * Another port stays.
 */
export function withoutDefaultPort(scheme: string, host: string): string {
  const port = DEFAULT_PORT[scheme];
  return port !== undefined && host.endsWith(port) && host.length > port.length
    ? host.slice(0, -port.length)
    : host;
}

/**
 * Splits a request target ("/a/b?x=1" or "http://h/a?x") into its parts; an absolute URL's
 * host without its scheme's default port.
 */
export function splitTarget(target: string): {
  scheme: string | null;
  host: string | null;
  path: string;
  query: string | null;
} {
  let scheme: string | null = null;
  let host: string | null = null;
  let rest = target;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(target);
  if (m) {
    scheme = m[1]!.toLowerCase();
    host = withoutDefaultPort(scheme, m[2]!);
    rest = target.slice(m[0].length);
    if (rest === '' || rest[0] === '?') rest = '/' + rest;
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  if (q < 0) return { scheme, host, path: rest, query: null };
  return { scheme, host, path: rest.slice(0, q), query: rest.slice(q + 1) };
}
