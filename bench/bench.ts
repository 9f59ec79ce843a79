// Import benchmark: generates deterministic captures, imports each into a fresh case in its own
// process (so peak RSS is that import's alone) and prints lines/s, wall time and memory.
import { runAnalysisBench } from './analysisBench.js';
import { exportBenchChild, runExportBench } from './exportBench.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../electron/ingest/formats/index.js';
import { importSource } from '../electron/ingest/importSource.js';
import { openCase } from '../electron/store/openCase.js';
import { writeCapture } from './generateCapture.js';

interface RunResult {
  format: string;
  lines: number;
  accepted: number;
  rejected: number;
  seconds: number;
  linesPerSec: number;
  peakRssMb: number;
  /** CPU time of the whole process (all threads), user + system. */
  cpuSeconds: number;
  /** CPU time of the thread that writes to SQLite during the import (Linux only). */
  writerCpuSeconds?: number;
  /** Wall time of the last step, after the last line was written (COMMIT, WAL checkpoint). */
  commitSeconds?: number;
  /** Wall time of closing the case after the import: the WAL checkpoint the import left. */
  checkpointSeconds?: number;
  /** RSS (MB) sampled when the import passed each million lines. */
  rssAtMillion: number[];
  error?: string;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/**
 * CPU seconds of the calling thread (Linux, /proc/thread-self/stat), or null elsewhere. Node 20
 * has no per-thread CPU clock; this splits the import's CPU between the writing thread and the
 * parser worker.
 */
function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15, in clock ticks of 1/100 s.
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

async function runOne(format: string, file: string, casePath: string): Promise<RunResult> {
  for (const p of [casePath, casePath + '-wal', casePath + '-shm']) rmSync(p, { force: true });
  const db = openCase(casePath);
  const rssAtMillion: number[] = [];
  let nextMark = 1_000_000;
  const t0 = process.hrtime.bigint();
  const writer0 = threadCpuSeconds();
  let tCommit: bigint | null = null;
  const r = await importSource(
    db,
    file,
    { format, force: true },
    {
      progressIntervalMs: 50,
      onProgress(p) {
        if (p.phase === 'indexing') tCommit = process.hrtime.bigint();
        while (p.lines >= nextMark) {
          rssAtMillion.push(mb(process.memoryUsage.rss()));
          nextMark += 1_000_000;
        }
      },
    },
  );
  const t1 = process.hrtime.bigint();
  const seconds = Number(t1 - t0) / 1e9;
  const writer1 = threadCpuSeconds();
  // The import leaves the WAL checkpoint to later; closing the last connection does it here.
  const tClose = process.hrtime.bigint();
  db.close();
  const checkpointSeconds = Math.round(Number(process.hrtime.bigint() - tClose) / 1e7) / 100;
  return {
    format,
    lines: r.lines,
    accepted: r.accepted,
    rejected: r.rejected,
    seconds: Math.round(seconds * 100) / 100,
    linesPerSec: Math.round(r.lines / seconds),
    // maxRSS is in kilobytes and covers every thread of this process (the parser worker too).
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuSeconds: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e4) / 100,
    rssAtMillion,
    checkpointSeconds,
    ...(tCommit !== null ? { commitSeconds: Math.round(Number(t1 - tCommit) / 1e7) / 100 } : {}),
    ...(writer0 !== null && writer1 !== null
      ? { writerCpuSeconds: Math.round((writer1 - writer0) * 100) / 100 }
      : {}),
  };
}

function spawnRun(self: string, format: string, file: string, casePath: string): RunResult {
  const res = spawnSync(process.execPath, [self, '--one', format, file, casePath], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const lastLine = res.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(lastLine) as RunResult;
  } catch {
    return {
      format,
      lines: 0,
      accepted: 0,
      rejected: 0,
      seconds: 0,
      linesPerSec: 0,
      peakRssMb: 0,
      cpuSeconds: 0,
      rssAtMillion: [],
      error: (res.stderr || res.stdout || `exit ${res.status}`).trim().split('\n')[0],
    };
  }
}

function print(label: string, file: string, r: RunResult): void {
  if (r.error) {
    console.log(`${label}: failed: ${r.error}`);
    return;
  }
  const size = statSync(file).size;
  console.log(
    `${label}: ${r.lines} lines (${r.accepted} accepted, ${r.rejected} rejected), ` +
      `${mb(size)} MB in ${r.seconds.toFixed(2)} s = ${r.linesPerSec} lines/s ` +
      `(CPU ${r.cpuSeconds.toFixed(2)} s, all threads` +
      (r.writerCpuSeconds !== undefined
        ? `; ${r.writerCpuSeconds.toFixed(2)} s on the thread writing to SQLite`
        : '') +
      `), ` +
      (r.commitSeconds !== undefined ? `final COMMIT ${r.commitSeconds.toFixed(2)} s, ` : '') +
      (r.checkpointSeconds !== undefined
        ? `then WAL checkpoint at close ${r.checkpointSeconds.toFixed(2)} s, `
        : '') +
      `peak RSS ${r.peakRssMb} MB` +
      (r.rssAtMillion.length > 0 ? `, RSS at each 1M lines: ${r.rssAtMillion.join(' / ')} MB` : ''),
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--export') {
    await exportBenchChild(argv[1]!, argv[2]!);
    return;
  }
  if (argv[0] === '--one') {
    const [, format, file, casePath] = argv as [string, string, string, string];
    const r = await runOne(format, file, casePath);
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const lines = Number(argv[argv.indexOf('--lines') + 1] ?? NaN) || 1_000_000;
  const self = fileURLToPath(import.meta.url);
  const out = path.resolve('bench-out');
  mkdirSync(out, { recursive: true });
  const combined = path.join(out, `combined-${lines}.log`);
  const combined2 = path.join(out, `combined-${lines * 2}.log`);
  const csv = path.join(out, `capture-${lines}.csv`);
  for (const [file, n, shape] of [
    [combined, lines, 'combined'],
    [csv, lines, 'csv'],
    [combined2, lines * 2, 'combined'],
  ] as const) {
    if (!existsSync(file)) {
      process.stderr.write(`generating ${path.basename(file)}…\n`);
      await writeCapture(file, n, shape);
    }
  }
  // Wall-clock figures depend on what else the machine runs: the load average says how busy.
  const load = os.loadavg().map((l) => l.toFixed(1));
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${load.join(' ')}, ${lines} lines per capture`,
  );
  print('combined', combined, spawnRun(self, 'combined', combined, path.join(out, 'c1.sscase')));
  if (FORMATS.some((f) => f.id === 'csv')) {
    print('csv', csv, spawnRun(self, 'csv', csv, path.join(out, 'c2.sscase')));
  } else {
    console.log('csv: format not available');
  }
  print(
    'combined 2x (memory check)',
    combined2,
    spawnRun(self, 'combined', combined2, path.join(out, 'c3.sscase')),
  );
  if (!argv.includes('--no-analysis')) {
    // Rebuild and query figures on a 1M-request case (issue: analysis speed targets).
    runAnalysisBench({ count: lines, dir: out });
  }
  // A CSV of the whole analysed case: rows/s and flat memory (issue 7).
  if (!argv.includes('--no-export')) runExportBench({ self, count: lines, dir: out });
}

await main();
