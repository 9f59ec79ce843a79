import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { readSettings, writeSettings } from '../analysis/settingsRepo.js';
import type { CaseDb } from '../store/openCase.js';
import { listSessions, longestSessionUs } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 0, 1) * 1000;
const MIN = 60e6;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeAll(() => {
  ws = tempWorkspace('ss-sessions-window-');
  db = ws.openCase();
  // One client active for five hours (a request every 20 minutes), and short visits after.
  seedSource(db, 'long', [
    ...Array.from({ length: 16 }, (_, i) => ({ tsUs: T0 + i * 20 * MIN, ip: '10.0.0.1' })),
    ...Array.from({ length: 30 }, (_, i) => ({
      tsUs: T0 + 4 * 60 * MIN + i * MIN,
      ip: `10.0.1.${i}`,
    })),
  ]);
  rebuild(db);
});
afterAll(() => ws.cleanup());

describe('sessions in a time window', () => {
  it('bound how early a session can start by the longest stored one', () => {
    expect(longestSessionUs(db)).toBe(15 * 20 * MIN);
    const window = { from: T0 + 4 * 60 * MIN, to: T0 + 5 * 60 * MIN };
    const ips = () =>
      listSessions(db, { filters: window, limit: 100 }).sessions.map((s) => s.firstIp);
    expect(ips()).toContain('10.0.0.1');
    expect(ips()).toHaveLength(31);
    // Settings lowered but not rebuilt: the stored sessions still reach back five hours.
    writeSettings(db, { ...readSettings(db), maxSessionHours: 1 });
    expect(ips()).toContain('10.0.0.1');
  });
});
