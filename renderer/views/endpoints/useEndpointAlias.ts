import { useEffect } from 'react';
import { useApi } from '../../api/ApiContext';

/**
 * A link's endpoint id that the list does not hold may be one the endpoint had before its host
 * was folded (`Shop.Example` is now `shop.example`): the backend's getEndpoint answers such an
 * id with the endpoint it became, and the selection moves to that endpoint's id.
 */
export function useEndpointAlias(
  id: string | undefined,
  missing: 'gone' | 'beyond' | null,
  select: (id: string) => void,
): void {
  const client = useApi();
  useEffect(() => {
    if (id === undefined || missing === null) return;
    let live = true;
    void client.call('getEndpoint', { id }).then((r) => {
      if (live && r.ok && r.value.id !== id) select(r.value.id);
    });
    return () => {
      live = false;
    };
  }, [client, id, missing, select]);
}
