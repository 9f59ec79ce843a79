import { BatchInsert } from './batchInsert.js';
import { KEYED_FACTS_STATE_KEY } from './keyedFacts.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { readState, writeState } from './settingsRepo.js';
import { countTimeBuckets, TIME_BUCKET_WIDTHS_US } from './timeBuckets.js';
import type { CaseDb } from '../store/openCase.js';

/** analysis_state's key for what time_buckets holds (TimeBucketsState as JSON). */
export const TIME_BUCKETS_STATE_KEY = 'time_buckets';

/** What time_buckets counts: periods of `widthUs`, of the keyed_facts `facts` digest names. */
export interface TimeBucketsState {
  widthUs: number;
  facts: string;
}

/**
 * The stored state when it is one this build writes and time_buckets counts the keyed_facts
 * the case holds now (their digest is current); else null, and the rows are not to be read.
 */
export function currentTimeBuckets(db: CaseDb): TimeBucketsState | null {
  const raw = readState(db, TIME_BUCKETS_STATE_KEY);
  if (raw === null) return null;
  let state: unknown;
  try {
    state = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof state !== 'object' || state === null) return null;
  const { widthUs, facts } = state as Record<string, unknown>;
  if (!TIME_BUCKET_WIDTHS_US.some((w) => w === widthUs) || typeof facts !== 'string') return null;
  if (facts !== readState(db, KEYED_FACTS_STATE_KEY)) return null;
  return { widthUs: widthUs as number, facts };
}

/**
 * time_buckets (migration 28), after the write step: the requests' times and statuses are
 * those keyed_facts holds, so the rows are kept while the facts are (a settings change that
 * only moves session boundaries) and counted again from the scan when they are rewritten.
 */
export const timeBucketsStep: RebuildStep = {
  name: 'time buckets',
  order: 61,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    const facts = readState(db, KEYED_FACTS_STATE_KEY);
    const kept =
      facts !== null &&
      currentTimeBuckets(db)?.facts === facts &&
      db.prepare('SELECT sum(n) FROM time_buckets').pluck().get() === ctx.scan?.n;
    if (kept) return;
    db.exec('DELETE FROM time_buckets');
    db.prepare('DELETE FROM analysis_state WHERE key = ?').run(TIME_BUCKETS_STATE_KEY);
    if (!ctx.scan || facts === null) return;
    const b = countTimeBuckets(ctx.scan.ts, ctx.scan.status, ctx.scan.n);
    if (b === null) return;
    const rows = new BatchInsert(db, 'time_buckets', [
      'start_us',
      'n',
      's2',
      's3',
      's4',
      's5',
      'first_us',
      'last_us',
    ]);
    for (let i = 0; i < b.startUs.length; i++)
      rows.push(
        b.startUs[i]!,
        b.n[i]!,
        b.s2[i]!,
        b.s3[i]!,
        b.s4[i]!,
        b.s5[i]!,
        b.firstUs[i]!,
        b.lastUs[i]!,
      );
    rows.flush();
    const state: TimeBucketsState = { widthUs: b.widthUs, facts };
    writeState(db, TIME_BUCKETS_STATE_KEY, JSON.stringify(state));
    ctx.stats.timeBuckets = b.startUs.length;
  },
};
