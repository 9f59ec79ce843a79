import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { dumpDerived as dump } from '../../test/derivedDump.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { AppError } from '../../shared/contract/errors.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import { rebuildWithSettings } from './settingsRebuild.js';
import { readSettings } from './settingsRepo.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-settings-rebuild-');
  db = ws.openCase();
  seedSource(db, 'bench', benchRequests(4000));
  rebuild(db);
});
afterEach(() => ws.cleanup());

const lastKind = () =>
  listAudit(db)
    .filter((e) => e.action === 'analysis.rebuild')
    .at(-1)!.details['kind'];

describe('rebuild with new settings', () => {
  it('new verdict thresholds re-derive only the verdicts, as a full rebuild would', () => {
    const s = readSettings(db);
    const verdictsBefore = dump(db).session_verdicts;
    // Every session judged on fewer requests: the verdicts change.
    const r = rebuildWithSettings(db, { ...s, verdicts: { ...s.verdicts, minRequests: 1 } });
    expect(lastKind()).toBe('verdicts');
    expect(Object.keys(r.stepCpuMs)).not.toContain('attack detection');
    expect(r.sessions).toBeGreaterThan(0);
    const partial = dump(db);
    expect(partial.session_verdicts).not.toEqual(verdictsBefore);
    rebuild(db);
    expect(dump(db)).toEqual(partial);
    expect(readSettings(db).verdicts.minRequests).toBe(1);
  });

  it('refuses a change made from settings the case no longer holds, and writes nothing', () => {
    const opened = readSettings(db);
    // Another window (or the CLI) saves first.
    rebuildWithSettings(db, { ...opened, inactivityTimeoutMin: 7 });
    const audited = listAudit(db).length;
    let refused: unknown;
    try {
      rebuildWithSettings(db, { ...opened, inactivityTimeoutMin: 9 }, { base: opened });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CONFLICT');
    expect(readSettings(db).inactivityTimeoutMin).toBe(7);
    expect(listAudit(db)).toHaveLength(audited);
    // Made again from what the case holds, it is saved.
    const now = readSettings(db);
    rebuildWithSettings(db, { ...now, inactivityTimeoutMin: 9 }, { base: now });
    expect(readSettings(db).inactivityTimeoutMin).toBe(9);
  });

  it('any other change, or stale tables, rebuild everything', () => {
    const s = readSettings(db);
    rebuildWithSettings(db, { ...s, inactivityTimeoutMin: 7 });
    expect(lastKind()).toBe('full');
    // Requests added since the last full rebuild: the verdicts alone would not do.
    seedSource(db, 'more', benchRequests(10));
    rebuildWithSettings(db, { ...readSettings(db), verdicts: { ...s.verdicts, minRequests: 3 } });
    expect(lastKind()).toBe('full');
    rebuildWithSettings(db, undefined);
    expect(lastKind()).toBe('full');
  });
});
