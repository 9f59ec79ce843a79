import { assertNever } from '../../shared/contract/errors.js';
import {
  decodeLinkPayload,
  encodeLinkPayload,
  type ViewLink,
} from '../../shared/links/linkCodec.js';
import {
  initialViewState,
  viewStateSchema,
  type FiltersValue,
  type ListFilters,
  type ViewState,
} from '../../shared/links/viewState.js';

/**
 * The view state and its schema live in shared/ (the link codec validates with them); this
 * module keeps the renderer's imports, says which fields each view's link carries, and spells
 * the address bar's hash with the shared codec.
 */
export {
  VIEW_NAMES,
  initialViewState,
  viewStateSchema,
  type FiltersValue,
  type ListFilters,
  type ViewName,
  type ViewState,
} from '../../shared/links/viewState.js';

/**
 * What a link to this view carries: what the view shows, nothing it merely remembers. The rest
 * of the state (the list's filters behind an open session, another list's selected row) stays
 * in the app's history entry, so Back still restores it, but never reaches the address bar or
 * a copied link. A selected row 0 is the default and is left out.
 */
export function linkState(s: ViewState): ViewState {
  const own: ViewState = { ...initialViewState(), view: s.view };
  const row = (list: string): ViewState['selected'] => {
    const i = s.selected[list];
    return i ? { [list]: i } : {};
  };
  switch (s.view) {
    case 'start':
    case 'import':
    case 'rules':
    case 'audit':
    case 'settings':
      return own;
    case 'overview':
      // The requests-over-time chart follows the case-wide filters.
      return { ...own, filters: s.filters };
    case 'sessions':
      return {
        ...own,
        filters: s.filters,
        sessionSort: s.sessionSort,
        ...selection(s, ['sessions']),
      };
    case 'session':
      return {
        ...own,
        sessionId: s.sessionId,
        sessionFilters: s.sessionFilters,
        selected: row('requests'),
      };
    case 'request': {
      // The request, and the free text it marks (RequestDetails): its session's when opened
      // from that session's requests, else the case-wide one. Nothing else of either filter
      // (the page shows neither, and steps to no previous or next request through them), and
      // the session only to say whose text it is.
      if (s.sessionId === null)
        return { ...own, requestId: s.requestId, filters: textOnly(s.filters) };
      const sessionFilters = textOnly(s.sessionFilters);
      return sessionFilters.text
        ? { ...own, requestId: s.requestId, sessionId: s.sessionId, sessionFilters }
        : { ...own, requestId: s.requestId };
    }
    case 'endpoints':
      return { ...own, listFilters: listOf(s, 'endpoints'), ...selection(s, ['endpoints']) };
    case 'attacks':
      return {
        ...own,
        listFilters: listOf(s, 'attacks'),
        ...selection(s, ['attackGroups', 'attacks']),
      };
    default:
      return assertNever(s.view, 'view');
  }
}

const textOnly = (f: FiltersValue): FiltersValue => (f.text ? { text: f.text } : {});

/** One list view's own filters, left out when it has none (the link's `lf`). */
function listOf(s: ViewState, list: keyof ListFilters): ListFilters {
  const own = s.listFilters[list];
  if (own === undefined) return {};
  const kept = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length > 0 ? { [list]: kept } : {};
}

/**
 * The lists' selected rows by id where the view knows it (a link then selects the same row in
 * a list that has changed since), else by number (row 0, the default, left out).
 */
function selection(
  s: ViewState,
  lists: readonly string[],
): Pick<ViewState, 'selected' | 'selectedIds'> {
  const selected: ViewState['selected'] = {};
  const selectedIds: ViewState['selectedIds'] = {};
  for (const list of lists) {
    const id = s.selectedIds[list];
    const i = s.selected[list];
    if (id !== undefined) selectedIds[list] = id;
    else if (i) selected[list] = i;
  }
  return { selected, selectedIds };
}

/**
 * The address bar's `#v=1&view=…`: the view's link (linkState) without a case, so a reload
 * restores the view on whatever case is open. Shared links (which name their case) come from
 * the top bar.
 */
export function encodeViewState(state: ViewState): string {
  return `#${encodeLinkPayload({ caseUuid: null, state: linkState(state) })}`;
}

/**
 * The state the address bar's hash restores, or null. A payload that names a case also gives
 * null here: useOpenLink applies it once it has checked the case, so a view is never shown
 * against the wrong case. Never throws.
 */
export function decodeViewState(hash: string): ViewState | null {
  const r = readEntry({ hash, kept: null });
  return r.kind === 'view' ? r.state : null;
}

/** An entry of the window's history: its hash, and the whole state the app kept with it. */
export interface HistoryEntry {
  hash: string;
  /** Stored by the app with the entry (already checked against the schema), or null. */
  kept: ViewState | null;
  /** The case open when the app wrote the entry (null: none, or not the app's entry). */
  caseUuid?: string | null;
}

/** What an entry the investigator arrived at (Back, Forward, a pasted hash) asks for. */
export type EntryRequest =
  | { kind: 'view'; state: ViewState }
  /** A link naming a case: useOpenLink checks the case before anything is shown. */
  | { kind: 'link'; link: ViewLink }
  | { kind: 'refused'; reason: string }
  | { kind: 'none' };

/**
 * The hash is untrusted (typed, pasted, edited): it goes through the links' decoder. The state
 * the app kept with the entry is used only when it is the same view as the hash, so an edited
 * hash always wins; it adds what the link leaves out (the list behind a session, say).
 */
export function readEntry(entry: HistoryEntry): EntryRequest {
  if (entry.hash === '' || entry.hash === '#') return { kind: 'none' };
  const r = decodeLinkPayload(entry.hash);
  let state: ViewState;
  if (r.ok) {
    const { caseUuid } = r.value;
    if (caseUuid !== null) return { kind: 'link', link: { caseUuid, state: r.value.state } };
    state = r.value.state;
  } else {
    const legacy = decodeLegacyHash(entry.hash);
    if (legacy === null) return { kind: 'refused', reason: r.error.message };
    state = legacy;
  }
  // Through the schema, whose key order the decoded hash has, so the same view compares equal.
  const kept = entry.kept && viewStateSchema.safeParse(entry.kept);
  if (kept?.success && encodeViewState(kept.data) === encodeViewState(state)) {
    return { kind: 'view', state: kept.data };
  }
  return { kind: 'view', state };
}

/** `#v=<base64url JSON>`, the hash written before the versioned format: still restored. */
function decodeLegacyHash(hash: string): ViewState | null {
  const m = /^#?v=([A-Za-z0-9_-]{2,20000})$/.exec(hash);
  if (!m) return null;
  try {
    const b64 = m[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    const parsed = viewStateSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
