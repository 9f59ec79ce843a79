import { decodeLinkPayload, encodeLinkPayload } from '../../shared/links/linkCodec.js';
import { viewStateSchema, type ViewState } from '../../shared/links/viewState.js';

/**
 * The view state and its schema live in shared/ (the link codec validates with them); this
 * module keeps the renderer's imports and spells the address bar's hash with the shared codec.
 */
export {
  VIEW_NAMES,
  initialViewState,
  viewStateSchema,
  type FiltersValue,
  type ViewName,
  type ViewState,
} from '../../shared/links/viewState.js';

/**
 * The address bar's `#v=1&view=…`: the link payload without a case, so a reload restores the
 * view on whatever case is open. Shared links (which name their case) come from the top bar.
 */
export function encodeViewState(state: ViewState): string {
  return `#${encodeLinkPayload({ caseUuid: null, state })}`;
}

/**
 * The state the address bar's hash restores at start-up, or null. A payload that names a case
 * also gives null here: useOpenLink applies it once it has checked the case, so a view is
 * never shown against the wrong case. Never throws.
 */
export function decodeViewState(hash: string): ViewState | null {
  const r = decodeLinkPayload(hash);
  if (r.ok) return r.value.caseUuid === null ? r.value.state : null;
  return decodeLegacyHash(hash);
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
