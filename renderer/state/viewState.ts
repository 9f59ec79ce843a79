import { z } from 'zod';
import { filtersSchema } from '../../shared/query/filterModel';

/**
 * Everything that says what the investigator is looking at, in one serialisable object, so a
 * link (the URL hash) restores the exact view. Display preferences are not part of it.
 */
export const VIEW_NAMES = [
  'start',
  'import',
  'overview',
  'sessions',
  'session',
  'request',
  'endpoints',
  'attacks',
  'audit',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const sortSchema = z.object({
  column: z.string().max(64),
  dir: z.enum(['asc', 'desc']),
});

/** Validated with the shared filter model's schema: a link is hostile input like any other. */
export const viewStateSchema = z.object({
  view: z.enum(VIEW_NAMES),
  filters: filtersSchema,
  /** Filters applied inside the open session, on top of `filters`. */
  sessionFilters: filtersSchema,
  sessionId: z.string().max(200).nullable(),
  requestId: z.number().int().positive().nullable(),
  sessionSort: sortSchema.nullable(),
  /** Keyboard-selected row per list, so coming back lands on the same row. */
  selected: z.record(z.string().max(32), z.number().int().min(0)),
});

export type ViewState = z.infer<typeof viewStateSchema>;
export type FiltersValue = ViewState['filters'];

export function initialViewState(): ViewState {
  return {
    view: 'start',
    filters: {},
    sessionFilters: {},
    sessionId: null,
    requestId: null,
    sessionSort: null,
    selected: {},
  };
}

const HASH_KEY = 'v';

function toBase64Url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** `#v=<base64url JSON>`: survives copy/paste, file:// and the browser-mode server alike. */
export function encodeViewState(state: ViewState): string {
  return `#${HASH_KEY}=${toBase64Url(JSON.stringify(state))}`;
}

/** Returns null for anything that is not a well-formed view state (never throws). */
export function decodeViewState(hash: string): ViewState | null {
  const m = /^#?v=([A-Za-z0-9_-]{1,20000})$/.exec(hash);
  if (!m) return null;
  try {
    const parsed = viewStateSchema.safeParse(JSON.parse(fromBase64Url(m[1]!)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
