import { useSyncExternalStore } from 'react';
import type { RebuildProgressEvent } from '../../shared/contract/analysisApi';
import { useApi } from './ApiContext';
import type { ApiClient } from './client';

/** The case's rebuilds as this page knows them (whoever started them). */
export interface RebuildState {
  /** The running rebuild's latest step; null when none runs. */
  step: RebuildProgressEvent | null;
  /** Rebuilds finished since the page began listening: a key for what they change. */
  done: number;
}

interface Store {
  get(): RebuildState;
  subscribe(listener: () => void): () => void;
}

const stores = new WeakMap<ApiClient, Store>();

/**
 * One store per client, listening from its first use to the end of the page: the events keep
 * it current, and one `rebuildStatus` call tells a page opened while a rebuild runs which step
 * it is at (its answer is dropped once any event has been heard: the event is newer).
 */
function storeFor(client: ApiClient): Store {
  const known = stores.get(client);
  if (known) return known;
  let state: RebuildState = { step: null, done: 0 };
  let heard = false;
  const listeners = new Set<() => void>();
  const set = (next: RebuildState): void => {
    state = next;
    for (const l of [...listeners]) l();
  };
  client.on('rebuildProgress', (step) => {
    heard = true;
    set({ ...state, step });
  });
  client.on('rebuildDone', () => {
    heard = true;
    set({ step: null, done: state.done + 1 });
  });
  void client.call('rebuildStatus').then((r) => {
    if (r.ok && !heard && r.value.running) set({ ...state, step: r.value.running });
  });
  const store: Store = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  stores.set(client, store);
  return store;
}

/** The rebuild state of the page's client (see RebuildState). */
export function useRebuildState(): RebuildState {
  const store = storeFor(useApi());
  return useSyncExternalStore(store.subscribe, store.get);
}
