import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';

/**
 * Endpoint names by id. An id is a hash of method, host and template (endpointsStep), so its
 * name is the same in every case and one lookup serves every bar (the list's, then the
 * session's) for the app's life.
 */
const known = new Map<string, string>();
const KNOWN_MAX = 1000;

function remember(id: string, name: string): void {
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(id, name);
}

/**
 * Display names ("GET /api/v1/search") for the endpoint ids a filter holds: those the page
 * gave, else looked up once per id with getEndpoint. The filter (and so a link) keeps only
 * the id; until its name arrives, or if the lookup fails, a chip shows the id.
 */
export function useEndpointLabels(
  ids: readonly string[] | undefined,
  given: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  const client = useApi();
  // Bumped as a lookup answers, so the bar draws the name it left in `known`.
  const [, setArrived] = useState(0);
  const missing = (ids ?? []).filter((id) => given?.[id] === undefined && !known.has(id)).join(',');
  useEffect(() => {
    if (!missing) return;
    let live = true;
    for (const id of missing.split(',')) {
      void client.call('getEndpoint', { id }).then((r) => {
        if (!r.ok) return;
        remember(id, `${r.value.method} ${r.value.template}`);
        if (live) setArrived((n) => n + 1);
      });
    }
    return () => {
      live = false;
    };
  }, [client, missing]);
  const names: Record<string, string> = { ...given };
  for (const id of ids ?? []) {
    const name = known.get(id);
    if (names[id] === undefined && name !== undefined) names[id] = name;
  }
  return names;
}
