import { useCallback } from 'react';
import type { Filters } from '../../../shared/query/filterModel';
import { useViewState } from '../../state/ViewStateContext';

/**
 * Opens the sessions list on these filters alone, its first row selected. They replace the
 * filters set before: a click that names what to list (an endpoint, an attack group) shows
 * that, not what it has in common with an older search (often nothing).
 */
export function useOpenSessions(): (filters: Filters) => void {
  const { state, navigate } = useViewState();
  const selected = state.selected;
  return useCallback(
    (filters: Filters) =>
      navigate({ view: 'sessions', filters, selected: { ...selected, sessions: 0 } }),
    [navigate, selected],
  );
}

/**
 * The sessions that called one endpoint, however it was picked (the Overview's riskiest
 * endpoints, the Endpoints view, a request's endpoint).
 */
export function useOpenEndpointSessions(): (endpointId: string) => void {
  const open = useOpenSessions();
  return useCallback((endpointId: string) => open({ endpoints: [endpointId] }), [open]);
}
