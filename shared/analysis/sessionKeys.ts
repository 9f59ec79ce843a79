import type { ContextParam } from './settings.js';
import { beforeFragment } from '../model/requestRecord.js';
import { bearerToken, claimString, decodeJwt, roleClaimString } from './jwt.js';

/** The parts of a request that context parameters read. */
export interface RequestContextInput {
  cookies: string | null;
  /** Request headers, names lower-cased. */
  headers: Record<string, string> | null;
  query: string | null;
  srcSession: string | null;
  srcUser: string | null;
  srcRole: string | null;
}

export interface ExtractedContext {
  /** Index into the parameter list of the session key used, or -1 for the ip+ua fallback. */
  keyParam: number;
  keyValue: string | null;
  user: string | null;
  role: string | null;
}

/** The label of a key kind as shown to users and stored with each session. */
export function keyKindLabel(p: ContextParam | undefined): string {
  if (!p) return 'ip+ua';
  switch (p.kind) {
    case 'cookie':
      return `cookie:${p.name}`;
    case 'header':
      return `header:${p.name.toLowerCase()}`;
    case 'jwt':
      return `jwt:${p.name}`;
    case 'query':
      return `query:${p.name}`;
    case 'column':
      return `source:${p.name.replace(/^src_/, '')}`;
  }
}

/**
 * One `name=value` pair of a Cookie or Set-Cookie header, trimmed and with the value's
 * quotes removed (RFC 6265 allows `"…"`), so a key issued quoted and presented quoted (or
 * not) is the same key; null when it is no pair or has an empty name or value.
 */
function cookiePair(part: string): [string, string] | null {
  const eq = part.indexOf('=');
  if (eq <= 0) return null;
  const name = part.slice(0, eq).trim();
  let value = part.slice(eq + 1).trim();
  if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"')
    value = value.slice(1, -1);
  return name !== '' && value !== '' ? [name, value] : null;
}

/** Cookie header → name/value map; the first occurrence of a name wins, as servers read it. */
export function parseCookies(raw: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!raw) return out;
  for (const part of raw.split(';')) {
    const pair = cookiePair(part);
    if (pair && !out.has(pair[0])) out.set(pair[0], pair[1]);
  }
  return out;
}

function safeDecode(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function queryParam(query: string | null, name: string): string | null {
  if (!query) return null;
  // A fragment kept in the stored query (parseTarget) was never the server's parameter.
  for (const part of beforeFragment(query).split('&')) {
    const eq = part.indexOf('=');
    const k = safeDecode(eq < 0 ? part : part.slice(0, eq));
    if (k === name) {
      const v = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
      return v === '' ? null : v;
    }
  }
  return null;
}

/** Names of the query parameters, in order of first appearance. */
export function queryParamNames(query: string | null): string[] {
  if (!query) return [];
  // A Set, not names.includes: a query of 50,000 parameters was quadratic (295 s for 200 such).
  const names = new Set<string>();
  for (const part of beforeFragment(query).split('&')) {
    const eq = part.indexOf('=');
    const k = safeDecode(eq < 0 ? part : part.slice(0, eq));
    if (k !== '') names.add(k);
  }
  return [...names];
}

const JWT_CACHE_LIMIT = 10_000;

/** `hide` when a caller gives none: a secret user or role must not be read without one. */
function secretUnhidden(): never {
  throw new Error('a secret user or role parameter read without a digest for it');
}

/**
 * Compiles the ordered parameter list into one extractor. The first parameter with a value
 * names the session; user and role likewise come from the first user/role parameter that has
 * a value. JWT decoding is cached per token because one token repeats across a session.
 *
 * A user or role read from a secret parameter is given as `hide` makes it (the caller's
 * salted digest), never as the value: nothing derived from it then holds the secret. Session
 * key values stay as they are (their digest is the sessions step's, see sessionsStep.ts).
 */
export function compileExtractor(
  params: readonly ContextParam[],
  hide: (value: string) => string = secretUnhidden,
): (req: RequestContextInput) => ExtractedContext {
  const cookieNames = params.map((p) => (p.kind === 'cookie' ? p.name : ''));
  const headerNames = params.map((p) => (p.kind === 'header' ? p.name.toLowerCase() : ''));
  const jwtCache = new Map<string, Record<string, unknown> | null>();
  const claims = (token: string): Record<string, unknown> | null => {
    let c = jwtCache.get(token);
    if (c === undefined) {
      c = decodeJwt(token)?.payload ?? null;
      if (jwtCache.size >= JWT_CACHE_LIMIT) jwtCache.clear();
      jwtCache.set(token, c);
    }
    return c;
  };

  return (req) => {
    let cookies: Map<string, string> | undefined;
    let payload: Record<string, unknown> | null | undefined;
    const valueOf = (i: number): string | null => {
      const p = params[i]!;
      switch (p.kind) {
        case 'cookie':
          if (!req.cookies) return null;
          cookies ??= parseCookies(req.cookies);
          return cookies.get(cookieNames[i]!) ?? null;
        case 'header': {
          const v = req.headers?.[headerNames[i]!];
          if (typeof v !== 'string' || v.trim() === '') return null;
          // A bearer token is the credential; the scheme word is not part of the identity.
          return headerNames[i] === 'authorization' ? (bearerToken(v) ?? v.trim()) : v.trim();
        }
        case 'jwt': {
          if (payload === undefined) {
            const token = bearerToken(req.headers?.['authorization']);
            payload = token ? claims(token) : null;
          }
          if (!payload) return null;
          // A role may be a list (`roles`, `groups`, a space-separated `scope`): comma-joined.
          return p.names === 'role'
            ? roleClaimString(payload, p.name)
            : claimString(payload, p.name);
        }
        case 'query':
          return queryParam(req.query, p.name);
        case 'column': {
          const v =
            p.name === 'src_session'
              ? req.srcSession
              : p.name === 'src_user'
                ? req.srcUser
                : req.srcRole;
          return v === null || v.trim() === '' ? null : v;
        }
      }
    };
    const out: ExtractedContext = { keyParam: -1, keyValue: null, user: null, role: null };
    for (let i = 0; i < params.length; i++) {
      const names = params[i]!.names;
      if (names === 'session' ? out.keyParam >= 0 : names === 'user' ? out.user : out.role)
        continue;
      const v = valueOf(i);
      if (v === null) continue;
      if (names === 'session') {
        out.keyParam = i;
        out.keyValue = v;
      } else if (names === 'user') out.user = params[i]!.secret ? hide(v) : v;
      else out.role = params[i]!.secret ? hide(v) : v;
    }
    return out;
  };
}

/** What a response handed out that later requests will present as their session key. */
export interface IssuedKey {
  keyParam: number;
  keyValue: string;
}

const TOKEN_FIELDS = [
  'access_token',
  'accessToken',
  'token',
  'id_token',
  'jwt',
  'sessionId',
  'session_id',
];

/** Set-Cookie values from response headers (one string, newline-joined, or an array). */
/**
 * Where a HAR's response cookie list is kept, as Set-Cookie lines, when the response has no
 * Set-Cookie header: a name no header can have (it holds a space and parentheses), so the stored
 * response headers never show a header the server did not send.
 */
export const LISTED_SET_COOKIE = 'set-cookie (from response.cookies)';

function setCookies(respHeaders: Record<string, unknown> | null): string[] {
  const v = respHeaders?.['set-cookie'] ?? respHeaders?.[LISTED_SET_COOKIE];
  if (typeof v === 'string') return v.split('\n');
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * Every session key a response issued: session cookies set by Set-Cookie (values read as
 * parseCookies reads them on later requests) and a token in a JSON login response body, one
 * per session parameter that reads one of them, in parameter order.
 *
 * A response may issue several (a login setting both JSESSIONID and sid). The one to link it
 * by is the key later requests present (see pickIssuedKey): a request presenting all of them
 * is keyed by the first in parameter order, but one presenting only a later one (a cookie
 * scoped to another path, or dropped by the client) is keyed by that one.
 */
export function issuedKeyCandidates(
  params: readonly ContextParam[],
  respHeaders: Record<string, unknown> | null,
  respBody: string | null,
): IssuedKey[] {
  const out: IssuedKey[] = [];
  const cookies = new Map<string, string>();
  for (const sc of setCookies(respHeaders)) {
    const pair = cookiePair(sc.split(';', 1)[0] ?? '');
    // Clearing a cookie (logout) issues nothing. A name set twice: the last one stands.
    if (pair && pair[1] !== 'deleted') cookies.set(pair[0], pair[1]);
  }
  let token: string | null = null;
  if (respBody && respBody.length < 1_000_000 && respBody.trimStart().startsWith('{')) {
    try {
      const body = JSON.parse(respBody) as Record<string, unknown>;
      for (const f of TOKEN_FIELDS) {
        const v = body[f];
        if (typeof v === 'string' && v !== '') {
          token = v;
          break;
        }
      }
    } catch {
      token = null;
    }
  }
  const payload = token ? (decodeJwt(token)?.payload ?? null) : null;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p.names !== 'session') continue;
    let v: string | null = null;
    if (p.kind === 'cookie') v = cookies.get(p.name) ?? null;
    else if (p.kind === 'jwt' && payload) v = claimString(payload, p.name);
    else if (p.kind === 'header' && token && p.name.toLowerCase() === 'authorization') v = token;
    if (v !== null) out.push({ keyParam: i, keyValue: v });
  }
  return out;
}

/**
 * The issued key to link a response by: the first candidate (in parameter order) that a later
 * request presents as its session key, or the first when none is seen presented (that is the
 * key a client presenting everything it was given would be keyed by).
 */
export function pickIssuedKey<T>(
  candidates: readonly T[],
  presentedLater: (candidate: T) => boolean,
): T | undefined {
  return candidates.find(presentedLater) ?? candidates[0];
}

/**
 * The key a response issued, as one link (none or one element): pickIssuedKey when which of
 * the candidates later requests present is not known, i.e. the first in parameter order.
 */
export function issuedKeys(
  params: readonly ContextParam[],
  respHeaders: Record<string, unknown> | null,
  respBody: string | null,
): IssuedKey[] {
  const key = pickIssuedKey(issuedKeyCandidates(params, respHeaders, respBody), () => false);
  return key === undefined ? [] : [key];
}
