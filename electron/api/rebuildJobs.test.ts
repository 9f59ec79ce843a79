import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import type { EventName } from '../../shared/contract/api.js';
import type { RebuildProgressEvent } from '../../shared/contract/analysisApi.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { rebuildSteps } from '../analysis/rebuildSteps.js';
import { runRebuildInWorker } from '../analysis/rebuildWorker.js';
import { readSettings } from '../analysis/settingsRepo.js';
import type { CaseDb } from '../store/openCase.js';
import { createBackend, type Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { inProcessRunner } from './importRunner.js';
import { defaultRebuildRunner, rebuildJobsFor } from './rebuildJobs.js';

// The worker runs the built script (npm test builds first); from a bare checkout it is skipped.
const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/electron/rebuildWorker.mjs',
);

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let db: CaseDb;
let heard: { event: EventName; payload: unknown }[];

beforeEach(() => {
  ws = tempWorkspace('ss-rebuild-jobs-');
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'userdata'),
    demoCaptureDir: path.join(ws.dir, 'no-demo'),
    runner: inProcessRunner,
  });
  rebuildJobsFor(backend.ctx.events, (job, ctl) =>
    runRebuildInWorker(job, { ...ctl, workerFile: WORKER }),
  );
  db = backend.ctx.state.open(path.join(ws.dir, 'c.sscase'), { create: true }).db;
  // Big enough that the worker is still busy when the calls below are answered.
  seedSource(db, 'bench', benchRequests(20_000));
  heard = [];
  backend.ctx.events.subscribe((event, payload) => heard.push({ event, payload }));
});
afterEach(async () => {
  await backend.dispose();
  ws.cleanup();
});

const progress = () =>
  heard.filter((h) => h.event === 'rebuildProgress').map((h) => h.payload as RebuildProgressEvent);
const doneHeard = () => heard.some((h) => h.event === 'rebuildDone');

function stepStarted(index: number): Promise<void> {
  return new Promise((resolve) => {
    const off = backend.ctx.events.subscribe((event, payload) => {
      if (event === 'rebuildProgress' && (payload as RebuildProgressEvent).index >= index) {
        off();
        resolve();
      }
    });
  });
}

/** Every row of every table as sorted text (virtual tables through their shadow tables). */
function dump(d: CaseDb): Record<string, string[]> {
  const tables = d
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      d
        .prepare(`SELECT * FROM "${name}"`)
        .raw(true)
        .all()
        .map((r) =>
          JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
        )
        .sort(),
    ]),
  );
}

describe.skipIf(!existsSync(WORKER))('rebuild on a worker thread, over the contract', () => {
  it('reports each step in order while calls are answered, refuses a second rebuild', async () => {
    const pending = dispatch('rebuild', {}, backend.ctx);
    await stepStarted(1);
    // The answering thread is free: reads answer (from the last committed analysis: none yet).
    const page = await dispatch('listSessions', {}, backend.ctx);
    expect(page).toMatchObject({ ok: true, value: { sessions: [] } });
    expect(doneHeard()).toBe(false);
    // A page opened now learns which step runs without waiting for the next one's event.
    const status = await dispatch('rebuildStatus', {}, backend.ctx);
    expect(status).toEqual({ ok: true, value: { running: progress().at(-1) } });
    expect(progress().at(-1)!.index).toBeGreaterThanOrEqual(1);
    expect(await dispatch('rebuild', {}, backend.ctx)).toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    expect(
      await dispatch('addRule', { kind: 'suppress', scope: 'all' }, backend.ctx),
    ).toMatchObject({ ok: false, error: { code: 'BUSY' } });

    const r = await pending;
    expect(r).toMatchObject({ ok: true, value: { requests: 20_000 } });
    const names = [...rebuildSteps].sort((a, b) => a.order - b.order).map((s) => s.name);
    expect(progress().map((p) => [p.step, p.index, p.total])).toEqual(
      names.map((n, i) => [n, i, names.length]),
    );
    expect(heard.filter((h) => h.event === 'rebuildDone')).toMatchObject([
      { payload: { result: { requests: 20_000 }, error: null } },
    ]);
    expect(await dispatch('rebuildStatus', {}, backend.ctx)).toEqual({
      ok: true,
      value: { running: null },
    });
    // Committed, and seen by this thread's connection.
    const after = await dispatch('listSessions', {}, backend.ctx);
    expect(after.ok && (after.value as { sessions: unknown[] }).sessions.length).toBeGreaterThan(0);
  });

  it('refuses to open, create or close a case or remove a source until the rebuild ends', async () => {
    const other = path.join(ws.dir, 'other.sscase');
    const pending = dispatch('rebuild', {}, backend.ctx);
    await stepStarted(1);
    const refused = [
      await dispatch('openCase', { path: other }, backend.ctx),
      await dispatch('createCase', { path: other }, backend.ctx),
      await dispatch('closeCase', {}, backend.ctx),
      await dispatch('removeSource', { sourceId: 1 }, backend.ctx),
      // Writes that would otherwise wait for the rebuild's lock, then fail.
      await dispatch('loadSpec', { path: path.join(ws.dir, 'api.yaml') }, backend.ctx),
      await dispatch(
        'reviewVerdict',
        { sessionId: 's0000000000000000', decision: 'confirm' },
        backend.ctx,
      ),
    ];
    for (const r of refused) {
      expect(r).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      expect(!r.ok && r.error.message).toMatch(/while the analysis is being rebuilt/);
    }
    expect(existsSync(other)).toBe(false);
    expect(await pending).toMatchObject({ ok: true, value: { requests: 20_000 } });
    // Once it is done the same calls go through.
    expect(await dispatch('closeCase', {}, backend.ctx)).toMatchObject({
      ok: true,
      value: { closed: true },
    });
  });

  it('cancel leaves the case (settings, analysis, audit) exactly as it was', async () => {
    rebuild(db);
    const before = dump(db);
    const settings = { ...readSettings(db), inactivityTimeoutMin: 5 };
    const pending = dispatch('setSettings', { settings }, backend.ctx);
    await stepStarted(2);
    expect(await dispatch('cancelRebuild', {}, backend.ctx)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(heard.filter((h) => h.event === 'rebuildDone')).toMatchObject([
      { payload: { result: null, error: { code: 'CANCELLED' } } },
    ]);
    expect(dump(db)).toEqual(before);
    expect(await dispatch('cancelRebuild', {}, backend.ctx)).toEqual({
      ok: true,
      value: { cancelled: false },
    });
    // Not left busy: the same change goes through.
    expect(await dispatch('setSettings', { settings }, backend.ctx)).toMatchObject({
      ok: true,
      value: { settings: { inactivityTimeoutMin: 5 } },
    });
  });

  it('refuses, with CONFLICT, settings edited from others than the case holds', async () => {
    rebuild(db);
    const opened = readSettings(db);
    await dispatch('setSettings', { settings: { ...opened, maxSessionHours: 12 } }, backend.ctx);
    const stale = { settings: { ...opened, inactivityTimeoutMin: 5 }, base: opened };
    expect(await dispatch('setSettings', stale, backend.ctx)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(readSettings(db)).toMatchObject({ maxSessionHours: 12, inactivityTimeoutMin: 30 });
  });
});

describe.skipIf(!existsSync(WORKER))('rule changes that scan the requests, on the worker', () => {
  const detectRule = {
    kind: 'detect',
    field: 'path',
    match: 'literal',
    pattern: '/api/orders',
    type: 'order_probe',
  } as const;

  it('adds a detect rule as a job: progress events, answers meanwhile, then its findings', async () => {
    rebuild(db);
    const pending = dispatch('addRule', detectRule, backend.ctx);
    await stepStarted(0);
    // This thread still answers while the worker scans.
    expect(await dispatch('listRules', {}, backend.ctx)).toMatchObject({ ok: true });
    const r = await pending;
    expect(r).toMatchObject({ ok: true, value: { id: 1 } });
    const answer = (r as { value: { detections: number } }).value;
    const found = (
      db.prepare("SELECT count(*) AS n FROM detections WHERE type = 'order_probe'").get() as {
        n: number;
      }
    ).n;
    expect(found).toBeGreaterThan(0);
    expect(answer.detections).toBe(
      (db.prepare('SELECT count(*) AS n FROM detections').get() as { n: number }).n,
    );
    expect(progress().map((p) => p.step)).toContain('attack detection');
    expect(heard.filter((h) => h.event === 'rebuildDone')).toMatchObject([
      { payload: { error: null, result: { requests: 20_000 } } },
    ]);
  });

  it('cancel leaves neither the rule nor any derived row changed', async () => {
    rebuild(db);
    const before = dump(db);
    const pending = dispatch('addRule', detectRule, backend.ctx);
    await stepStarted(0);
    expect(await dispatch('cancelRebuild', {}, backend.ctx)).toMatchObject({
      ok: true,
      value: { cancelled: true },
    });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(dump(db)).toEqual(before);
  });

  it('a suppress rule only re-judges stored findings, on this thread', async () => {
    rebuild(db);
    const r = await dispatch(
      'addRule',
      { kind: 'suppress', scope: 'type', type: 'sqli' },
      backend.ctx,
    );
    expect(r).toMatchObject({ ok: true, value: { id: 1 } });
    expect(progress()).toEqual([]);
  });
});

describe('a rebuild worker that cannot start', () => {
  it('rebuilds on this thread instead', async () => {
    const steps: string[] = [];
    const r = await defaultRebuildRunner(path.join(ws.dir, 'missing-worker.mjs'))(
      { casePath: db.name },
      { onStep: (name) => steps.push(name) },
    );
    expect(r.requests).toBe(20_000);
    expect(steps.length).toBeGreaterThan(5);
  });
});
