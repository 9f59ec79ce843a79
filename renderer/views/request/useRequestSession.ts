import { useCallback, useEffect } from 'react';
import { useApi } from '../../api/ApiContext';
import { useViewState } from '../../state/ViewStateContext';
import { prefetchSessionOpen } from '../session/sessionCalls';

/** Typing in a field: Esc there only leaves the field (App.tsx blurs it). */
function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * Opens a request's session: as it was left when the request was opened from its requests
 * table (its filters, that row selected), else the whole session from its first request (the
 * session page selects rows by position, so it cannot be asked for this request by id).
 *
 * Esc goes there too when there is nowhere to go back to (the app opened on the request, from
 * a shared link say, where Esc did nothing); with somewhere to go back to, Esc goes back
 * (App.tsx), as on every page.
 */
export function useRequestSession(sessionId: string | undefined): (() => void) | null {
  const client = useApi();
  const { state, navigate, canGoBack } = useViewState();
  const open = useCallback(() => {
    if (sessionId === undefined) return;
    const fromIt = state.sessionId === sessionId;
    const sessionFilters = fromIt ? state.sessionFilters : {};
    const selected = fromIt ? state.selected : { ...state.selected, requests: 0 };
    prefetchSessionOpen(client, sessionId, sessionFilters);
    navigate({ view: 'session', sessionId, sessionFilters, requestId: null, selected });
  }, [client, navigate, sessionId, state]);

  const hasSession = sessionId !== undefined;
  useEffect(() => {
    if (!hasSession || canGoBack) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (!isEditable(e.target)) open();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hasSession, canGoBack, open]);

  return hasSession ? open : null;
}
