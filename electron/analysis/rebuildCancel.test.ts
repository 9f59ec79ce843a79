import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { AppError } from '../../shared/contract/errors.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import { readSettings, writeSettings } from './settingsRepo.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-rebuild-cancel-');
});
afterEach(() => ws.cleanup());

/**
 * Every row of every table, as sorted text: equal dumps mean an unchanged case. A virtual
 * table's rows live in its shadow tables, which are dumped like any other.
 */
function dump(db: CaseDb): Record<string, string[]> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
    )
    .all() as { name: string }[];
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = db
      .prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`)
      .raw(true)
      .all();
    out[name] = rows
      .map((r) =>
        JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
      )
      .sort();
  }
  return out;
}

describe('cancelling a rebuild', () => {
  // The first analysis (the scan builds the analysis columns), and a rebuild after a settings
  // change (the scan read back from the analysis cache).
  for (const first of [true, false]) {
    const what = first ? 'the first analysis' : 'a rebuild after a settings change';
    it(`of ${what} at any point leaves every table exactly as it was, then it still completes`, () => {
      const prepared = (name?: string): CaseDb => {
        const db = ws.openCase(name);
        seedSource(db, 'bench', benchRequests(1500));
        if (!first) {
          rebuild(db);
          // New settings, so a completed rebuild would change sessions, facts and the audit log.
          writeSettings(db, { ...readSettings(db), inactivityTimeoutMin: 5 });
        }
        return db;
      };
      const db = prepared();
      const before = dump(db);

      // Count the cancel points the same rebuild passes, then stop at each of them in turn.
      let points = 0;
      const steps: string[] = [];
      rebuild(prepared('probe.sscase'), {
        shouldCancel: () => (points++, false),
        onStep: (name) => steps.push(name),
      });
      expect(steps.length).toBeGreaterThan(5);
      expect(points).toBeGreaterThan(steps.length);

      for (let stopAt = 0; stopAt < points; stopAt += Math.max(1, Math.floor(points / 6))) {
        let polled = 0;
        let err: unknown;
        try {
          rebuild(db, { shouldCancel: () => polled++ >= stopAt });
        } catch (e) {
          err = e;
        }
        expect(err, `stop at ${stopAt}`).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('CANCELLED');
        expect(dump(db), `stop at ${stopAt}`).toEqual(before);
      }

      const done = rebuild(db);
      expect(done.requests).toBe(1500);
      expect(dump(db)).not.toEqual(before);
    });
  }
});
