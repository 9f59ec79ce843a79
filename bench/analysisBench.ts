// Analysis benchmark: a 1M-request case (seeded straight into `requests`, cached in bench-out/),
// then the rebuild, the first page of sessions for several filters and the largest session's
// detail. Prints one figure per line; returns them for the main bench.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { filtersSchema, type FiltersInput } from '../shared/query/filterModel.js';
import { lastDetectionRun } from '../electron/analysis/detectStep.js';
import { KEYED_FACTS_STATE_KEY } from '../electron/analysis/keyedFacts.js';
import { lastScanRun } from '../electron/analysis/scanStep.js';
import { lastVerdictsRun } from '../electron/analysis/verdictsStep.js';
import { checkpointAfterRebuild, rebuild } from '../electron/analysis/rebuild.js';
import { TextIndexLater } from '../electron/analysis/textIndexStep.js';
import { readSettings, writeSettings } from '../electron/analysis/settingsRepo.js';
import { requestHistogram } from '../electron/query/histogramQuery.js';
import { getSessionDetail } from '../electron/query/sessionDetail.js';
import { listSessionRequests } from '../electron/query/sessionRequests.js';
import { countSessions } from '../electron/query/sessionsCount.js';
import { listSessions } from '../electron/query/sessionsQuery.js';
import { writeMissingColumns } from '../electron/store/requestColumns.js';
import { openCase, type CaseDb } from '../electron/store/openCase.js';
import { prng } from './generateCapture.js';
import { fakeJwt, seedSource, type SeedRequest } from '../test/fixtures/analysis/seedCase.js';

export interface AnalysisBenchResult {
  requests: number;
  sessions: number;
  endpoints: number;
  rebuildMs: number;
  /** The text index built after the first rebuild's answer, wall ms. */
  textIndexMs: number;
  rebuildStepMs: Record<string, number>;
  rebuildCpuMs: number;
  rebuildStepCpuMs: Record<string, number>;
  /** Filter name → milliseconds for the first page (median of 5 runs). */
  firstPageMs: Record<string, number>;
  largestSession: { requests: number; detailMs: number; firstRequestsPageMs: number };
  /** The Overview's requests-over-time chart: whole case, a whole hour, a status filter (ms). */
  chartMs: { whole: number; hour: number; filtered: number };
  /** Rebuilds after a settings change (the requests unchanged), wall ms. */
  settingsRebuildMs: number[];
  /**
   * With the analysis columns (requestColumns.ts): the time to write those still missing (as
   * `compact` does; the first rebuild's detection worker writes them), then a rebuild as after
   * an import (text index and findings from scratch) and one after a settings change, wall ms.
   */
  columns: { writeMs: number; rebuildMs: number; settingsRebuildMs: number };
  /** The rebuild after an import of APPENDED more requests into the analysed case, wall ms. */
  appendRebuildMs: number;
}

/** Bars of the Overview's chart (OVERVIEW_BUCKETS in renderer/views/overview). */
const CHART_BARS = 96;

/** Requests of the second log imported into the analysed case (then removed again). */
const APPENDED = 20_000;

const PATHS = [
  '/',
  '/login',
  '/api/users/{id}',
  '/api/orders/{id}/items',
  '/api/cart',
  '/static/app.{id}.js',
  '/images/p/{id}.jpg',
  '/search',
  '/admin/reports/{id}',
  '/checkout/pay',
  '/v1/chat/completions',
  '/api/v2/products/{id}/reviews',
];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 302, 404, 500, 401, 403];

/** How the last rebuild's scan read the requests. */
function scanHow(): string {
  const run = lastScanRun();
  if (run.fromCache) return 'from the scan cache';
  if (run.fromColumns) return 'from the columns';
  return run.builtColumns === true ? 'of the rows, building the columns' : 'of the rows';
}

/**
 * Deterministic traffic: 20k clients with cookies, bearer JWTs, API keys or nothing, on one
 * host, with latency outliers and no attacks (detection finds nothing to store).
 */
export function* benchRequests(count: number): Generator<SeedRequest> {
  const rnd = prng(42);
  let ts = Date.UTC(2024, 2, 1) * 1000;
  const tokens = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    ts += Math.floor(rnd() * 40_000);
    // One heavy client (a crawler) makes the largest session.
    const c = rnd() < 0.05 ? 0 : Math.floor(rnd() * 20_000);
    const kind = c % 4;
    let headers: Record<string, string> | null = null;
    if (kind === 1) {
      let t = tokens.get(c);
      if (!t)
        tokens.set(c, (t = fakeJwt({ sub: `user${c}`, role: c % 10 === 1 ? 'admin' : 'user' })));
      headers = { authorization: `Bearer ${t}` };
    } else if (kind === 2) headers = { 'x-api-key': `key-${c}` };
    const p = PATHS[Math.floor(rnd() * PATHS.length)]!.replace(
      '{id}',
      String(Math.floor(rnd() * 100_000)),
    );
    yield {
      tsUs: ts,
      ip: `10.${(c >> 8) & 255}.${c & 255}.${(c * 7) & 255}`,
      method: METHODS[Math.floor(rnd() * METHODS.length)]!,
      host: 'shop.example',
      path: p,
      query: rnd() < 0.3 ? `page=${Math.floor(rnd() * 20)}&sort=price` : null,
      status: STATUSES[Math.floor(rnd() * STATUSES.length)]!,
      latencyMs: rnd() < 0.0005 ? 5000 + rnd() * 5000 : 20 + rnd() * 60,
      respBytes: Math.floor(1000 + rnd() * 60_000),
      userAgent: `Mozilla/5.0 (bench; client ${c % 50})`,
      cookies: kind === 0 ? `JSESSIONID=S${c}; theme=dark` : null,
      headers,
      requestId: `r${i}`,
    };
  }
}

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

function medianOf(runs: number, f: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(ms(t0));
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

function seededCase(dir: string, count: number): CaseDb {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `analysis-${count}.sscase`);
  if (existsSync(file)) {
    const db = openCase(file);
    const n = (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    if (n === count) return db;
    db.close();
  }
  for (const p of [file, file + '-wal', file + '-shm']) rmSync(p, { force: true });
  const db = openCase(file);
  seedSource(db, 'bench', benchRequests(count));
  return db;
}

/**
 * The rebuild after an import of a second, smaller log into the analysed case: only what was
 * added is scanned (scanAppend.ts) and searched for attacks (detectStep.ts). The source is
 * removed again after, so the bench case stays as seeded.
 */
function appendBench(db: CaseDb, print: (line: string) => void): number {
  // Later traffic of the same clients: the next day's log.
  const day = 86_400_000_000;
  const later = [...benchRequests(APPENDED)].map((r) => ({ ...r, tsUs: r.tsUs + 40 * day }));
  const source = seedSource(db, 'bench, the next log', later);
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = rebuild(db);
    const wallMs = ms(t0);
    const cpu = process.cpuUsage(cpu0);
    const added = lastScanRun().added;
    const det = lastDetectionRun();
    print(
      `analysis: rebuild after an import of ${APPENDED} more requests in ${wallMs} ms, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms, scan ${added === undefined ? scanHow() : `of the ${added} added (the rest kept)`}, findings ${det?.scannedFrom ? 'of the added requests' : 'of every request'} (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    print(`analysis: its steps wall ${JSON.stringify(r.stepMs)}`);
    return wallMs;
  } finally {
    db.prepare('DELETE FROM sources WHERE id = ?').run(source);
    checkpointAfterRebuild(db);
  }
}

export function runAnalysisBench(
  opts: { count?: number; dir?: string; print?: (line: string) => void } = {},
): AnalysisBenchResult {
  const count = opts.count ?? 1_000_000;
  const print = opts.print ?? ((l: string) => console.log(l));
  const db = seededCase(opts.dir ?? 'bench-out', count);
  try {
    // The text index, the attack findings and the keyed facts are kept while the requests are
    // unchanged; forget them so the figure is that of a rebuild after an import (all made from
    // scratch). An import leaves no analysis columns and no analysis cache either: that first
    // rebuild makes both.
    db.prepare('DELETE FROM analysis_state WHERE key IN (?, ?, ?)').run(
      'text_index',
      'detections_basis',
      KEYED_FACTS_STATE_KEY,
    );
    db.prepare('DELETE FROM request_columns').run();
    db.prepare('DELETE FROM analysis_cache').run();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    // As the app's rebuild job: the text index is built after the answer (textIndexStep.ts).
    const later = new TextIndexLater();
    const r = rebuild(db, { textIndexLater: later });
    const rebuildMs = ms(t0);
    const cpu = process.cpuUsage(cpu0);
    const rebuildCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    print(
      `analysis: rebuild of ${r.requests} requests → ${r.sessions} sessions, ${r.endpoints} endpoints, ${r.outliers} outliers in ${rebuildMs} ms (the case usable; its text index follows)`,
    );
    print(
      `analysis: rebuild CPU ${rebuildCpuMs} ms, scan ${scanHow()} (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    // What the app's rebuild worker does after answering: not part of the wait above.
    const c0 = performance.now();
    checkpointAfterRebuild(db);
    print(`analysis: then the WAL checkpoint, after the answer: ${ms(c0)} ms`);
    const x0 = performance.now();
    const xCpu0 = process.cpuUsage();
    const textHow = later.build(db);
    const textIndexMs = ms(x0);
    const xCpu = process.cpuUsage(xCpu0);
    checkpointAfterRebuild(db);
    print(
      `analysis: then the text index (${textHow ?? 'not due'}), after the answer: ${textIndexMs} ms, CPU ${Math.round((xCpu.user + xCpu.system) / 1000)} ms (free-text filters test every request until it is built)`,
    );
    print(`analysis: rebuild steps wall ${JSON.stringify(r.stepMs)}`);
    print(`analysis: rebuild steps CPU ${JSON.stringify(r.stepCpuMs)}`);
    // Detection scans on a worker while the steps before it run: what it adds to the rebuild
    // is its two steps' wall time. Step CPU is process-wide, so the worker's CPU shows in the
    // steps it overlapped (scan, write…); its own figure is read from the worker's thread.
    const det = lastDetectionRun();
    const detWall =
      (r.stepMs['attack detection (start)'] ?? 0) + (r.stepMs['attack detection'] ?? 0);
    print(
      `analysis: attack detection ${det?.inWorker ? `on a worker, ${det.workerCpuMs ?? '?'} ms CPU there` : 'on this thread'}, adds ${detWall} ms wall to the rebuild`,
    );
    // Likewise the session verdicts, judged on a worker (at the lowest priority of the process
    // on Linux: it reads the query strings while the sessions are found, and judges while the
    // tables are written).
    const ver = lastVerdictsRun();
    const verWall =
      (r.stepMs['session verdicts (start)'] ?? 0) +
      (r.stepMs['session verdicts (input)'] ?? 0) +
      (r.stepMs['session verdicts'] ?? 0);
    print(
      `analysis: session verdicts ${ver.inWorker ? `on a worker, ${ver.workerCpuMs ?? '?'} ms CPU there` : 'on this thread'}, adds ${verWall} ms wall to the rebuild`,
    );

    // Filter values taken from the data, so each filter has something to find.
    const sample = db
      .prepare(
        `SELECT ip.value AS ip, user.value AS user, max(f.ts_us) OVER () AS lastUs
         FROM request_facts f JOIN fact_values ip ON ip.id = f.ip
         JOIN fact_values user ON user.id = f.user
         WHERE f.role = (SELECT id FROM fact_values WHERE value = 'admin') LIMIT 1`,
      )
      .get() as { ip: string; user: string; lastUs: number } | undefined;
    // A bench case without one would give filters that find nothing: no figure at all.
    if (sample === undefined) throw new Error('bench case: no admin request with a user');
    const lastUs = sample.lastUs;
    const filters: Record<string, FiltersInput> = {
      none: {},
      'status 500': { statuses: ['500'] },
      'status 4xx': { statuses: ['4xx'] },
      'method DELETE': { methods: ['DELETE'] },
      'one ip': { ips: [sample.ip] },
      'one user': { users: [sample.user] },
      'role admin': { roles: ['admin'] },
      'flow AI/LLM': { flows: ['AI/LLM'] },
      'last hour': { from: lastUs - 3600e6, to: lastUs + 1 },
      'an hour in the middle': { from: lastUs - 3 * 3600e6, to: lastUs - 2 * 3600e6 },
      outliers: { outliersOnly: true },
      'request id': { requestId: 'r777777' },
      'text, common': { text: 'sort=price' },
      'text, rare': { text: 'users/4242' },
      'text, absent': { text: 'no-such-text' },
      'GET 2xx admin flow': { methods: ['GET'], statuses: ['2xx'], flows: ['Admin'] },
    };
    const firstPageMs: Record<string, number> = {};
    for (const [name, f] of Object.entries(filters)) {
      const parsed = filtersSchema.parse(f);
      let n = 0;
      firstPageMs[name] = medianOf(5, () => {
        n = listSessions(db, { filters: parsed, limit: 50 }).sessions.length;
      });
      print(`analysis: first page of sessions [${name}] ${firstPageMs[name]} ms (${n} rows)`);
    }
    // The sessions' count (sessionsCount.ts), all its parts: what the list's header waits for.
    for (const name of ['none', 'status 4xx', 'text, common', 'method DELETE'] as const) {
      const parsed = filtersSchema.parse(filters[name]);
      let total = 0;
      let parts = 0;
      const c0 = performance.now();
      let cursor: string | undefined;
      do {
        const part = countSessions(db, parsed, cursor);
        total += part.count;
        parts++;
        cursor = part.nextCursor ?? undefined;
      } while (cursor !== undefined);
      print(`analysis: sessions counted [${name}] ${ms(c0)} ms (${total} in ${parts} parts)`);
    }
    const sortMs = medianOf(5, () =>
      listSessions(db, { sort: 'requests', descending: true, limit: 50 }),
    );
    print(`analysis: first page sorted by requests desc ${sortMs} ms`);

    const biggest = listSessions(db, { sort: 'requests', descending: true, limit: 1 }).sessions[0]!;
    const detailMs = medianOf(5, () => getSessionDetail(db, biggest.id));
    const reqPageMs = medianOf(5, () => listSessionRequests(db, biggest.id, {}, undefined, 100));
    // Under a one-hour window in its middle: only that range of its facts is read.
    const span = db
      .prepare('SELECT first_us AS firstUs, last_us AS lastUs FROM sessions WHERE sid = ?')
      .get(biggest.id) as { firstUs: number; lastUs: number };
    const mid = Math.floor((span.firstUs + span.lastUs) / 2);
    const hour = filtersSchema.parse({ from: mid, to: mid + 3_600_000_000 });
    const hourDetailMs = medianOf(5, () => getSessionDetail(db, biggest.id, hour));
    print(
      `analysis: largest session (${biggest.requestCount} requests) detail ${detailMs} ms (one hour of it ${hourDetailMs} ms), first 100 requests ${reqPageMs} ms`,
    );

    // The Overview's chart: the whole case and a whole hour of it (as a brush or a typed time
    // gives) add up the rebuild's time buckets; a filter on anything else counts the requests.
    const hourStart = Math.floor(mid / 3_600_000_000) * 3_600_000_000;
    const wholeHour = filtersSchema.parse({ from: hourStart, to: hourStart + 3_600_000_000 });
    const chartMs = {
      whole: medianOf(5, () => requestHistogram(db, {}, CHART_BARS)),
      hour: medianOf(5, () => requestHistogram(db, wholeHour, CHART_BARS)),
      filtered: medianOf(5, () =>
        requestHistogram(db, filtersSchema.parse({ statuses: ['5xx'] }), CHART_BARS),
      ),
    };
    print(
      `analysis: requests over time (the Overview's chart) whole case ${chartMs.whole} ms, a whole hour ${chartMs.hour} ms, status 5xx ${chartMs.filtered} ms (counted from the requests)`,
    );

    // Rebuilds after a settings change (the inactivity timeout, then back): the requests are
    // unchanged, so the text index and the findings are kept, the findings re-judged.
    const settings = readSettings(db);
    const settingsRebuildMs: number[] = [];
    for (const timeout of [settings.inactivityTimeoutMin + 5, settings.inactivityTimeoutMin]) {
      writeSettings(db, { ...settings, inactivityTimeoutMin: timeout });
      const w0 = performance.now();
      const wCpu0 = process.cpuUsage();
      const w = rebuild(db);
      const wallMs = ms(w0);
      const wCpu = process.cpuUsage(wCpu0);
      settingsRebuildMs.push(wallMs);
      print(
        `analysis: rebuild after a settings change (timeout ${timeout} min) in ${wallMs} ms, CPU ${Math.round((wCpu.user + wCpu.system) / 1000)} ms, findings ${lastDetectionRun()?.reused ? 're-judged' : 'scanned'}, scan ${scanHow()} (load average ${loadavg()[0]!.toFixed(1)})`,
      );
      print(`analysis: its steps wall ${JSON.stringify(w.stepMs)}`);
      checkpointAfterRebuild(db);
    }
    // The analysis columns: built by the first rebuild's scan of the rows (or by `compact`,
    // which writes any still missing); then the same two kinds of rebuild, reading them.
    const k0 = performance.now();
    writeMissingColumns(db);
    const writeMs = ms(k0);
    print(`analysis: analysis columns still missing written in ${writeMs} ms`);
    db.prepare("DELETE FROM analysis_state WHERE key IN ('text_index', 'detections_basis')").run();
    const c1 = performance.now();
    const cr = rebuild(db);
    const columnsRebuildMs = ms(c1);
    print(
      `analysis: with the analysis columns, rebuild (text index and findings from scratch) in ${columnsRebuildMs} ms, scan ${scanHow()} (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    print(`analysis: its steps wall ${JSON.stringify(cr.stepMs)}`);
    checkpointAfterRebuild(db);
    // Without the scan cache (scanCache.ts), as a case whose key parameters just changed.
    db.prepare("DELETE FROM analysis_cache WHERE name = 'scan'").run();
    writeSettings(db, { ...settings, inactivityTimeoutMin: settings.inactivityTimeoutMin + 5 });
    const c2 = performance.now();
    const cs = rebuild(db);
    const columnsSettingsMs = ms(c2);
    print(
      `analysis: with the analysis columns, without the scan cache, rebuild after a settings change in ${columnsSettingsMs} ms, scan ${scanHow()} (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    print(`analysis: its steps wall ${JSON.stringify(cs.stepMs)}`);
    checkpointAfterRebuild(db);
    writeSettings(db, settings);
    const appendRebuildMs = appendBench(db, print);
    return {
      appendRebuildMs,
      columns: { writeMs, rebuildMs: columnsRebuildMs, settingsRebuildMs: columnsSettingsMs },
      settingsRebuildMs,
      requests: r.requests,
      sessions: r.sessions,
      endpoints: r.endpoints,
      rebuildMs,
      textIndexMs,
      rebuildStepMs: r.stepMs,
      rebuildCpuMs,
      rebuildStepCpuMs: r.stepCpuMs,
      firstPageMs,
      largestSession: { requests: biggest.requestCount, detailMs, firstRequestsPageMs: reqPageMs },
      chartMs,
    };
  } finally {
    db.close();
  }
}

// Run directly: node dist/bench/analysisBench.mjs [count]
if (process.argv[1]?.endsWith('analysisBench.mjs')) {
  runAnalysisBench({ count: Number(process.argv[2] ?? 1_000_000) });
}
