// Detection speed alone: runs the rebuild's detection step over a copy of a bench case and
// prints its wall and CPU time, plus a digest of the detections table (so a speed change can
// be checked to leave the findings byte for byte as they were). Profile with `node --cpu-prof`:
//   esbuild bench/detectSpeed.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=/tmp/det/detectSpeed.mjs && node /tmp/det/detectSpeed.mjs /tmp/det 200000
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { detectStep } from '../electron/analysis/detectStep.js';
import { openCase } from '../electron/store/openCase.js';
import { benchRequests } from './analysisBench.js';
import { seedSource } from '../test/fixtures/analysis/seedCase.js';

const dir = process.argv[2] ?? 'bench-out';
const count = Number(process.argv[3] ?? 200_000);
mkdirSync(dir, { recursive: true });
const seed = path.join(dir, `detect-${count}.sscase`);
if (!existsSync(seed)) {
  const db = openCase(seed);
  seedSource(db, 'bench', benchRequests(count));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
const work = path.join(dir, `detect-${count}-work.sscase`);
for (const p of [work, work + '-wal', work + '-shm']) rmSync(p, { force: true });
copyFileSync(seed, work);
const db = openCase(work);
try {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = detectStep(db);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = Math.round(performance.now() - t0);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const hash = createHash('sha256');
  for (const row of db.prepare('SELECT * FROM detections ORDER BY id').iterate())
    hash.update(JSON.stringify(row));
  for (const row of db.prepare('SELECT * FROM fp_detections ORDER BY id').iterate())
    hash.update(JSON.stringify(row));
  console.log(
    `detection of ${r.requests} requests: ${wallMs} ms wall, ${cpuMs} ms CPU ` +
      `(load ${loadavg()[0]!.toFixed(1)}); ${r.detections} findings, digest ${hash.digest('hex').slice(0, 16)}`,
  );
} finally {
  db.close();
}
