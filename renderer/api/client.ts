import {
  api,
  isCallName,
  isEventName,
  type CallName,
  type EventName,
  type InputOf,
  type OutputOf,
  type ParsedInputOf,
  type PayloadOf,
} from '../../shared/contract/api.js';
import type { ShellMode } from '../../shared/contract/caseApi.js';
import { isResult, toErrorInfo, type Result } from '../../shared/contract/errors.js';
import { fetchBatch, type BatchItem } from './batchCall';

/**
 * The renderer's only way to the backend. Two transports share one typed surface: the
 * Electron preload bridge (`window.sessionscope`) and, in browser mode, HTTP + server-sent
 * events to the local server. Component tests use `createFakeTransport`.
 */

export type Unsubscribe = () => void;

/** What a transport moves; types are restored by `createClient` from the contract. */
export interface Transport {
  readonly mode: ShellMode | 'fake';
  call(name: CallName, input: unknown): Promise<Result<unknown>>;
  on(event: EventName, cb: (payload: unknown) => void): Unsubscribe;
  /** Browser mode only: stores a file on the backend's machine and returns its path there. */
  upload?(file: Blob, fileName: string): Promise<Result<{ path: string }>>;
  /** Browser mode only: several calls in one round trip, one answer each (batchCall.ts). */
  callBatch?(calls: readonly BatchItem[]): Promise<Result<unknown>>[];
}

/** The shape preload.ts exposes: one function per call, plus `on`. */
export type PreloadBridge = {
  [N in CallName]: (input?: unknown) => Promise<Result<unknown>>;
} & { on(event: EventName, cb: (payload: unknown) => void): Unsubscribe };

type CallArgs<N extends CallName> =
  undefined extends InputOf<N> ? [input?: InputOf<N>] : [input: InputOf<N>];

export interface ApiClient {
  readonly mode: Transport['mode'];
  call<N extends CallName>(name: N, ...args: CallArgs<N>): Promise<Result<OutputOf<N>>>;
  on<E extends EventName>(event: E, cb: (payload: PayloadOf<E>) => void): Unsubscribe;
  /** Undefined when the transport cannot upload (Electron reads paths directly). */
  readonly upload:
    ((file: Blob, fileName: string) => Promise<Result<{ path: string }>>) | undefined;
  /**
   * Several calls in one round trip where the transport has it (browser mode), else
   * undefined: a view then makes the calls one by one. Answers are the calls' Results.
   */
  readonly callBatch: ((calls: readonly BatchItem[]) => Promise<Result<unknown>>[]) | undefined;
}

export function createClient(transport: Transport): ApiClient {
  return {
    mode: transport.mode,
    call: (name, ...args) =>
      transport.call(name, args[0]) as Promise<Result<OutputOf<typeof name>>>,
    on: (event, cb) => transport.on(event, cb as (payload: unknown) => void),
    upload: transport.upload?.bind(transport),
    callBatch: transport.callBatch?.bind(transport),
  };
}

// ---- Electron --------------------------------------------------------------------------------

export function preloadTransport(bridge: PreloadBridge): Transport {
  return {
    mode: 'electron',
    call: (name, input) => bridge[name](input),
    on: (event, cb) => bridge.on(event, cb),
  };
}

// ---- browser mode ----------------------------------------------------------------------------

const TOKEN_KEY = 'sessionscope.token';
export const TOKEN_HEADER = 'x-sessionscope-token';

/**
 * Reads the per-run token once from `?token=`, keeps it in the origin's localStorage (so a
 * second tab, or a copied link pasted into one, is let in too; storage is per scheme, host and
 * port, unlike a cookie, which every server on 127.0.0.1 would receive) and removes it from the
 * address bar so it does not end up in history or screenshots. Each run's `?token=` replaces
 * the one kept; a stopped server's token opens nothing.
 */
export function takeToken(loc: Location, storage: Storage, history: History): string | null {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

export interface HttpTransportDeps {
  fetch: typeof fetch;
  EventSource: typeof EventSource;
  token: string | null;
  /** Base URL of the server, '' for same origin. */
  base?: string;
}

export function httpTransport(deps: HttpTransportDeps): Transport {
  const base = deps.base ?? '';
  const headers = (extra: Record<string, string>): Record<string, string> =>
    deps.token ? { ...extra, [TOKEN_HEADER]: deps.token } : extra;

  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  const ensureSource = (): EventSource => {
    if (source) return source;
    const q = deps.token ? `?token=${encodeURIComponent(deps.token)}` : '';
    source = new deps.EventSource(`${base}/api/events${q}`);
    return source;
  };

  const post = async <T>(url: string, body: BodyInit, type: string): Promise<Result<T>> => {
    try {
      const res = await deps.fetch(base + url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: headers({ 'content-type': type }),
        body,
      });
      const json: unknown = await res.json();
      if (isResult(json)) return json as Result<T>;
      return { ok: false, error: { code: 'INTERNAL', message: `Bad reply (HTTP ${res.status})` } };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  };

  return {
    mode: 'browser',
    call: (name, input) =>
      post(
        `/api/call/${encodeURIComponent(name)}`,
        JSON.stringify(input ?? {}),
        'application/json',
      ),
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) {
        const fresh = new Set<(payload: unknown) => void>();
        listeners.set(event, fresh);
        set = fresh;
        ensureSource().addEventListener(event, (msg) => {
          let payload: unknown;
          try {
            payload = JSON.parse((msg as MessageEvent<string>).data) as unknown;
          } catch {
            return;
          }
          for (const l of fresh) l(payload);
        });
      }
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },
    upload: (file, fileName) =>
      post(`/api/upload?name=${encodeURIComponent(fileName)}`, file, 'application/octet-stream'),
    callBatch: (calls) => fetchBatch(deps.fetch, base, headers({}), calls),
  };
}

// ---- choosing at run time ----------------------------------------------------------------

declare global {
  interface Window {
    sessionscope?: PreloadBridge;
  }
}

let defaultClient: ApiClient | undefined;

/** The app's client: the preload bridge inside Electron, HTTP in a plain browser. */
export function getClient(): ApiClient {
  if (defaultClient) return defaultClient;
  const bridge = window.sessionscope;
  defaultClient = createClient(
    bridge
      ? preloadTransport(bridge)
      : httpTransport({
          fetch: window.fetch.bind(window),
          EventSource: window.EventSource,
          token: takeToken(window.location, window.localStorage, window.history),
        }),
  );
  return defaultClient;
}

// ---- fake for component tests --------------------------------------------------------------

export type FakeHandlers = {
  [N in CallName]?: (input: ParsedInputOf<N>) => OutputOf<N> | Promise<OutputOf<N>>;
};

export interface FakeTransport extends Transport {
  /** Every call made, with its parsed input, in order. */
  readonly calls: { name: CallName; input: unknown }[];
  /** Pushes an event to every listener, as the backend would. */
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void;
}

/**
 * A transport backed by plain functions. Inputs go through the contract's schemas as in the
 * real shells, so a component sending a malformed input fails its test with BAD_INPUT; a call
 * without a handler answers NOT_FOUND; a handler that throws an AppError answers its code.
 */
export function createFakeTransport(handlers: FakeHandlers = {}): FakeTransport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: { name: CallName; input: unknown }[] = [];
  return {
    mode: 'fake',
    calls,
    async call(name, input) {
      if (!isCallName(name)) {
        return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown call ${String(name)}` } };
      }
      const parsed = api[name].input.safeParse(input);
      if (!parsed.success) {
        return { ok: false, error: { code: 'BAD_INPUT', message: parsed.error.message } };
      }
      calls.push({ name, input: parsed.data });
      const handler = handlers[name] as ((i: unknown) => unknown) | undefined;
      if (!handler) {
        return { ok: false, error: { code: 'NOT_FOUND', message: `No fake for ${name}` } };
      }
      try {
        return { ok: true, value: await handler(parsed.data) };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },
    on(event, cb) {
      if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}
