// Rebuild profiling: seeds (or reuses) a bench case of N requests, rebuilds a copy of it and
// prints CPU per step plus a digest of every derived table, so a speed change can be checked
// to leave the results byte for byte as they were. Run under `node --cpu-prof` to profile:
//   esbuild bench/rebuildProfile.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=/tmp/rb/rebuildProfile.mjs && node /tmp/rb/rebuildProfile.mjs /tmp/rb 200000
// (--columns: a case with its analysis columns written, as `compact` leaves it; --settings: the
// rebuild after a settings change, findings and text index kept; --no-digest: timings only;
// --profile=FILE: a CPU profile of the timed rebuild's thread alone; --slow-sql: the statements
// run through exec() that took 20 ms or more; --no-scan-cache: with --settings, the scan cache
// dropped first, as after a change of the key parameters; --append=N: the rebuild after N more
// requests were imported into the analysed case, --append-cold with it: both sources analysed
// at once, for the digests; --text-later: the text index built after the rebuild's answer, as the
// app's rebuild job does, timed apart, and the free-text answers digested before it too)
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import path from 'node:path';
import { checkpointAfterRebuild, rebuild } from '../electron/analysis/rebuild.js';
import { lastDetectionRun } from '../electron/analysis/detectStep.js';
import { lastScanRun } from '../electron/analysis/scanStep.js';
import { dropCache } from '../electron/analysis/analysisCache.js';
import { CACHE_NAME as SCAN_CACHE_NAME } from '../electron/analysis/scanCache.js';
import { readSettings, writeSettings } from '../electron/analysis/settingsRepo.js';
import { lastVerdictsRun } from '../electron/analysis/verdictsStep.js';
import { TextIndexLater } from '../electron/analysis/textIndexStep.js';
import { openCase } from '../electron/store/openCase.js';
import { benchRequests } from './analysisBench.js';
import { seedSource } from '../test/fixtures/analysis/seedCase.js';
import { filtersSchema } from '../shared/query/filterModel.js';
import { factsWhere, factValue } from '../electron/query/filterSql.js';
import { listSessionRequests } from '../electron/query/sessionRequests.js';
import { listSessions } from '../electron/query/sessionsQuery.js';

/** The process's peak resident set (Linux VmHWM), in MB; null elsewhere. */
function peakRssMb(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/** Tables a rebuild derives, each with a total order for the digest. */
const DIGESTED: Record<string, string> = {
  endpoints: 'id',
  sessions: 'id',
  request_facts: 'session_id, ts_us, request_id',
  session_endpoints: 'session_id, endpoint_id',
  session_verdicts: 'session_id',
  detections: 'id',
  request_tags: 'tag, request_id',
  endpoint_risk: 'eid',
  endpoint_spec_status: 'eid',
  endpoint_risk_inputs: 'endpoint_id',
};

const dir = process.argv[2] ?? 'bench-out';
const count = Number(process.argv[3] ?? 200_000);
const keepText = process.argv.includes('--keep-text');
// A case as `compact` leaves it: the analysis columns written (requestColumns.ts).
const columns = process.argv.includes('--columns');
// Times a rebuild after a settings change instead: one at another timeout first, then back.
const settingsChange = process.argv.includes('--settings');
mkdirSync(dir, { recursive: true });
const seed = path.join(dir, `profile-${count}${columns ? '-columns' : ''}.sscase`);
if (!existsSync(seed)) {
  const db = openCase(seed);
  seedSource(db, 'bench', benchRequests(count), { columns });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
const work = path.join(dir, `profile-${count}${columns ? '-columns' : ''}-work.sscase`);
for (const p of [work, work + '-wal', work + '-shm']) rmSync(p, { force: true });
copyFileSync(seed, work);
const db = openCase(work);
// A fixed salt: secret key digests then compare across runs (a fresh case draws a random one).
db.prepare("INSERT OR REPLACE INTO analysis_state (key, value) VALUES ('salt', 'profile')").run();
if (!keepText) db.prepare("DELETE FROM analysis_state WHERE key = 'text_index'").run();
if (settingsChange) {
  // The rebuild investigators run most: after a settings change, findings and text index kept.
  const settings = readSettings(db);
  writeSettings(db, { ...settings, inactivityTimeoutMin: settings.inactivityTimeoutMin + 5 });
  rebuild(db);
  writeSettings(db, settings);
  if (process.argv.includes('--no-scan-cache')) dropCache(db, SCAN_CACHE_NAME);
}
// --profile=FILE: a CPU profile of the timed rebuild alone (this thread), for DevTools.
const profileTo = process.argv.find((a) => a.startsWith('--profile='))?.slice(10);
const inspector = profileTo ? new Session() : null;
if (inspector) {
  inspector.connect();
  inspector.post('Profiler.enable');
  inspector.post('Profiler.start');
}
// --append=N: the rebuild after an import of N more requests into the analysed case (a second
// log file), the case first rebuilt in full as the first import's analysis leaves it.
const appendArg = process.argv.find((a) => a.startsWith('--append='))?.slice(9);
if (appendArg !== undefined) {
  // --append-cold: the same requests analysed at once (its digests must equal --append's).
  if (!process.argv.includes('--append-cold')) {
    rebuild(db);
    checkpointAfterRebuild(db);
  }
  seedSource(db, 'bench-appended', benchRequests(Number(appendArg)));
}
// --slow-sql: every exec() of the timed rebuild taking 20 ms or more, with its time.
const slowSql: string[] = [];
if (process.argv.includes('--slow-sql')) {
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    const t = performance.now();
    const out = exec(sql);
    const ms = performance.now() - t;
    if (ms >= 20) slowSql.push(`${Math.round(ms)} ms ${sql.replace(/\s+/g, ' ').slice(0, 90)}`);
    return out;
  };
}
const later = process.argv.includes('--text-later') ? new TextIndexLater() : undefined;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = rebuild(db, later ? { textIndexLater: later } : {});
const wall = Math.round(performance.now() - t0);
const cpu = process.cpuUsage(cpu0);
inspector?.post('Profiler.stop', (err, res) => {
  if (!err) writeFileSync(profileTo!, JSON.stringify(res.profile));
});
// What the app's rebuild job does after answering: not part of the rebuild's figure.
const c0 = performance.now();
checkpointAfterRebuild(db);
const checkpointMs = Math.round(performance.now() - c0);
console.log(
  `rebuild ${r.requests} requests: wall ${wall} ms, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms (load ${loadavg()[0]!.toFixed(1)}), then WAL checkpoint ${checkpointMs} ms`,
);
if (later) {
  // The answers while the index is being built (every request's text tested) come first.
  if (!process.argv.includes('--no-digest') && later.pending(db)) {
    textAnswers('before the index');
    sessionPages('before the index');
  }
  const x0 = performance.now();
  const xCpu0 = process.cpuUsage();
  const how = later.build(db);
  const xCpu = process.cpuUsage(xCpu0);
  console.log(
    `text index after the answer (${how ?? 'not due'}): wall ${Math.round(performance.now() - x0)} ms, CPU ${Math.round((xCpu.user + xCpu.system) / 1000)} ms`,
  );
  checkpointAfterRebuild(db);
}
console.log(`CPU ${JSON.stringify(r.stepCpuMs)}`);
console.log(`peak RSS ${peakRssMb()} MB`);
console.log(
  `workers' CPU: ${JSON.stringify({ scan: lastScanRun(), detection: lastDetectionRun(), verdicts: lastVerdictsRun() })}`,
);
console.log(`wall ${JSON.stringify(r.stepMs)}`);
for (const line of slowSql) console.log(`exec ${line}`);
if (process.argv.includes('--no-digest')) {
  db.close();
  process.exit(0);
}
const all = createHash('sha256');
// request_facts with its strings (fact_values ids are the rebuild's own numbering), sessions
// without their key ids (the scan's numbering of keys).
const SELECTS: Record<string, string> = {
  sessions: `SELECT id, sid, key_kind, key_display, first_us, last_us, duration_us, request_count,
    ip_count, first_ip, user_agent, hosts, user, role, flows, outlier_count, attack_count
    FROM sessions`,
  request_facts: `SELECT f.session_id, f.ts_us, f.request_id, f.endpoint_id, ${factValue('f.ip')},
    ${factValue('f.method')}, f.status, ${factValue('f.user')}, ${factValue('f.role')}, f.outlier, f.latency_z,
    f.size_z FROM request_facts f`,
};
for (const [t, order] of Object.entries(DIGESTED)) {
  const h = createHash('sha256');
  const select = SELECTS[t] ?? `SELECT * FROM ${t}`;
  for (const row of db.prepare(`${select} ORDER BY ${order}`).raw(true).iterate())
    h.update(JSON.stringify(row) + '\n');
  const d = h.digest('hex').slice(0, 16);
  all.update(d);
  console.log(`${t} ${d}`);
}
textAnswers();
sessionPages();
console.log(`all ${all.digest('hex').slice(0, 16)}`);
db.close();

/**
 * The free-text filter's answers (whatever the text index's layout): the matching request ids
 * per needle, and whether the index narrowed the search.
 */
function textAnswers(when?: string): void {
  const th = createHash('sha256');
  const textCpu0 = process.cpuUsage();
  for (const text of ['sort=price', 'users/42', 'bench; client 7', 'Mozilla', 'page=1', 'zzz']) {
    const where = factsWhere(db, filtersSchema.parse({ text }));
    let n = 0;
    for (const row of db
      .prepare(`SELECT f.request_id FROM request_facts f WHERE ${where.sql} ORDER BY 1`)
      .raw(true)
      .iterate(...where.params)) {
      th.update(String((row as [number])[0]) + ',');
      n++;
    }
    th.update(`|${n}|`);
    console.log(`text ${JSON.stringify(text)}: ${n} requests${where.indexed ? ' (indexed)' : ''}`);
  }
  const textCpu = process.cpuUsage(textCpu0);
  console.log(
    `text answers${when ? ` ${when}` : ''} ${th.digest('hex').slice(0, 16)} (CPU ${Math.round((textCpu.user + textCpu.system) / 1000)} ms)`,
  );
}

/**
 * The session list's first page and the first listed session's requests under each free-text
 * filter (digested), with the page's CPU (median of 5): the index layout must change neither.
 */
function sessionPages(when?: string): void {
  const ph = createHash('sha256');
  const pageCpu: string[] = [];
  for (const text of ['sort=price', 'users/42', 'users/4242', 'no-such-text', 'bench; client 7']) {
    const filters = filtersSchema.parse({ text });
    const cpus: number[] = [];
    let page = listSessions(db, { filters, limit: 50 });
    for (let k = 0; k < 5; k++) {
      const c0 = process.cpuUsage();
      page = listSessions(db, { filters, limit: 50 });
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
    }
    pageCpu.push(`${text} ${cpus.sort((a, b) => a - b)[2]!.toFixed(1)} ms`);
    ph.update(JSON.stringify(page.sessions.map((x) => [x.id, x.requestCount])));
    const first = page.sessions[0];
    if (first !== undefined)
      ph.update(
        JSON.stringify(listSessionRequests(db, first.id, filters).requests.map((r) => r.id)),
      );
  }
  console.log(`first page CPU: ${pageCpu.join(', ')}`);
  console.log(`session pages${when ? ` ${when}` : ''} ${ph.digest('hex').slice(0, 16)}`);
}
