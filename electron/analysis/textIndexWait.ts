// The free-text filter's wait for a text index that a rebuild job's worker is building after its
// answer (rebuildWorker.ts, TextIndexLater). Testing every request's text instead (the exact
// fallback) takes seconds on a million requests, far longer than the index's last second: a
// search asked for meanwhile waits for it, on the flag the worker raises when it is done.
import path from 'node:path';

/** Where the worker raises its flag: index 1 of the job's shared control array. */
export const TAIL_ENDED = 1;
/** At most this long a search waits for the index (a stalled worker: the exact test then). */
const WAIT_MS = 5_000;

const building = new Map<string, Int32Array>();

function key(casePath: string): string {
  return path.resolve(casePath);
}

/**
 * Records that a worker builds the index of the case at `casePath` until it sets
 * `flag[TAIL_ENDED]` to 1; returns what forgets it (once it has ended, or its worker has).
 */
export function textIndexBuilding(casePath: string, flag: Int32Array): () => void {
  const k = key(casePath);
  building.set(k, flag);
  return () => {
    if (building.get(k) === flag) building.delete(k);
  };
}

/** Raised by the worker once its index is committed or given up (and wakes the waiter). */
export function textIndexBuilt(flag: Int32Array): void {
  Atomics.store(flag, TAIL_ENDED, 1);
  Atomics.notify(flag, TAIL_ENDED);
}

/**
 * Blocks until the index being built for the case at `casePath` is done (or WAIT_MS passed);
 * false when none is being built, so waiting cannot help.
 */
export function waitForTextIndex(casePath: string, timeoutMs = WAIT_MS): boolean {
  const flag = building.get(key(casePath));
  if (flag === undefined) return false;
  return Atomics.wait(flag, TAIL_ENDED, 0, timeoutMs) !== 'timed-out';
}
