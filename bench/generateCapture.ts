import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** A seeded PRNG (mulberry32): the same seed gives the same capture on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD'];
const PATHS = [
  '/',
  '/login',
  '/logout',
  '/api/users/{id}',
  '/api/orders/{id}/items',
  '/api/cart',
  '/static/app.{id}.js',
  '/images/p/{id}.jpg',
  '/search',
  '/admin/reports/{id}',
  '/checkout/pay',
  '/api/v2/products/{id}/reviews',
];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.4.0',
  'python-requests/2.31.0',
];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 302, 404, 500, 401, 403];

export interface GeneratedRequest {
  tsMs: number;
  ip: string;
  user: string | null;
  method: string;
  target: string;
  status: number;
  bytes: number;
  referer: string | null;
  ua: string;
  requestTimeS: string;
}

/** Deterministic synthetic traffic: a few thousand clients browsing a shop-like site. */
export function* generateRequests(count: number, seed = 42): Generator<GeneratedRequest> {
  const rnd = prng(seed);
  let ts = Date.UTC(2024, 2, 1, 0, 0, 0);
  for (let i = 0; i < count; i++) {
    ts += Math.floor(rnd() * 40);
    const client = Math.floor(rnd() * 5000);
    const id = Math.floor(rnd() * 100000);
    const path = PATHS[Math.floor(rnd() * PATHS.length)]!.replace('{id}', String(id));
    const q = rnd() < 0.3 ? `?page=${Math.floor(rnd() * 20)}&sort=price` : '';
    yield {
      tsMs: ts,
      ip: `10.${(client >> 8) & 255}.${client & 255}.${(client * 7) & 255}`,
      user: rnd() < 0.2 ? `user${client}` : null,
      method: METHODS[Math.floor(rnd() * METHODS.length)]!,
      target: path + q,
      status: STATUSES[Math.floor(rnd() * STATUSES.length)]!,
      bytes: Math.floor(rnd() * 60000),
      referer: rnd() < 0.5 ? 'https://shop.example/' : null,
      ua: UAS[client % UAS.length]!,
      requestTimeS: (rnd() * 2).toFixed(3),
    };
  }
}

function pad(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** One nginx `combined` line followed by $request_time. */
export function combinedLine(r: GeneratedRequest): string {
  return `${r.ip} - ${r.user ?? '-'} [${clfTime(r.tsMs)}] "${r.method} ${r.target} HTTP/1.1" ${
    r.status
  } ${r.bytes} "${r.referer ?? '-'}" "${r.ua}" ${r.requestTimeS}`;
}

export const CSV_HEADER =
  'timestamp,client_ip,user,method,url,protocol,status,bytes_sent,referer,user_agent,request_time';

export function csvLine(r: GeneratedRequest): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [
    new Date(r.tsMs).toISOString(),
    r.ip,
    r.user ?? '',
    r.method,
    q(r.target),
    'HTTP/1.1',
    r.status,
    r.bytes,
    r.referer ?? '',
    q(r.ua),
    r.requestTimeS,
  ].join(',');
}

/** Writes `count` lines to `file` in the given shape; resolves when flushed. */
export async function writeCapture(
  file: string,
  count: number,
  shape: 'combined' | 'csv',
  seed = 42,
): Promise<void> {
  const out = createWriteStream(file);
  let buf: string[] = shape === 'csv' ? [CSV_HEADER] : [];
  for (const r of generateRequests(count, seed)) {
    buf.push(shape === 'csv' ? csvLine(r) : combinedLine(r));
    if (buf.length >= 4096) {
      if (!out.write(buf.join('\n') + '\n')) await once(out, 'drain');
      buf = [];
    }
  }
  if (buf.length > 0) out.write(buf.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
}
