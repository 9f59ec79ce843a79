import { useCallback } from 'react';
import type { Filters } from '../../../shared/query/filterModel';
import type { ViewState } from '../../state/viewState';
import { useViewState } from '../../state/ViewStateContext';

type Selection = Pick<ViewState, 'selected' | 'selectedIds'>;

/**
 * The sessions list's selection started over: its first row, no session kept by id. New
 * case-wide filters make it another list (as its own filter bar does), where the session
 * selected before is no more likely to be than any other.
 */
export function firstSessionSelected(s: Selection): Selection {
  const { sessions: _id, ...otherIds } = s.selectedIds;
  return { selected: { ...s.selected, sessions: 0 }, selectedIds: otherIds };
}

/**
 * Opens the sessions list on these filters alone, its first row selected. They replace the
 * filters set before: a click that names what to list (an endpoint, an attack group) shows
 * that, not what it has in common with an older search (often nothing).
 */
export function useOpenSessions(): (filters: Filters) => void {
  const { state, navigate } = useViewState();
  const { selected, selectedIds } = state;
  return useCallback(
    (filters: Filters) =>
      navigate({ view: 'sessions', filters, ...firstSessionSelected({ selected, selectedIds }) }),
    [navigate, selected, selectedIds],
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
