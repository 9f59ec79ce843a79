import { SESSION_MIX_FILL, SESSION_MIX_MIN_REQUESTS } from '../store/migrations/008_session_mix.js';
import { BatchInsert } from './batchInsert.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { ScanResult } from './scanResult.js';
import type { SessionResult } from './sessionsStep.js';

/** Ids of one (status, IP, user) triple; null ids are -1, as the scan keeps them. */
type Triple = [status: number, ip: number, user: number, n: number];

/**
 * Counted from the rebuild's arrays, large sessions only: their members are already grouped by
 * session (ses.order), so each is one pass over its requests with a map of a few entries.
 */
function fillFromArrays(ctx: RebuildContext, scan: ScanResult, ses: SessionResult): number {
  const insert = new BatchInsert(ctx.db, 'session_mix', [
    'session_id',
    'status',
    'ip',
    'user',
    'n',
  ]);
  const str = scan.strings;
  let rows = 0;
  let j = 0;
  ses.list.forEach((info, k) => {
    const end = j + info.count;
    if (info.count < SESSION_MIX_MIN_REQUESTS) {
      j = end;
      return;
    }
    ctx.cancelPoint?.();
    const groups = new Map<string, Triple>();
    for (; j < end; j++) {
      const i = ses.order[j]!;
      const st = scan.status[i]!;
      const ip = scan.ip[i]!;
      const user = scan.user[i]!;
      const key = `${st},${ip},${user}`;
      const g = groups.get(key);
      if (g) g[3]++;
      else groups.set(key, [st, ip, user, 1]);
    }
    // Stored ids are index + 1, as the write step stores them.
    for (const [st, ip, user, n] of groups.values())
      insert.push(k + 1, st < 0 ? null : st, str.get(ip), str.get(user), n);
    rows += groups.size;
  });
  insert.flush();
  return rows;
}

/**
 * Requests per (status, IP, user) of each session of SESSION_MIX_MIN_REQUESTS or more, for its
 * detail's unfiltered distributions. After the write step (60), like the session endpoints.
 */
export const sessionMixStep: RebuildStep = {
  name: 'session mix',
  order: 63,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    db.exec('DELETE FROM session_mix');
    ctx.stats.sessionMix =
      ctx.scan && ctx.sessions
        ? fillFromArrays(ctx, ctx.scan, ctx.sessions)
        : db.prepare(SESSION_MIX_FILL).run().changes;
  },
};
