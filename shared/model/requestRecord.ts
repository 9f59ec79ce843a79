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
  /**
   * Path without the query string, as it appeared (still percent-encoded); a fragment sent
   * with no query before it stays at its end ("/a#x", see parseTarget).
   */
  path: string | null;
  /** Query string without the leading '?' (a fragment after it included), or null when none. */
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
  /**
   * Set (true) by the parser when the time had no offset of its own, so it was read in the
   * source's assumed zone (ParserOptions.tz). Not stored: the import counts such lines.
   */
  zoneAssumed?: true;
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

/** A request target's parts (see parseTarget). */
export interface TargetParts {
  scheme: string | null;
  /**
   * The userinfo of an absolute URL, as written ("user:pass" of "https://user:pass@h/"); null
   * when it has none. A credential: evidence, never part of the host.
   */
  userinfo: string | null;
  host: string | null;
  path: string;
  query: string | null;
}

/**
 * Splits a request target ("/a/b?x=1" or "http://user@h/a?x") into its parts; an absolute URL's
 * host without its userinfo and without its scheme's default port.
 *
 * Nothing of the target is dropped: `path + ('?' + query)` gives back an origin-form target.
 * A fragment ("#…") stays where it was written, in the query when a '?' precedes it, else in the
 * path: detection and the free-text filter read both, so a payload after '#' is seen. In a
 * request line the client sent it (browsers never do: it marks a hand-made request); in a HAR or
 * JSON URL it is what the tool recorded. Endpoint templates ignore it (templatePath).
 */
export function parseTarget(target: string): TargetParts {
  let scheme: string | null = null;
  let userinfo: string | null = null;
  let host: string | null = null;
  let rest = target;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(target);
  if (m) {
    scheme = m[1]!.toLowerCase();
    let authority = m[2]!;
    // The last '@' ends the userinfo, as a browser's URL parser reads it.
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      userinfo = authority.slice(0, at);
      authority = authority.slice(at + 1);
    }
    host = withoutDefaultPort(scheme, authority);
    rest = target.slice(m[0].length);
    if (rest === '' || rest[0] === '?' || rest[0] === '#') rest = '/' + rest;
  }
  const q = rest.indexOf('?');
  // A '?' after the '#' is part of the fragment, not the start of a query.
  if (q < 0 || rest.lastIndexOf('#', q) >= 0)
    return { scheme, userinfo, host, path: rest, query: null };
  return { scheme, userinfo, host, path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/**
 * A path or query without the fragment parseTarget kept in it: what the server routed on and
 * read its parameters from. A '#' is never a path or query character as sent (it is "%23"), so
 * the first one starts the fragment. For meaning (endpoints, parameters, session keys); what
 * the client sent is the whole value.
 */
export function beforeFragment(s: string): string {
  const hash = s.indexOf('#');
  return hash < 0 ? s : s.slice(0, hash);
}

/**
 * Sets a record's path, query and (when the target names them) scheme and host from a request
 * target. An absolute URL's userinfo is kept in extra.userinfo: evidence (a credential the
 * client sent) that must not become part of the host, and so of an endpoint or the inventory.
 */
export function fillTarget(rec: RequestRecord, target: string): void {
  const t = parseTarget(target);
  rec.path = t.path;
  rec.query = t.query;
  if (t.scheme) rec.scheme = t.scheme;
  if (t.host) rec.host = t.host;
  if (t.userinfo !== null) rec.extra = { ...(rec.extra ?? {}), userinfo: t.userinfo };
}
