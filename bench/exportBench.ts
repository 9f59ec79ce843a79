// Export benchmark: the whole 1M-request analysis case (bench/analysisBench.ts builds and
// caches it in bench-out/) written as one CSV, in a child process of its own so its peak RSS is
// the export's alone. Prints rows/s, CPU time and RSS as the rows go by: memory must stay flat.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { rebuild } from '../electron/analysis/rebuild.js';
import { exportCsv } from '../electron/export/exportCsv.js';
import { openCase } from '../electron/store/openCase.js';

export interface ExportBenchResult {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  /** user + system of the child process. */
  cpuSeconds: number;
  peakRssMb: number;
  /** RSS (MB) before the first row, then after every 100k rows. */
  rssMb: number[];
  error?: string;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** The analysis bench's cached case (same name as its seededCase). */
export function analysisCasePath(dir: string, count: number): string {
  return path.join(dir, `analysis-${count}.sscase`);
}

/** Runs in the child: `bench.mjs --export <case> <out.csv>`; prints one JSON line. */
export async function exportBenchChild(casePath: string, outCsv: string): Promise<void> {
  const db = openCase(casePath, { create: false });
  try {
    const facts = (db.prepare('SELECT count(*) AS n FROM request_facts').get() as { n: number }).n;
    // Run with --no-analysis on a fresh case: the export lists analysed requests only.
    if (facts === 0) rebuild(db);
    const rssMb = [mb(process.memoryUsage.rss())];
    let mark = 100_000;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const r = await exportCsv(db, outCsv, {
      onProgress(p) {
        while (p.rows >= mark) {
          rssMb.push(mb(process.memoryUsage.rss()));
          mark += 100_000;
        }
      },
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const result: ExportBenchResult = {
      rows: r.rows,
      bytes: r.bytes,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSec: Math.round(r.rows / seconds),
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      rssMb,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    db.close();
    rmSync(outCsv, { force: true });
  }
}

/** Spawns the child on the analysis case and prints the figure. */
export function runExportBench(opts: {
  /** The bench script itself (re-run with --export). */
  self: string;
  count: number;
  dir: string;
  print?: (line: string) => void;
}): ExportBenchResult | null {
  const print = opts.print ?? ((l: string) => console.log(l));
  const casePath = analysisCasePath(opts.dir, opts.count);
  if (!existsSync(casePath)) {
    print(`export: skipped, no ${path.basename(casePath)} (the analysis bench makes it)`);
    return null;
  }
  const out = path.join(opts.dir, `export-${opts.count}.csv`);
  const res = spawnSync(process.execPath, [opts.self, '--export', casePath, out], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  let r: ExportBenchResult;
  try {
    r = JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as ExportBenchResult;
  } catch {
    print(`export: failed: ${(res.stderr || `exit ${res.status}`).trim().split('\n')[0]}`);
    return null;
  }
  const flat = `RSS before the first row, then every 100k rows: ${r.rssMb.join(' / ')} MB`;
  print(
    `export: ${r.rows} rows to CSV (${mb(r.bytes)} MB) in ${r.seconds.toFixed(2)} s = ` +
      `${r.rowsPerSec} rows/s (CPU ${r.cpuSeconds.toFixed(2)} s), peak RSS ${r.peakRssMb} MB; ${flat}`,
  );
  if (existsSync(out)) print(`export: left ${statSync(out).size} bytes behind (unexpected)`);
  return r;
}
