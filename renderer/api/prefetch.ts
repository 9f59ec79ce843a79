import type { CallName, InputOf, OutputOf } from '../../shared/contract/api.js';
import type { Result } from '../../shared/contract/errors.js';
import type { BatchItem } from './batchCall';
import type { ApiClient } from './client';
import { PREFETCH_TTL_MS } from './prefetchTtl';

export { PREFETCH_TTL_MS };

/** At most this many answers wait to be used; the oldest is dropped first. */
const MAX_WAITING = 12;

interface Waiting {
  promise: Promise<Result<unknown>>;
  at: number;
  /** The answer once it has arrived, for a view that can draw it in its first render. */
  answer?: Result<unknown>;
}

const waitingByClient = new WeakMap<ApiClient, Map<string, Waiting>>();

/** The call's identity: its name and input, with object keys in a fixed order. */
function keyOf(name: CallName, input: unknown): string {
  return `${name} ${JSON.stringify(input, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )}`;
}

/**
 * Asks for a read call's answer ahead of the view that will need it — when the investigator
 * opens something, before the view has rendered — so the round trip overlaps the render
 * instead of following it. Only for calls that change nothing; the view takes the answer
 * with `callPrefetched` with the same input, or it expires unused.
 */
export function prefetch<N extends CallName>(
  client: ApiClient,
  name: N,
  input: InputOf<N>,
  now: () => number = Date.now,
): void {
  prefetchAll(client, [readCall(name, input)], now);
}

/** One call of a prefetchAll, typed by its name. */
export function readCall<N extends CallName>(name: N, input: InputOf<N>): BatchItem {
  return { name, input };
}

/**
 * Prefetches several calls, in one round trip where the transport batches (browser mode);
 * each answer is then taken on its own, as from `prefetch`.
 */
export function prefetchAll(
  client: ApiClient,
  calls: readonly BatchItem[],
  now: () => number = Date.now,
): void {
  const asked = waitingFor(client);
  const at = now();
  for (const [key, w] of asked) if (at - w.at > PREFETCH_TTL_MS) asked.delete(key);
  const fresh = calls.filter((c) => !asked.has(keyOf(c.name, c.input)));
  if (fresh.length === 0) return;
  const call = client.call as (n: CallName, i: unknown) => Promise<Result<unknown>>;
  const answers =
    fresh.length > 1 && client.callBatch
      ? client.callBatch(fresh)
      : fresh.map((c) => call(c.name, c.input));
  fresh.forEach((c, i) => {
    const entry: Waiting = { promise: answers[i]!, at };
    void entry.promise.then((r) => (entry.answer = r));
    asked.set(keyOf(c.name, c.input), entry);
  });
  while (asked.size > MAX_WAITING) asked.delete(asked.keys().next().value as string);
}

/**
 * The client's waiting answers. A rebuild or an import changes what every read answers, so
 * either one drops them all: no view draws an answer asked for before it.
 */
function waitingFor(client: ApiClient): Map<string, Waiting> {
  let waiting = waitingByClient.get(client);
  if (!waiting) {
    const fresh = new Map<string, Waiting>();
    client.on('rebuildDone', () => fresh.clear());
    client.on('importDone', () => fresh.clear());
    waitingByClient.set(client, fresh);
    waiting = fresh;
  }
  return waiting;
}

/**
 * The prefetched answer for exactly this call if it has already arrived, ok and in time, for
 * a view's first render: a session opened after its answers came draws its table and
 * timeline at once, with no loading pass. Leaves the answer waiting: the view's load still
 * takes it (callPrefetched), which keeps a render free of side effects.
 */
export function arrivedPrefetch<N extends CallName>(
  client: ApiClient,
  name: N,
  input: InputOf<N>,
  now: () => number = Date.now,
): Result<OutputOf<N>> | undefined {
  const hit = waitingByClient.get(client)?.get(keyOf(name, input));
  if (!hit?.answer?.ok || now() - hit.at > PREFETCH_TTL_MS) return undefined;
  return hit.answer as Result<OutputOf<N>>;
}

/** The prefetched answer for exactly this call if one is waiting (used once), else a call. */
export function callPrefetched<N extends CallName>(
  client: ApiClient,
  name: N,
  input: InputOf<N>,
  now: () => number = Date.now,
): Promise<Result<OutputOf<N>>> {
  const waiting = waitingByClient.get(client);
  const key = keyOf(name, input);
  const hit = waiting?.get(key);
  if (hit) {
    waiting!.delete(key);
    if (now() - hit.at <= PREFETCH_TTL_MS) return hit.promise as Promise<Result<OutputOf<N>>>;
  }
  const call = client.call as (n: N, i: InputOf<N>) => Promise<Result<OutputOf<N>>>;
  return call(name, input);
}
