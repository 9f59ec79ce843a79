import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisSettingsSchema, type ContextParam } from '../../shared/analysis/settings.js';
import { scanContext, scanDump } from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import { writeColumnsFromRequests } from '../store/requestColumns.js';
import { secretDigest } from './hashIds.js';
import { scanRows } from './scanRows.js';
import { lastScanRun, scanRequests } from './scanStep.js';
import { caseSalt } from './settingsRepo.js';
import { COMMON_IDS, COMMON_VALUES, TEXT_INDEX } from './textIndexStep.js';

/*
 * A context parameter marked secret that names the user or role: its value is kept only as the
 * salted digest secret session keys are shown as, in every derived table, the scan cache, the
 * CSV export's analysis columns and the CLI's --json, from the first rebuild that marks it so.
 */

const KEY = 'ak_live_9ba2c0ffee5ecret';
const OTHER_KEY = 'ak_live_9ba2deadbeef000';
const TIER = 'tier-gold-5ecret';

/** Two clients presenting KEY (two sessions, one user), one OTHER_KEY, one a plain uid. */
function accessLog(): string {
  const line = (ip: string, i: number, query: string) =>
    `${ip} - - [01/Mar/2024:10:00:0${i} +0000] "GET /api/items?${query} HTTP/1.1" 200 512 "-" "Firefox"`;
  return (
    [
      line('10.0.0.1', 0, `api_key=${KEY}&tier=${TIER}`),
      line('10.0.0.1', 1, `api_key=${KEY}&tier=${TIER}`),
      line('10.0.0.2', 2, `api_key=${KEY}&tier=${TIER}`),
      line('10.0.0.3', 3, `api_key=${OTHER_KEY}`),
      line('10.0.0.4', 4, 'uid=alice&team=blue'),
      line('10.0.0.4', 5, 'uid=alice&team=blue'),
    ].join('\n') + '\n'
  );
}

const params = (secret: boolean): Partial<ContextParam>[] => [
  { kind: 'query', name: 'api_key', names: 'user', secret },
  { kind: 'query', name: 'uid', names: 'user' },
  { kind: 'query', name: 'tier', names: 'role', secret },
  { kind: 'query', name: 'team', names: 'role' },
];

/**
 * Every table and view but the evidence as logged (requests, their analysis columns, rejects)
 * and the text index over the raw request text, as one text.
 */
const EVIDENCE = new Set([
  'requests',
  'request_columns',
  'rejects',
  TEXT_INDEX,
  COMMON_IDS,
  ...Object.values(COMMON_VALUES),
]);
function derivedText(db: CaseDb): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
    .pluck()
    .all() as string[];
  const derived = tables.filter(
    (t) => ![...EVIDENCE].some((e) => t === e || t.startsWith(`${e}_`)) && t !== 'sqlite_sequence',
  );
  expect(derived).toEqual(
    expect.arrayContaining(['sessions', 'request_facts', 'fact_values', 'session_values']),
  );
  return derived
    .map((t) => {
      const rows = db.prepare(`SELECT * FROM "${t}"`).raw(true).all();
      // Blobs (the scan cache's ids) as text too: a string in them would show.
      return JSON.stringify(rows, (_k, v: unknown) =>
        Buffer.isBuffer(v) ? v.toString('latin1') : v,
      );
    })
    .join('\n');
}

interface Listed {
  id: string;
  user: string | null;
  users: string[];
  role: string | null;
}

let ws: ReturnType<typeof tempWorkspace>;
let kase: string;
const run = async (...argv: string[]): Promise<string> => {
  const r = await cli(...argv);
  expect([r.code, r.err]).toEqual([0, '']);
  return r.out;
};
const rebuildWith = (secret: boolean) =>
  run(
    'rebuild',
    kase,
    '--settings',
    ws.file('s.json', JSON.stringify({ contextParams: params(secret) })),
  );
const sessions = async (...filters: string[]): Promise<{ out: string; list: Listed[] }> => {
  const out = await run('sessions', kase, ...filters, '--json');
  return { out, list: (JSON.parse(out) as { sessions: Listed[] }).sessions };
};

beforeAll(async () => {
  ws = tempWorkspace('ss-secret-users-');
  kase = `${ws.dir}/c.sscase`;
  await run('import', kase, ws.file('access.log', accessLog()), '--json');
});
afterAll(() => ws.cleanup());

describe('a secret parameter naming the user or role', () => {
  it('once marked, is its salted digest in every derived table, the scan cache included', async () => {
    // Not yet marked: kept in clear, and a scan cache kept with it.
    await rebuildWith(false);
    expect((await sessions()).list.flatMap((s) => s.users).sort()).toEqual(
      [KEY, KEY, OTHER_KEY, 'alice'].sort(),
    );
    const before = openCase(kase);
    try {
      expect(derivedText(before)).toContain(KEY);
    } finally {
      before.close();
    }
    await rebuildWith(true);
    const db = openCase(kase);
    try {
      const dump = derivedText(db);
      for (const clear of [KEY, OTHER_KEY, TIER]) expect(dump).not.toContain(clear);
      const salt = caseSalt(db);
      expect(dump).toContain(secretDigest(salt, KEY));
      expect(dump).toContain(secretDigest(salt, TIER));
      // The scan cache is the secret one's, not the earlier rebuild's.
      expect(
        db.prepare("SELECT count(*) FROM analysis_cache WHERE name = 'scan'").pluck().get(),
      ).toBe(1);
      // A parameter not marked secret is kept as it is.
      expect(dump).toContain('alice');
      expect(dump).toContain('blue');
    } finally {
      db.close();
    }
  });

  it('lists, filters and exports sessions by the digest; its value never shows', async () => {
    const db = openCase(kase);
    const salt = caseSalt(db);
    db.close();
    const user = secretDigest(salt, KEY);
    const role = secretDigest(salt, TIER);
    const all = await sessions();
    const keyed = all.list.filter((s) => s.user === user);
    // Two clients presenting one key: two sessions of one user.
    expect(keyed.map((s) => [s.users, s.role])).toEqual([
      [[user], role],
      [[user], role],
    ]);
    expect(all.list.find((s) => s.user === 'alice')).toMatchObject({ role: 'blue' });

    const byUser = await sessions('--user', user);
    expect(byUser.list.map((s) => s.id).sort()).toEqual(keyed.map((s) => s.id).sort());
    expect((await sessions('--user', KEY)).list).toEqual([]);

    const outputs = [
      all.out,
      byUser.out,
      (await sessions('--text', 'api_key')).out,
      (await sessions('--role', role)).out,
      ...(await Promise.all(keyed.map((s) => run('session', kase, s.id, '--json')))),
    ];
    for (const out of outputs) {
      // A session's requests carry their query as logged (the evidence): all else is derived.
      const derived = JSON.stringify(JSON.parse(out), (k, v: unknown) =>
        k === 'query' ? undefined : v,
      );
      for (const clear of [KEY, OTHER_KEY, TIER]) expect(derived).not.toContain(clear);
    }
    expect(outputs[2]).toContain(user);

    const csvPath = `${ws.dir}/out.csv`;
    await run('export', kase, '--out', csvPath);
    const [head, ...rows] = readFileSync(csvPath, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const cols = head!.split(',');
    const at = (name: string) => cols.indexOf(name);
    expect(at('analysis_user')).toBeGreaterThanOrEqual(0);
    const cells = rows.map((r) => r.split(','));
    expect(cells.map((c) => c[at('analysis_user')]).sort()).toEqual(
      ['alice', 'alice', secretDigest(salt, OTHER_KEY), user, user, user].sort(),
    );
    // The clear value is only where the request was logged with it: the evidence.
    for (const c of cells)
      c.forEach((cell, k) => {
        if (cell.includes(KEY) || cell.includes(TIER)) expect(cols[k]).toMatch(/^(query|url)$/);
      });
  });
});

describe('the scan of a secret user or role, from the rows, the columns and a worker', () => {
  const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const WORKER = path.join(ROOT, 'dist/electron/scanWorker.mjs');
  const scanWs = tempWorkspace('ss-secret-scan-');
  afterAll(() => scanWs.cleanup());
  const settings = analysisSettingsSchema.parse({
    contextParams: [
      { kind: 'column', name: 'src_user', names: 'user', secret: true },
      { kind: 'query', name: 'api_key', names: 'role', secret: true },
    ],
  });
  /** A case of 300 requests, its analysis columns in small chunks, its salt not yet made. */
  function seeded(name: string): CaseDb {
    const db = scanWs.openCase(name);
    const id = seedSource(
      db,
      'secret',
      Array.from({ length: 300 }, (_, k) => ({
        tsUs: Date.UTC(2024, 0, 2) * 1000 + k * 1e6,
        srcSession: `s${k % 7}`,
        srcUser: `secret-user-${k % 5}`,
        query: `api_key=${KEY}${k % 3}`,
      })),
    );
    db.transaction(() => writeColumnsFromRequests(db, id, { chunkRows: 37 }))();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return db;
  }
  const cleared = (dump: unknown): string => JSON.stringify(dump);

  it('gives the digests from the rows and from the columns alike', () => {
    const db = seeded('paths.sscase');
    const fromColumns = scanDump(
      scanRequests(scanContext(db, settings), { parallelMin: Infinity }),
    );
    expect(lastScanRun().fromColumns).toBe(true);
    const fromRows = scanDump(
      scanRequests(scanContext(db, settings), { parallelMin: Infinity, columns: false }),
    );
    expect(fromColumns).toEqual(fromRows);
    const text = cleared({ ...(fromRows as object), columns: null });
    expect(text).not.toContain('secret-user-');
    expect(text).toContain(secretDigest(caseSalt(db), 'secret-user-3'));
    expect(text).toContain(secretDigest(caseSalt(db), `${KEY}2`));
    db.close();
  });

  it('a worker digests its part alike; one without the salt leaves its part to the caller', () => {
    if (!existsSync(WORKER))
      execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
    const reference = (db: CaseDb) =>
      scanDump(scanRequests(scanContext(db, settings), { parallelMin: Infinity, columns: false }));
    const viaWorker = (db: CaseDb) =>
      scanDump(scanRequests(scanContext(db, settings), { parallelMin: 1, workerFile: WORKER }));

    // The salt made by a rebuild's own transaction: the worker's snapshot has none.
    const fresh = seeded('fresh.sscase');
    const first = fresh.transaction(() => [viaWorker(fresh), lastScanRun().inWorker])();
    expect(first[1]).toBe(0);
    expect(first[0]).toEqual(reference(fresh));
    // Committed, it is the worker's too.
    const got = viaWorker(fresh);
    expect(lastScanRun().inWorker).toBeGreaterThan(0);
    expect(got).toEqual(first[0]);
    fresh.close();
  });

  it('a read-only connection without the salt reads no secret user', () => {
    const db = seeded('readonly.sscase');
    const file = db.name;
    db.close();
    const ro = openCase(file, { create: false, readonly: true });
    try {
      const range = { after: -Infinity, upTo: Infinity, count: 300 };
      const params = scanContext(ro, settings).params;
      expect(() => scanRows(ro, params, range)).toThrow(/no salt/);
      // Without a secret user or role parameter no salt is needed.
      expect(scanRows(ro, params.slice(2), range).n).toBe(300);
    } finally {
      ro.close();
    }
  });
});
