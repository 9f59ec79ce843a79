import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from './client';

/**
 * Hands the contract client down the tree, so views never reach for a global and component
 * tests can pass a client built on the fake transport.
 */
const ApiCtx = createContext<ApiClient | null>(null);

export function ApiProvider(props: { client: ApiClient; children: ReactNode }): ReactNode {
  return <ApiCtx.Provider value={props.client}>{props.children}</ApiCtx.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiCtx);
  if (!client) throw new Error('useApi() outside <ApiProvider>');
  return client;
}
