import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { VIEW_NAMES, viewStateSchema, type ViewState } from './viewState.js';

/**
 * Links to a view: identifiers and filters only, never request contents. One payload, two
 * spellings:
 *
 *   sessionscope://open?v=1&case=<uuid>&view=session&session=s…&request=42&f=<b64url JSON>
 *   http://127.0.0.1:PORT/#v=1&case=<uuid>&view=session&…     (browser mode; never the token)
 *
 * Identifiers stay readable; filter objects (which include the time range as `from`/`to`) are
 * base64url JSON, which is shorter than percent-encoded JSON and needs no escaping: `f`/`sf` the
 * case-wide and in-session filters, `lf` a list view's own (Endpoints, Attacks), `sel` selected
 * rows by number (what older links carry) and `pick` by id (a session or endpoint id, an attack
 * group's key), which the view resolves in its list or says is gone. Parameters
 * are written in one fixed order and defaults are left out, so one view has one link.
 *
 * Decoding is for hostile input: a size limit first, then exact syntax (no unknown or repeated
 * parameters), then the shared view-state schema. Any failure is a typed error with a message
 * for the investigator; there is no partial result and nothing throws.
 */

export const LINK_VERSION = 1;
/** Far above any real view (a few hundred characters); bounds the work a pasted link can cause. */
export const MAX_LINK_CHARS = 8192;

export interface ViewLink {
  /** The case's `meta.uuid`: a link opens only in the case it was made in. */
  caseUuid: string;
  state: ViewState;
}

/** The payload alone, as the address bar's hash carries it; the case may be left out there. */
export interface LinkPayload {
  caseUuid: string | null;
  state: ViewState;
}

export type LinkErrorCode =
  'TOO_LONG' | 'NOT_A_LINK' | 'UNSUPPORTED_VERSION' | 'MALFORMED' | 'INVALID_VIEW' | 'NO_CASE';

export interface LinkError {
  code: LinkErrorCode;
  message: string;
}

export type LinkResult<T> = { ok: true; value: T } | { ok: false; error: LinkError };

const fail = (code: LinkErrorCode, message: string): { ok: false; error: LinkError } => ({
  ok: false,
  error: { code, message },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DESKTOP = /^sessionscope:\/\/open\/?\?([^#]*)$/i;
// Any query (the user may have kept `?token=…` from their own run) is ignored: the view is
// in the fragment.
const BROWSER = /^http:\/\/127\.0\.0\.1:(\d{1,5})\/(?:\?[^#]*)?#(.*)$/;
const KEYS = [
  'v',
  'case',
  'view',
  'session',
  'request',
  'sort',
  'f',
  'sf',
  'lf',
  'sel',
  'pick',
] as const;
type Key = (typeof KEYS)[number];
const JSON_KEYS = ['f', 'sf', 'lf', 'sel', 'pick'] as const;
type JsonKey = (typeof JSON_KEYS)[number];

const isEmptyObject = (o: object): boolean => Object.keys(o).length === 0;
const packJson = (o: unknown): string => encodeBase64Url(JSON.stringify(o));

/** The payload as `key=value&…`, without a leading `?` or `#`. */
export function encodeLinkPayload(link: LinkPayload): string {
  const s = link.state;
  const parts: [Key, string][] = [['v', String(LINK_VERSION)]];
  if (link.caseUuid !== null) parts.push(['case', link.caseUuid]);
  parts.push(['view', s.view]);
  if (s.sessionId !== null) parts.push(['session', s.sessionId]);
  if (s.requestId !== null) parts.push(['request', String(s.requestId)]);
  if (s.sessionSort !== null) parts.push(['sort', `${s.sessionSort.dir}.${s.sessionSort.column}`]);
  if (!isEmptyObject(s.filters)) parts.push(['f', packJson(s.filters)]);
  if (!isEmptyObject(s.sessionFilters)) parts.push(['sf', packJson(s.sessionFilters)]);
  if (!isEmptyObject(s.listFilters)) parts.push(['lf', packJson(s.listFilters)]);
  if (!isEmptyObject(s.selected)) parts.push(['sel', packJson(s.selected)]);
  if (!isEmptyObject(s.selectedIds)) parts.push(['pick', packJson(s.selectedIds)]);
  return parts.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export function encodeDesktopLink(link: ViewLink): string {
  return `sessionscope://open?${encodeLinkPayload(link)}`;
}

/** `port` is the browser-mode server's; the token is deliberately not part of a link. */
export function encodeBrowserLink(link: ViewLink, port: number): string {
  return `http://127.0.0.1:${port}/#${encodeLinkPayload(link)}`;
}

/** Either spelling. The case UUID is required: a shared link names its case. */
export function decodeLink(url: string): LinkResult<ViewLink> {
  if (url.length > MAX_LINK_CHARS) return tooLong();
  const desktop = DESKTOP.exec(url);
  const browser = desktop ? null : BROWSER.exec(url);
  if (browser && !(Number(browser[1]) >= 1 && Number(browser[1]) <= 65535)) {
    return fail('NOT_A_LINK', 'The link names a port that does not exist.');
  }
  const payload = desktop?.[1] ?? browser?.[2];
  if (payload === undefined) {
    return fail(
      'NOT_A_LINK',
      'This is not a Sessionscope link (expected sessionscope://open?… or http://127.0.0.1:PORT/#…).',
    );
  }
  const r = decodeLinkPayload(payload);
  if (!r.ok) return r;
  if (r.value.caseUuid === null)
    return fail('NO_CASE', 'The link does not say which case it is for.');
  return { ok: true, value: { caseUuid: r.value.caseUuid, state: r.value.state } };
}

/** The payload alone (a URL fragment, with or without its `#`). */
export function decodeLinkPayload(payload: string): LinkResult<LinkPayload> {
  if (payload.length > MAX_LINK_CHARS) return tooLong();
  const params = splitParams(payload.replace(/^#/, ''));
  if (!params.ok) return params;
  const p = params.value;
  if (p.get('v') !== String(LINK_VERSION)) {
    return p.has('v')
      ? fail('UNSUPPORTED_VERSION', 'The link was made by a newer or unknown Sessionscope version.')
      : fail('MALFORMED', 'The link has no version (v=1).');
  }
  const caseUuid = p.get('case') ?? null;
  if (caseUuid !== null && !UUID.test(caseUuid)) {
    return fail('MALFORMED', 'The link’s case identifier is not a UUID.');
  }
  const view = p.get('view');
  if (view === undefined || !(VIEW_NAMES as readonly string[]).includes(view)) {
    return fail('INVALID_VIEW', `The link names no known view (${VIEW_NAMES.join(', ')}).`);
  }
  const request = p.get('request');
  if (request !== undefined && !/^[1-9]\d{0,15}$/.test(request)) {
    return fail('MALFORMED', 'The link’s request id is not a positive whole number.');
  }
  const sort = p.get('sort');
  const sortMatch = sort === undefined ? null : /^(asc|desc)\.(.*)$/s.exec(sort);
  if (sort !== undefined && !sortMatch) {
    return fail('MALFORMED', 'The link’s sort order is not "asc.<column>" or "desc.<column>".');
  }
  const json: Record<JsonKey, unknown> = { f: {}, sf: {}, lf: {}, sel: {}, pick: {} };
  for (const k of JSON_KEYS) {
    const raw = p.get(k);
    if (raw === undefined) continue;
    const text = decodeBase64Url(raw);
    const value = text === null ? undefined : parseJson(text);
    if (value === undefined) return fail('MALFORMED', `The link’s "${k}" part is damaged.`);
    json[k] = value;
  }
  const parsed = viewStateSchema.safeParse({
    view,
    filters: json.f,
    sessionFilters: json.sf,
    sessionId: p.get('session') ?? null,
    requestId: request === undefined ? null : Number(request),
    sessionSort: sortMatch ? { dir: sortMatch[1], column: sortMatch[2] } : null,
    selected: json.sel,
    listFilters: json.lf,
    selectedIds: json.pick,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return fail('INVALID_VIEW', `The link’s view is not valid (${where}${issue?.message ?? '?'}).`);
  }
  return { ok: true, value: { caseUuid, state: parsed.data } };
}

function tooLong(): { ok: false; error: LinkError } {
  return fail('TOO_LONG', `The link is longer than ${MAX_LINK_CHARS} characters.`);
}

function parseJson(text: string): unknown {
  try {
    // A "__proto__" key has no business in a view; refuse it rather than let it be dropped.
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new Error('prototype key');
      return value;
    }) as unknown;
  } catch {
    return undefined;
  }
}

function splitParams(query: string): LinkResult<Map<Key, string>> {
  const out = new Map<Key, string>();
  if (query === '') return fail('MALFORMED', 'The link is empty.');
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!(KEYS as readonly string[]).includes(key)) {
      return fail('MALFORMED', 'The link has a part Sessionscope does not know.');
    }
    if (out.has(key as Key)) return fail('MALFORMED', `The link repeats "${key}".`);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return fail('MALFORMED', `The link’s "${key}" part is damaged.`);
    }
    if (eq < 0 || value === '') return fail('MALFORMED', `The link’s "${key}" part is empty.`);
    out.set(key as Key, value);
  }
  return { ok: true, value: out };
}
