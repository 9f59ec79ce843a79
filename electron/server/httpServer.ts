import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Result } from '../../shared/contract/errors.js';
import type { ApiContext } from '../api/context.js';
import { dispatch } from '../api/dispatch.js';
import { BATCH_PATH, batchRequestSchema, MAX_BATCH_CALLS } from '../../shared/contract/batch.js';
import { answerBatch } from './batchCalls.js';
import { RENDERER_CSP } from './csp.js';
import { EXPORT_DOWNLOAD_PATH, serveExportDownload } from './exportDownload.js';
import { statusForError } from './httpStatus.js';
import { contentType, snapshotStaticDir, staticRelPath } from './staticFiles.js';
import { receiveUpload } from './upload.js';

export const TOKEN_HEADER = 'x-sessionscope-token';

export interface HttpServerOptions {
  ctx: ApiContext;
  /**
   * The built renderer (dist/renderer), read once when the server starts and served from
   * memory: a rebuild or upgrade under a running server changes nothing it serves.
   */
  staticDir: string;
  /** Where uploaded files are kept. */
  uploadDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 32 random bytes; the URL printed at start carries it. */
  token?: string;
  maxJsonBytes?: number;
  maxUploadBytes?: number;
}

export interface RunningServer {
  port: number;
  token: string;
  /**
   * Open this: it carries the token, which the page keeps in its tab's sessionStorage and
   * sends as a header. No cookie: a cookie would go to every server on 127.0.0.1, any port.
   */
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Browser mode: the renderer and the contract over HTTP, on 127.0.0.1 only. Every API request
 * needs this run's token in a header (the event stream, which cannot send one, in its query;
 * a download a single-use ticket from exportTicket); a Host or Origin other than our own is
 * refused, and so is a browser request whose Sec-Fetch-Site is not same-origin, so neither
 * another web page (CSRF; pages on other 127.0.0.1 ports count as same-site, not same-origin)
 * nor a rebound DNS name can reach the API.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const maxJson = opts.maxJsonBytes ?? 1 << 20;
  const maxUpload = opts.maxUploadBytes ?? 8 * 1024 ** 3;
  let port = 0;
  const sseClients = new Set<ServerResponse>();
  const staticFiles = snapshotStaticDir(opts.staticDir);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('browser-mode request failed:', err);
      if (!res.headersSent) sendResult(res, 500, fail('INTERNAL', 'Internal error.'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) {
      sendResult(res, 403, fail('UNAUTHORIZED', 'Foreign host or origin.'));
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) {
      if (!sameOriginFetch(req.headers['sec-fetch-site'])) {
        sendResult(res, 403, fail('UNAUTHORIZED', 'Not from this page.'));
        return;
      }
      const by = authorisedBy(req, url);
      if (by === null) {
        sendResult(res, 401, fail('UNAUTHORIZED', 'Missing or wrong token.'));
        return;
      }
      await handleApi(req, res, url, by);
      return;
    }
    serveStatic(req, res, url);
  }

  /**
   * 'token': the token header, or the query for the event stream (EventSource cannot send
   * headers). 'ticket': a download without the header, to be let through by its ticket
   * (serveExportDownload checks it). null: refused. A cookie counts for nothing.
   */
  function authorisedBy(req: IncomingMessage, url: URL): 'token' | 'ticket' | null {
    const header = req.headers[TOKEN_HEADER];
    if (header !== undefined) {
      return typeof header === 'string' && sameSecret(header, token) ? 'token' : null;
    }
    if (req.method !== 'GET') return null;
    if (url.pathname === '/api/events') {
      const given = url.searchParams.get('token');
      return given !== null && sameSecret(given, token) ? 'token' : null;
    }
    if (url.pathname === EXPORT_DOWNLOAD_PATH && url.searchParams.has('ticket')) return 'ticket';
    return null;
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    by: 'token' | 'ticket',
  ): Promise<void> {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      openEventStream(req, res);
      return;
    }
    if (url.pathname === EXPORT_DOWNLOAD_PATH && req.method === 'GET') {
      await serveExportDownload(res, url, opts.ctx, SECURITY_HEADERS, by === 'token');
      return;
    }
    if (req.method !== 'POST') {
      sendResult(res, 405, fail('BAD_INPUT', 'Use POST.'));
      return;
    }
    if (url.pathname === '/api/upload') {
      if (!opts.ctx.canUpload) {
        sendResult(res, 404, fail('NOT_FOUND', 'Uploads are off.'));
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxUpload) {
        sendResult(res, 413, fail('BAD_INPUT', `Upload larger than ${maxUpload} bytes.`));
        return;
      }
      try {
        const file = await receiveUpload(
          req,
          opts.uploadDir,
          url.searchParams.get('name'),
          maxUpload,
        );
        sendResult(res, 200, { ok: true, value: { path: file } });
      } catch (err) {
        sendResult(res, 400, fail('BAD_INPUT', (err as Error).message));
      }
      return;
    }
    const m = /^\/api\/call\/([^/]+)$/.exec(url.pathname);
    if (!m && url.pathname !== BATCH_PATH) {
      sendResult(res, 404, fail('NOT_FOUND', 'No such endpoint.'));
      return;
    }
    if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) {
      sendResult(res, 415, fail('BAD_INPUT', 'Send application/json.'));
      return;
    }
    const body = await readBody(req, maxJson);
    if (body === null) {
      sendResult(res, 413, fail('BAD_INPUT', `Body larger than ${maxJson} bytes.`));
      return;
    }
    let input: unknown;
    try {
      input = body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
    } catch {
      sendResult(res, 400, fail('BAD_INPUT', 'Body is not JSON.'));
      return;
    }
    if (!m) {
      const batch = batchRequestSchema.safeParse(input);
      if (!batch.success) {
        sendResult(
          res,
          400,
          fail('BAD_INPUT', `A batch is 1 to ${MAX_BATCH_CALLS} calls of { name, input }.`),
        );
        return;
      }
      await answerBatch(res, batch.data, opts.ctx, SECURITY_HEADERS);
      return;
    }
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      sendResult(res, 400, fail('BAD_INPUT', 'Malformed call name.'));
      return;
    }
    const result = await dispatch(name, input, opts.ctx);
    sendResult(res, result.ok ? 200 : statusForError(result.error.code), result);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    const off = opts.ctx.events.subscribe((event, payload) => {
      // JSON.stringify never emits a raw newline, so one data: line always holds the payload.
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      off();
      sseClients.delete(res);
    });
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendResult(res, 405, fail('BAD_INPUT', 'Method not allowed.'));
      return;
    }
    const rel = staticRelPath(url.pathname);
    const body = rel === null ? undefined : staticFiles.get(rel);
    if (rel === null || body === undefined) {
      sendResult(res, 404, fail('NOT_FOUND', 'Not found.'));
      return;
    }
    const headers: OutgoingHttpHeaders = {
      ...SECURITY_HEADERS,
      'content-type': contentType(rel),
      'content-security-policy': RENDERER_CSP,
      'cache-control': 'no-cache',
      'content-length': body.length,
    };
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of sseClients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function fail(
  code: 'BAD_INPUT' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'INTERNAL',
  message: string,
): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendResult(res: ServerResponse, status: number, body: Result<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The Host header must name us: 127.0.0.1 or localhost on our port (DNS rebinding guard). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-site requests; only our own may call. None is fine (curl). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * Sec-Fetch-Site, which browsers send on every request, must say our own page made it: a page on
 * another 127.0.0.1 port is 'same-site', a typed or pasted address 'none'. Absent is fine (curl,
 * the CLI's tests; old browsers, which still meet the token or ticket).
 */
export function sameOriginFetch(site: string | string[] | undefined): boolean {
  return site === undefined || site === 'same-origin';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The whole body, or null as soon as it passes `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > max) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
