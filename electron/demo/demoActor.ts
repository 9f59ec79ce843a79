import type { DemoRequest } from './demoRequest.js';
import type { Rng } from './prng.js';
import { STORY, at } from './demoStory.js';

export type Emit = (r: DemoRequest) => void;

/** One request as a scenario describes it; the actor fills in who sent it and when. */
export interface Call {
  method: string;
  uri: string;
  status?: number;
  ms: number;
  size: number;
  bytesRead?: number;
  contentType?: string;
  respContentType?: string;
  setCookie?: string;
  retryAfter?: number;
  /** Overrides the actor's user id for this request (e.g. the username a login submitted). */
  userId?: string;
}

/** A client with its own clock: each request starts after the previous one finished. */
export class Actor {
  t: number;
  ip: string;
  userAgent: string;
  cookie: string | undefined;
  bearer: string | undefined;
  userId: string;

  constructor(
    private readonly emit: Emit,
    start: number,
    who: { ip: string; userAgent: string; cookie?: string; bearer?: string; userId?: string },
  ) {
    this.t = start;
    this.ip = who.ip;
    this.userAgent = who.userAgent;
    this.cookie = who.cookie;
    this.bearer = who.bearer;
    this.userId = who.userId ?? '';
  }

  send(c: Call): DemoRequest {
    const r: DemoRequest = {
      tsUs: Math.round(this.t),
      ip: this.ip,
      method: c.method,
      uri: c.uri,
      userAgent: this.userAgent,
      userId: c.userId ?? this.userId,
      status: c.status ?? 200,
      durationMs: c.ms,
      size: Math.round(c.size),
      bytesRead: Math.round(c.bytesRead ?? 0),
    };
    if (this.cookie) r.cookie = this.cookie;
    if (this.bearer) r.bearer = this.bearer;
    if (c.contentType) r.contentType = c.contentType;
    if (c.respContentType) r.respContentType = c.respContentType;
    if (c.setCookie) r.setCookie = c.setCookie;
    if (c.retryAfter !== undefined) r.retryAfter = c.retryAfter;
    this.emit(r);
    this.t += c.ms * 1000;
    return r;
  }

  /** Think time between requests, in seconds. */
  wait(rng: Rng, minS: number, maxS: number): void {
    this.t += (minS + rng.next() * (maxS - minS)) * 1_000_000;
  }
}

export const JSON_TYPE = 'application/json';

/** /api/v1/reports got slow with the 14:00 release; every caller sees the same curve. */
export function reportsLatencyMs(rng: Rng, tsUs: number): number {
  const r = STORY.regression;
  return tsUs < at(r.deployAt) ? rng.around(r.beforeMs, 20, 12) : rng.around(r.afterMs, 300, 450);
}

export function sessionCookie(rng: Rng): string {
  return `session=${rng.hex(32)}`;
}

export function loginCall(rng: Rng, username: string, ok: boolean, setCookie?: string): Call {
  const c: Call = {
    method: 'POST',
    uri: '/api/v1/auth/login',
    status: ok ? 200 : 401,
    ms: rng.around(140, 60, 60),
    size: ok ? rng.int(280, 320) : 61,
    bytesRead: 40 + username.length + rng.int(8, 20),
    contentType: JSON_TYPE,
    userId: username,
  };
  if (ok && setCookie) c.setCookie = `${setCookie.split(';')[0]}; Path=/; HttpOnly; Secure`;
  return c;
}
