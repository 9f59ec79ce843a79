import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import type { ImportDoneEvent } from '../../shared/contract/caseApi.js';
import type { EndpointPage } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { compileFlowRules, FLOWS, type FlowRule } from '../../shared/analysis/flowRules.js';
import type { SpecOverview } from '../../shared/contract/specApi.js';
import { listAudit } from '../store/auditLog.js';
import { openCase } from '../store/openCase.js';
import { createBackend, type Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { inProcessRunner, type ImportRunner } from './importRunner.js';

const LINE = (i: number): string =>
  `10.0.0.${i} - - [10/Oct/2024:13:55:${String(i).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" 200 ${i} "-" "ua"`;

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;

function make(runner: ImportRunner = inProcessRunner, demoDir = 'no-demo'): Backend {
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'userdata'),
    demoCaptureDir: path.join(ws.dir, demoDir),
    runner,
  });
  return backend;
}

function doneOf(b: Backend): Promise<ImportDoneEvent> {
  return new Promise((resolve) => {
    const off = b.ctx.events.subscribe((event, payload) => {
      if (event === 'importDone') {
        off();
        resolve(payload as ImportDoneEvent);
      }
    });
  });
}

beforeEach(() => {
  ws = tempWorkspace('ss-api-');
});
afterEach(async () => {
  await backend?.dispose();
  ws.cleanup();
});

describe('dispatch', () => {
  it('refuses unknown calls, including names inherited from Object', async () => {
    const { ctx } = make();
    for (const name of ['nope', '__proto__', 'toString', 42]) {
      const r = await dispatch(name, {}, ctx);
      expect(r.ok || r.error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses malformed input with BAD_INPUT naming the field', async () => {
    const { ctx } = make();
    const cases: [string, unknown][] = [
      ['openCase', { path: 42 }],
      ['openCase', {}],
      ['openCase', { path: 'a', extra: true }],
      ['removeSource', { sourceId: 1.5 }],
      ['listRequests', { cursor: 'drop table' }],
      ['startImport', { paths: [] }],
      ['getAppInfo', 'x'],
    ];
    for (const [name, input] of cases) {
      const r = await dispatch(name, input, ctx);
      expect(r.ok ? 'ok' : r.error.code, `${name} ${JSON.stringify(input)}`).toBe('BAD_INPUT');
    }
    const r = await dispatch('removeSource', { sourceId: 'x' }, ctx);
    expect(r.ok || r.error.message).toMatch(/sourceId/);
  });

  it('answers NOT_FOUND for case calls while no case is open', async () => {
    const { ctx } = make();
    const r = await dispatch('getCaseInfo', undefined, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No case is open.' } });
  });

  it('gives the built-in flow rules with no case open, as the rebuild applies them', async () => {
    const { ctx } = make();
    const r = await dispatch('flowRules', {}, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const rules = r.value as FlowRule[];
    // Every flow the app knows has its rule, each with something to match.
    expect(rules.map((x) => x.flow).sort()).toEqual([...FLOWS].sort());
    for (const x of rules)
      expect(x.paths.length + x.hosts.length + x.params.length).toBeGreaterThan(0);
    // What the rebuild tags an endpoint by: the login path is Auth's.
    const auth = compileFlowRules(rules.filter((x) => x.flow === 'Auth'));
    expect(auth.match({ host: 'shop.example', template: '/login', params: [] })).not.toBe(0);
  });

  it('answers getOpenCase with null while no case is open, and with the case once one is', async () => {
    const { ctx } = make();
    expect(await dispatch('getOpenCase', undefined, ctx)).toEqual({
      ok: true,
      value: { case: null },
    });
    const file = path.join(ws.dir, 'open.sscase');
    expect((await dispatch('createCase', { path: file }, ctx)).ok).toBe(true);
    const r = await dispatch('getOpenCase', {}, ctx);
    expect(r.ok && r.value).toMatchObject({ case: { path: file } });
  });

  it('tells the app how many parts of a damaged JSON file could not be read', async () => {
    const b = make();
    expect((await dispatch('createCase', { path: path.join(ws.dir, 'j.sscase') }, b.ctx)).ok).toBe(
      true,
    );
    const row = (i: number): string =>
      JSON.stringify({
        time: `2024-05-01T10:00:0${i}Z`,
        method: 'GET',
        path: `/p/${i}`,
        status: 200,
      });
    // The second element is cut off inside a string.
    const file = ws.file(
      'damaged.json',
      `[${row(1)},{"time":"2024-05-01T10:00:02Z","path":"/p\n,${row(3)}]`,
    );
    const clean = ws.file('clean.json', `[${row(4)},${row(5)}]`);
    const done = doneOf(b);
    expect((await dispatch('startImport', { paths: [file, clean] }, b.ctx)).ok).toBe(true);
    const result = await done;
    expect(result.error).toBeNull();
    expect(result.result?.sources.map((s) => [s.file, s.unreadableParts])).toEqual([
      ['damaged.json', 1],
      ['clean.json', 0],
    ]);
  });

  it('tells the app which host-less files share endpoints with the case’s other ones', async () => {
    const b = make();
    expect((await dispatch('createCase', { path: path.join(ws.dir, 'h.sscase') }, b.ctx)).ok).toBe(
      true,
    );
    // Two sites' access logs, neither naming a host; then a third site's, named.
    const a = ws.file('a.log', [1, 2].map(LINE).join('\n') + '\n');
    const c = ws.file('c.log', [3, 4, 5].map(LINE).join('\n') + '\n');
    const named = ws.file('named.log', [6].map(LINE).join('\n') + '\n');
    const done = doneOf(b);
    expect((await dispatch('startImport', { paths: [a, c] }, b.ctx)).ok).toBe(true);
    const result = await done;
    expect(result.error).toBeNull();
    expect(result.result?.sources.map((s) => [s.file, s.withoutHost, s.hostlessPeers])).toEqual([
      ['a.log', 2, []],
      ['c.log', 3, [{ sourceId: 1, file: 'a.log', withoutHost: 2 }]],
    ]);
    const again = doneOf(b);
    expect(
      (await dispatch('startImport', { paths: [named], assumeHost: 'shop.example.com' }, b.ctx)).ok,
    ).toBe(true);
    expect((await again).result?.sources.map((s) => [s.withoutHost, s.hostlessPeers])).toEqual([
      [0, []],
    ]);
  });

  it('creates a case, remembers it, imports off the call and pages requests', async () => {
    const b = make();
    const casePath = path.join(ws.dir, 'a.sscase');
    const created = await dispatch('createCase', { path: casePath }, b.ctx);
    expect(created.ok).toBe(true);
    const recent = await dispatch('listRecentCases', {}, b.ctx);
    expect(recent.ok && recent.value).toMatchObject([{ path: casePath, exists: true }]);

    const log = ws.file(
      'access.log',
      [1, 2, 3, 'garbage'].map((i) => (typeof i === 'number' ? LINE(i) : i)).join('\n') + '\n',
    );
    const done = doneOf(b);
    const started = await dispatch('startImport', { paths: [log] }, b.ctx);
    expect(started.ok).toBe(true);
    const result = await done;
    expect(result.error).toBeNull();
    expect(result.result?.sources[0]).toMatchObject({
      accepted: 3,
      rejected: 1,
      status: 'complete',
    });

    const page1 = await dispatch('listRequests', { limit: 2 }, b.ctx);
    if (!page1.ok) throw new Error(page1.error.message);
    const v1 = page1.value as { items: { path: string }[]; nextCursor: string };
    expect(v1.items.map((r) => r.path)).toEqual(['/p/1', '/p/2']);
    const page2 = await dispatch('listRequests', { limit: 2, cursor: v1.nextCursor }, b.ctx);
    expect(page2.ok && page2.value).toMatchObject({ items: [{ path: '/p/3' }], nextCursor: null });

    const rejects = await dispatch('listRejects', {}, b.ctx);
    expect(rejects.ok && rejects.value).toMatchObject({ items: [{ lineNo: 4, raw: 'garbage' }] });
  });

  it('answers BUSY, saying what to do, when another connection holds the case for writing', async () => {
    const b = make();
    const casePath = path.join(ws.dir, 'busy.sscase');
    expect((await dispatch('createCase', { path: casePath }, b.ctx)).ok).toBe(true);
    const spec = ws.file(
      'api.yaml',
      'openapi: 3.0.0\ninfo: { title: T, version: "1" }\npaths:\n  /a:\n    get: { responses: { "200": { description: ok } } }\n',
    );
    // As a rebuild's or an import's connection does for its whole transaction.
    const other = openCase(casePath);
    other.exec('BEGIN IMMEDIATE');
    b.ctx.state.requireCase().db.pragma('busy_timeout = 20');
    try {
      const refused = await dispatch('loadSpec', { path: spec }, b.ctx);
      expect(refused).toEqual({
        ok: false,
        error: { code: 'BUSY', message: expect.stringContaining('a rebuild or an import') },
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const loaded = await dispatch('loadSpec', { path: spec }, b.ctx);
    expect(loaded.ok).toBe(true);
  });

  it('removes a source with an audit entry', async () => {
    const b = make();
    await dispatch('createCase', { path: path.join(ws.dir, 'b.sscase') }, b.ctx);
    const done = doneOf(b);
    await dispatch('startImport', { paths: [ws.file('x.log', LINE(1) + '\n')] }, b.ctx);
    const { result } = await done;
    const sourceId = result!.sources[0]!.sourceId;
    expect(await dispatch('removeSource', { sourceId }, b.ctx)).toEqual({
      ok: true,
      value: { removed: true },
    });
    const info = await dispatch('getCaseInfo', {}, b.ctx);
    // Not current, and the banner can say why: the app rebuilds after an import, not dispatch.
    expect(info.ok && info.value).toMatchObject({
      counts: { requests: 0 },
      sources: [],
      analysisCurrent: false,
      analysisStale: 'never',
    });
    const actions = listAudit(b.ctx.state.requireCase().db).map((a) => a.action);
    expect(actions.at(-1)).toBe('source.remove');
    const again = await dispatch('removeSource', { sourceId }, b.ctx);
    expect(again.ok || again.error.code).toBe('NOT_FOUND');
  });

  it('cancelling a job removes files it had committed, leaving the requests as they were', async () => {
    // A runner that commits the first file for real, then waits to be cancelled.
    const stalling: ImportRunner = async (req, cb) => {
      await inProcessRunner({ ...req, paths: req.paths.slice(0, 1) }, cb);
      await new Promise<void>((_resolve, reject) => {
        cb.signal.addEventListener('abort', () =>
          reject(new AppError('CANCELLED', 'Import cancelled.')),
        );
      });
    };
    const b = make(stalling);
    const casePath = path.join(ws.dir, 'c.sscase');
    await dispatch('createCase', { path: casePath }, b.ctx);
    const done = doneOf(b);
    const started = await dispatch(
      'startImport',
      { paths: [ws.file('1.log', LINE(1) + '\n'), ws.file('2.log', LINE(2) + '\n')] },
      b.ctx,
    );
    if (!started.ok) throw new Error(started.error.message);
    const { importId } = started.value as { importId: string };
    const busy = await dispatch('closeCase', {}, b.ctx);
    expect(busy.ok || busy.error.code).toBe('BUSY');
    await new Promise((r) => setTimeout(r, 200));
    expect(await dispatch('cancelImport', { importId }, b.ctx)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    const result = await done;
    expect(result.error?.code).toBe('CANCELLED');
    const db = openCase(casePath, { create: false, readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 });
      expect(listAudit(db).map((a) => a.action)).toContain('import.undo');
    } finally {
      db.close();
    }
  });

  it('a cancel that arrives while the last file commits still leaves the case as it was', async () => {
    // A runner that reads the cancel too late (as a worker in its COMMIT does) and completes.
    let cancelled!: () => void;
    const asked = new Promise<void>((r) => (cancelled = r));
    const late: ImportRunner = async (req, cb) => {
      cb.signal.addEventListener('abort', () => cancelled());
      await asked;
      await inProcessRunner(req, { ...cb, signal: new AbortController().signal });
    };
    const b = make(late);
    const casePath = path.join(ws.dir, 'late.sscase');
    await dispatch('createCase', { path: casePath }, b.ctx);
    const done = doneOf(b);
    const started = await dispatch(
      'startImport',
      { paths: [ws.file('1.log', LINE(1) + '\n')] },
      b.ctx,
    );
    if (!started.ok) throw new Error(started.error.message);
    const { importId } = started.value as { importId: string };
    expect(await dispatch('cancelImport', { importId }, b.ctx)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect((await done).error?.code).toBe('CANCELLED');
    const db = openCase(casePath, { create: false, readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('previews a file: sniffed format, first lines, and the CSV mapping', async () => {
    const { ctx } = make();
    const csv = ws.file(
      'x.csv',
      'time,ip,method,url,status\n2024-10-10T13:55:36Z,1.2.3.4,GET,/a,200\n',
    );
    const r = await dispatch('previewImport', { path: csv }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as {
      format: string;
      lines: string[];
      csv: { columns: { field: string | null }[] };
    };
    expect(v.format).toBe('csv');
    expect(v.lines[0]).toBe('time,ip,method,url,status');
    expect(v.csv.columns.map((c) => c.field)).toContain('ip');
    const junk = await dispatch('previewImport', { path: ws.file('j.bin', 'zzz\nqqq\n') }, ctx);
    expect(junk.ok && junk.value).toMatchObject({ format: null, csv: null });
    const missing = await dispatch('previewImport', { path: path.join(ws.dir, 'nope') }, ctx);
    expect(missing.ok || missing.error.code).toBe('BAD_INPUT');
  });

  it('builds the demo case from the capture once, then reopens it as it is', async () => {
    mkdirSync(path.join(ws.dir, 'demo'));
    ws.file('demo/capture.log', [1, 2].map(LINE).join('\n') + '\n');
    ws.file('demo/README.md', '# not a log');
    // An API spec beside the capture is loaded, not imported as a log.
    ws.file(
      'demo/api.yaml',
      'openapi: 3.0.0\ninfo: { title: Demo, version: "1" }\npaths:\n  /never:\n    get: { responses: { "200": { description: ok } } }\n',
    );
    const b = make(inProcessRunner, 'demo');
    const first = await dispatch('openDemoCase', undefined, b.ctx);
    expect(first.ok && first.value).toMatchObject({
      isDemo: true,
      counts: { requests: 2, sources: 1 },
    });
    const specs = await dispatch('listSpecs', {}, b.ctx);
    expect(specs.ok && (specs.value as SpecOverview).specs.map((s) => s.title)).toEqual(['Demo']);
    expect(specs.ok && (specs.value as SpecOverview).orphans.map((o) => o.pathTemplate)).toEqual([
      '/never',
    ]);
    // The rebuild after the load gave the endpoints their status against it.
    const eps = await dispatch('listEndpointPage', {}, b.ctx);
    expect(eps.ok && (eps.value as EndpointPage).items.map((e) => e.spec?.status)).toEqual([
      'shadow',
    ]);
    await dispatch('closeCase', {}, b.ctx);
    const again = await dispatch('openDemoCase', {}, b.ctx);
    expect(again.ok && again.value).toMatchObject({ counts: { requests: 2, sources: 1 } });
    const specsAgain = await dispatch('listSpecs', {}, b.ctx);
    expect(specsAgain.ok && (specsAgain.value as SpecOverview).specs).toHaveLength(1);
    const recent = await dispatch('listRecentCases', {}, b.ctx);
    expect(recent.ok && recent.value).toEqual([]);
  });

  it('sets an unreadable demo case aside (never deleting it) and builds it again', async () => {
    mkdirSync(path.join(ws.dir, 'demo'));
    ws.file('demo/capture.log', [1, 2, 3].map(LINE).join('\n') + '\n');
    mkdirSync(path.join(ws.dir, 'userdata'));
    ws.file('userdata/demo.sscase', 'not a database, a leftover');
    const b = make(inProcessRunner, 'demo');
    const r = await dispatch('openDemoCase', undefined, b.ctx);
    expect(r.ok && r.value).toMatchObject({ isDemo: true, counts: { requests: 3, sources: 1 } });
    const aside = readdirSync(path.join(ws.dir, 'userdata')).filter((n) =>
      /^demo\.sscase\.unreadable-/.test(n),
    );
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(ws.dir, 'userdata', aside[0]!), 'utf8')).toBe(
      'not a database, a leftover',
    );
  });

  it('refuses an unknown format, time zone or assumed host when the import is started', async () => {
    const b = make();
    await dispatch('createCase', { path: path.join(ws.dir, 'f.sscase') }, b.ctx);
    const log = ws.file('f.log', LINE(1) + '\n');
    for (const opts of [{ format: 'nope' }, { tz: 'Mars/Olympus' }, { assumeHost: 'a b' }]) {
      const r = await dispatch('startImport', { paths: [log], ...opts }, b.ctx);
      expect(r.ok || r.error.code).toBe('BAD_INPUT');
    }
    const r = await dispatch('startImport', { paths: [log], assumeHost: 'x/y' }, b.ctx);
    expect(r.ok || r.error.message).toMatch(/assumeHost: a host name or IP address/);
    expect(b.ctx.jobs.busy).toBe(false);
  });

  it('imports with an assumed host, lower case, and lists it with the source', async () => {
    const b = make();
    await dispatch('createCase', { path: path.join(ws.dir, 'h.sscase') }, b.ctx);
    const done = doneOf(b);
    const log = ws.file('h.log', LINE(1) + '\n');
    await dispatch('startImport', { paths: [log], assumeHost: 'Shop.Example.com' }, b.ctx);
    expect((await done).error).toBeNull();
    const info = await dispatch('getCaseInfo', {}, b.ctx);
    expect(info.ok && info.value).toMatchObject({
      sources: [{ fileName: 'h.log', tz: 'UTC', assumedHost: 'shop.example.com' }],
    });
    const page = await dispatch('listRequests', {}, b.ctx);
    expect(page.ok && page.value).toMatchObject({ items: [{ host: 'shop.example.com' }] });
  });

  it('has no file chooser in browser mode', async () => {
    const { ctx } = make();
    const r = await dispatch('chooseFiles', { purpose: 'import' }, ctx);
    expect(r.ok || r.error.code).toBe('BAD_INPUT');
  });
});
