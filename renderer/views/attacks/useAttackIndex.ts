import { useMemo } from 'react';

export interface AttackIndex {
  /** Request ids with at least one detection. */
  ids: ReadonlySet<number>;
  /** Attack types detected on one request. */
  attacksOf: (requestId: number) => readonly string[];
}

const NONE: readonly string[] = [];

/**
 * Attack detections of one session, indexed by request. The detection contract is not in this
 * build yet, so every session reads as having none; the views already draw what this returns.
 */
export function useAttackIndex(_sessionId: string): AttackIndex {
  return useMemo(() => ({ ids: new Set<number>(), attacksOf: () => NONE }), []);
}
