import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groundTruthCapture } from '../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  SESSION_VALUES_CREATE,
  SESSION_VALUES_FILL,
  VALUE_SESSIONS_CREATE,
  VALUE_SESSIONS_FILL,
} from '../store/migrations/011_session_values.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';

const ws = tempWorkspace('ss-session-values-');
let db: CaseDb;
beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'truth', groundTruthCapture().rows);
  // Codes beyond the dense range, missing values, one client over several IPs.
  seedSource(
    db,
    'odd',
    Array.from({ length: 12 }, (_, i) => ({
      tsUs: Date.UTC(2024, 0, 2) * 1000 + i * 1e6,
      ip: i % 4 === 0 ? null : `203.0.113.${i % 3}`,
      srcSession: 'odd',
      status: [200, 2_000_000_000, null, 404][i % 4]!,
    })),
  );
  rebuild(db);
});
afterAll(() => ws.cleanup());

const rows = (table: string): unknown[] =>
  db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw(true).all();

describe('session values', () => {
  it('the rebuild writes what SQL over the stored facts gives', () => {
    const written = { values: rows('session_values'), sessions: rows('value_sessions') };
    expect(written.values.length).toBe(
      db.prepare('SELECT count(*) FROM sessions').pluck().get() as number,
    );
    db.exec(`DROP TABLE session_values; ${SESSION_VALUES_CREATE}; ${SESSION_VALUES_FILL};
      DROP TABLE value_sessions; ${VALUE_SESSIONS_CREATE}; ${VALUE_SESSIONS_FILL};`);
    expect(written).toEqual({ values: rows('session_values'), sessions: rows('value_sessions') });
    // Sessions with several values of a column, so the order within a row is tested.
    expect(written.values.some((r) => ((r as string[])[1] ?? '').includes(','))).toBe(true);
  });
});
