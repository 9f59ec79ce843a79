import { useEffect } from 'react';
import { useApi } from '../api/ApiContext';
import { useViewState } from './ViewStateContext';
import { decodeViewState } from './viewState';

/**
 * Links opened from outside (the OS hands `sessionscope://…#v=…` to the app) carry a view
 * state in their hash. A link that does not decode is ignored: it is hostile input.
 */
export function useOpenLink(): void {
  const client = useApi();
  const { replaceAll } = useViewState();
  useEffect(
    () =>
      client.on('openLink', ({ url }) => {
        let hash: string;
        try {
          hash = new URL(url).hash;
        } catch {
          return;
        }
        const state = decodeViewState(hash);
        if (state) replaceAll(state);
      }),
    [client, replaceAll],
  );
}
