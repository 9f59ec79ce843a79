import { useMemo } from 'react';
import type { Result } from '../../../shared/contract/errors';
import { useApi } from '../../api/ApiContext';
import { useResult } from '../../hooks/useResult';
import { useCase } from '../../state/CaseContext';

export interface AttackIndex {
  /** Request ids with at least one detection. */
  ids: ReadonlySet<number>;
  /** Attack types detected on one request. */
  attacksOf: (requestId: number) => readonly string[];
  /** True when the case had more detections than were read (the index is partial). */
  truncated: boolean;
}

/** Beyond this many detections the index is partial and the views say so. */
const MAX_DETECTIONS = 50_000;
const NONE: readonly string[] = [];

/**
 * Attack types per request, for marking rows and timelines. The contract lists detections
 * case-wide (not per session), so the index is read once per case state and shared by views.
 */
export function useAttackIndex(): AttackIndex {
  const client = useApi();
  const { caseInfo } = useCase();
  const key = caseInfo
    ? `${caseInfo.meta.uuid}|${caseInfo.counts.requests}|${caseInfo.counts.sources}`
    : '';
  const loaded = useResult(
    async (): Promise<Result<{ map: Map<number, string[]>; truncated: boolean }>> => {
      const map = new Map<number, string[]>();
      let cursor: string | undefined;
      let read = 0;
      for (;;) {
        const r = await client.call('listAttacks', {
          limit: 1000,
          groupLimit: 1,
          ...(cursor ? { cursor } : {}),
        });
        if (!r.ok) return r;
        for (const d of r.value.items) {
          const list = map.get(d.requestId) ?? [];
          if (!list.includes(d.type)) list.push(d.type);
          map.set(d.requestId, list);
        }
        read += r.value.items.length;
        if (r.value.nextCursor === null) return { ok: true, value: { map, truncated: false } };
        if (read >= MAX_DETECTIONS) return { ok: true, value: { map, truncated: true } };
        cursor = r.value.nextCursor;
      }
    },
    key,
  );
  const value = loaded.value;
  return useMemo(() => {
    const map = value?.map ?? new Map<number, string[]>();
    return {
      ids: new Set(map.keys()),
      attacksOf: (id: number) => map.get(id) ?? NONE,
      truncated: value?.truncated ?? false,
    };
  }, [value]);
}
