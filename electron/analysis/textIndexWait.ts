// The free-text filter's wait for a text index that a rebuild job's worker is building after its
// answer (rebuildWorker.ts, TextIndexLater). Testing every request's text instead (the exact
// fallback) takes seconds on a million requests, far longer than the index's last second: a
// search asked for meanwhile through dispatch is run again once the index is done
// (textFilterSql.ts throws a WaitThenRetry with textIndexPending's promise), so the thread that
// answers calls stays free while it waits.
import path from 'node:path';

/** At most this long after the first search waited, searches wait (a stalled worker: exact). */
const WAIT_MS = 5_000;

interface Building {
  ended: Promise<void>;
  waitMs: number;
  /** ended, or the bound after the first search that waited; made by that search. */
  waited: Promise<void> | null;
  /** The bound has passed: searches are exact until the index is done. */
  expired: boolean;
}

const building = new Map<string, Building>();

function key(casePath: string): string {
  return path.resolve(casePath);
}

/**
 * Records that the index of the case at `casePath` is being built (by a worker of this process)
 * until `ended` settles, when it is forgotten (before anyone waiting on it hears of it).
 */
export function textIndexBuilding(casePath: string, ended: Promise<void>, waitMs = WAIT_MS): void {
  const k = key(casePath);
  const entry: Building = { ended, waitMs, waited: null, expired: false };
  building.set(k, entry);
  const forget = (): void => {
    if (building.get(k) === entry) building.delete(k);
  };
  ended.then(forget, forget);
}

/**
 * What a search of the case at `casePath` may wait for: the index being built, or the bound
 * of WAIT_MS after the first search that waited on it, whichever comes first; null when none is
 * being built or that bound has passed (the search is then exact).
 */
export function textIndexPending(casePath: string): Promise<void> | null {
  const entry = building.get(key(casePath));
  if (entry === undefined || entry.expired) return null;
  if (entry.waited === null) {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        // Marked, not read off a clock: the search run again when this fires finds it passed.
        entry.expired = true;
        resolve();
      }, entry.waitMs);
    });
    const done = entry.ended.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    entry.waited = Promise.race([done, bound]);
  }
  return entry.waited;
}
