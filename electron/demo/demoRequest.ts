/** One request of the demo story, before it is written as a Caddy access-log line. */
export interface DemoRequest {
  /** Microseconds since the Unix epoch, UTC. */
  tsUs: number;
  ip: string;
  method: string;
  /** Path and query, as the client sent them (already percent-encoded). */
  uri: string;
  userAgent: string;
  cookie?: string;
  /** A JWT; sent as `Authorization: Bearer <jwt>`. */
  bearer?: string;
  contentType?: string;
  /** What the app's auth layer handed to the logger ('' when anonymous). */
  userId: string;
  status: number;
  durationMs: number;
  /** Response bytes. */
  size: number;
  /** Request body bytes. */
  bytesRead: number;
  respContentType?: string;
  setCookie?: string;
  retryAfter?: number;
}

export const DEMO_HOST = 'api.acme-demo.test';

/**
 * Writes one request in the shape of Caddy's JSON access log (with `log_credentials` on, so
 * Cookie and Authorization are logged rather than redacted). Key order is fixed, so output is
 * byte-stable.
 */
export function toCaddyLine(r: DemoRequest, requestId: string, remotePort: number): string {
  const headers: Record<string, string[]> = { 'User-Agent': [r.userAgent] };
  if (r.cookie) headers['Cookie'] = [r.cookie];
  if (r.bearer) headers['Authorization'] = [`Bearer ${r.bearer}`];
  headers['X-Request-Id'] = [requestId];
  if (r.contentType) headers['Content-Type'] = [r.contentType];
  const resp: Record<string, string[]> = {
    'Content-Type': [r.respContentType ?? 'application/json'],
  };
  if (r.setCookie) resp['Set-Cookie'] = [r.setCookie];
  if (r.retryAfter !== undefined) resp['Retry-After'] = [String(r.retryAfter)];
  const line = {
    // Caddy logs server errors at level "error", everything else at "info".
    level: r.status >= 500 ? 'error' : 'info',
    ts: r.tsUs / 1e6,
    logger: 'http.log.access',
    msg: 'handled request',
    request: {
      remote_ip: r.ip,
      remote_port: String(remotePort),
      client_ip: r.ip,
      proto: 'HTTP/1.1',
      method: r.method,
      host: DEMO_HOST,
      uri: r.uri,
      headers,
    },
    bytes_read: r.bytesRead,
    user_id: r.userId,
    duration: Math.round(r.durationMs * 1000) / 1e6,
    size: r.size,
    status: r.status,
    resp_headers: resp,
  };
  return JSON.stringify(line);
}

/** An unsigned demo JWT (header.payload.signature, base64url); the signature is filler. */
export function demoJwt(claims: { sub: string; role: string; iat: number }): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sig = Buffer.from(`demo-not-signed:${claims.sub}`).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${sig}`;
}
