import { fnv1a } from './hash.js';
import {
  SessionFeatureBuilder,
  type RequestObservation,
  type SessionFeatures,
} from './features.js';
import type { UaClass } from './userAgent.js';

/** Generated sessions for the detector tests: a seeded capture of normal sessions and helpers. */

export const T0 = Date.UTC(2026, 2, 12, 9) * 1000;

/** A tiny seeded PRNG (mulberry32), so every generated session is the same on every run. */
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

export type TestRequest = Partial<Omit<RequestObservation, 'pathHash'>> & { path?: string };

export function req(over: TestRequest): RequestObservation {
  const { path = '/', ...rest } = over;
  return {
    tsUs: T0,
    ip: 1,
    status: 200,
    respBytes: 2000,
    endpoint: 1,
    templated: false,
    asset: false,
    auth: false,
    sms: false,
    user: -1,
    query: null,
    ...rest,
    pathHash: fnv1a(path),
  };
}

/** Requests at irregular gaps (2–20 s) from `T0`, so timing detectors stay quiet. */
export function irregular(
  n: number,
  make: (k: number) => TestRequest,
  seed = 7,
): RequestObservation[] {
  const rnd = prng(seed);
  let ts = T0;
  return Array.from({ length: n }, (_, k) => {
    ts += Math.round((2 + rnd() * 18) * 1e6);
    return req({ tsUs: ts, ...make(k) });
  });
}

export function features(
  reqs: readonly RequestObservation[],
  uaClass: UaClass = 'browser',
  idWindowUs?: number,
): SessionFeatures {
  const b = new SessionFeatureBuilder(idWindowUs);
  for (const r of reqs) b.add(r);
  return { ...b.finish(), uaClass };
}

/** A signed-in person browsing: a login, then pages at human gaps. */
export function normalSession(k: number): SessionFeatures {
  const rnd = prng(1000 + k);
  const n = 20 + Math.floor(rnd() * 30);
  return features(
    irregular(
      n,
      (i) =>
        i === 0
          ? { auth: true, user: k, path: '/api/v1/auth/login', endpoint: 100 }
          : {
              path: `/app/page${Math.floor(rnd() * 12)}`,
              endpoint: 2 + (i % 5),
              respBytes: 1000 + Math.floor(rnd() * 50_000),
              ip: 1 + (i % 2),
              user: k,
            },
      k,
    ),
  );
}

export const normalCapture: readonly SessionFeatures[] = Array.from({ length: 40 }, (_, k) =>
  normalSession(k),
);
