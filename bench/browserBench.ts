// Browser benchmark: a 1M-request case (the analysis benchmark's traffic, cached in bench-out/)
// served in browser mode and driven in Debian's Chromium. Measures, in the page, (a) a filter
// change to the updated sessions list rendered and (b) opening the largest session to its
// requests table and timeline rendered (two ways of opening, see OPEN_WAYS). Prints medians, with the CPU each run cost the page's
// main thread and the server, since wall time on a shared machine says as much about the load.
// Run: npm run bench:browser [-- --count N] [--rebuild] [--runs N] [--only filters|open]
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Locator, type Page, type Request } from 'playwright-core';
import { rebuild } from '../electron/analysis/rebuild.js';
import { startBrowserMode } from '../electron/server/serveBrowserMode.js';
import { openCase } from '../electron/store/openCase.js';
import { PREFETCH_TTL_MS } from '../renderer/api/prefetchTtl.js';
import { chromiumLaunchOptions } from '../test/e2e/chromium.js';
import { seedSource } from '../test/fixtures/analysis/seedCase.js';
import { benchRequests } from './analysisBench.js';

/** Runs per measure (median reported); --runs overrides. */
let RUNS = 7;
/** Requests in the case's largest session, for the report. */
let largest = 0;

interface Sample {
  wallMs: number;
  /** user + sys of every Chromium process (browser, renderer, GPU…), from /proc. */
  chromiumCpuMs: number;
  /** The page's main thread: script, and style + layout (CDP metrics, wall-clock based). */
  scriptMs: number;
  layoutMs: number;
  /** user + sys of this process, which runs the server and SQLite. */
  serverCpuMs: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The seeded and rebuilt case, reused while its request count matches. */
function preparedCase(dir: string, count: number, forceRebuild: boolean): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `browser-${count}.sscase`);
  let db = existsSync(file) ? openCase(file) : null;
  const n = db ? (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n : -1;
  if (db && n !== count) {
    db.close();
    db = null;
  }
  if (!db) {
    for (const p of [file, file + '-wal', file + '-shm']) rmSync(p, { force: true });
    db = openCase(file);
    const t0 = performance.now();
    seedSource(db, 'bench', benchRequests(count));
    console.log(`browser: seeded ${count} requests in ${Math.round(performance.now() - t0)} ms`);
  }
  const sessions = (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  if (sessions === 0 || forceRebuild) {
    const t0 = performance.now();
    const r = rebuild(db);
    console.log(
      `browser: rebuilt ${r.sessions} sessions in ${Math.round(performance.now() - t0)} ms`,
    );
  }
  largest = (db.prepare('SELECT max(request_count) AS n FROM sessions').get() as { n: number }).n;
  db.close();
  return file;
}

async function pageMetrics(cdp: CDPSession): Promise<{ script: number; layout: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const get = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return {
    script: get('ScriptDuration'),
    layout: get('LayoutDuration') + get('RecalcStyleDuration'),
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU (user + sys) of the process tree whose root's command line names `profileDir`. */
function treeCpuMs(profileDir: string): number {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  let roots: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid … utime(14) stime(15).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(profileDir)) {
        roots.push(Number(name));
      }
    } catch {
      // The process ended while being read.
    }
  }
  roots = roots.filter((pid) => !roots.includes(procs.get(pid)?.ppid ?? -1));
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = procs.get(p)?.ppid ?? 0, hops++) {
      if (roots.includes(p)) return true;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (inTree(pid)) ticks += p.ticks;
  return ticks * TICK_MS;
}

/** The few page globals the clock uses (the Node tsconfig has no DOM types). */
interface PageNode {
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  document: PageNode & {
    addEventListener(type: string, cb: () => void, opts: { capture: boolean; once: boolean }): void;
  };
  requestAnimationFrame(cb: () => void): number;
}

/**
 * Starts a clock in the page at the next `trigger` event (capture phase, before React sees
 * it) and stops it at the first frame where `done` holds, after that frame is painted (a
 * frame callback then a task). Returns the page-side milliseconds.
 */
function armClock(
  page: Page,
  trigger: 'submit' | 'click' | 'dblclick',
  done: 'sessions' | 'session',
): Promise<number> {
  return page.evaluate(
    ({ trigger, done }) =>
      new Promise<number>((resolve, reject) => {
        const g = globalThis as unknown as PageGlobals;
        const d = g.document;
        const ready = (): boolean => {
          if (done === 'sessions') {
            const list = d.querySelector('[data-testid="sessions"]');
            // Busy: the previous filters' rows, still shown while the new ones load.
            return (
              list !== null &&
              list.getAttribute('aria-busy') !== 'true' &&
              list.querySelector('.vtable-row[role="row"]:not(.vtable-more)') !== null &&
              list.querySelector('.vtable-more') === null
            );
          }
          const table = d.querySelector('[data-testid="session-requests"]');
          const chart = d.querySelector('[data-testid="timeline"]');
          return (
            table?.querySelector('.vtable-row[role="row"]:not(.vtable-more)') != null &&
            chart?.querySelector('.stacked-bar') != null
          );
        };
        const giveUp = setTimeout(() => reject(new Error(`no ${done} after 60 s`)), 60_000);
        d.addEventListener(
          trigger,
          () => {
            const t0 = performance.now();
            // The old view is still in the DOM during this event; start looking next frame.
            const poll = (): void => {
              if (ready()) {
                setTimeout(() => {
                  clearTimeout(giveUp);
                  resolve(performance.now() - t0);
                }, 0);
              } else g.requestAnimationFrame(poll);
            };
            g.requestAnimationFrame(poll);
          },
          { capture: true, once: true },
        );
      }),
    { trigger, done },
  );
}

async function measure(
  page: Page,
  cdp: CDPSession,
  profileDir: string,
  clock: Promise<number>,
  act: () => Promise<void>,
  /** Run as soon as the result is on screen (stops a profile before the trailing work). */
  onReady?: () => Promise<void>,
): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const m0 = await pageMetrics(cdp);
  const chromium0 = treeCpuMs(profileDir);
  await act();
  const wallMs = await clock;
  await onReady?.();
  const cpu = process.cpuUsage(cpu0);
  const chromiumCpuMs = treeCpuMs(profileDir) - chromium0;
  const m1 = await pageMetrics(cdp);
  // Let trailing work (later pages, the attack index) settle before the next run.
  await page.waitForTimeout(1500);
  return {
    wallMs,
    chromiumCpuMs,
    scriptMs: m1.script - m0.script,
    layoutMs: m1.layout - m0.layout,
    serverCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/**
 * How a session is opened. The list asks for a row's opening answers once it has stayed
 * selected a moment (SELECTED_PREFETCH_MS), as the first click of a double click selects it:
 * - `human`: the first row, selected, double-clicked at a person's pace (a double click's
 *   second click comes 100–300 ms after the first; 150 ms here), so the answers have arrived;
 * - `instant`: another row selected for longer than an answer waits (PREFETCH_TTL_MS), then
 *   the first row double-clicked by Playwright, its two clicks back to back: the answers are
 *   asked for at the double click itself.
 */
const OPEN_WAYS = [
  { kind: 'human', label: "by a double click at a person's pace (150 ms between clicks)" },
  { kind: 'instant', label: 'by an instant double click on a row not selected before' },
] as const;

async function measureOpens(
  page: Page,
  cdp: CDPSession,
  profileDir: string,
  rows: Locator,
  way: (typeof OPEN_WAYS)[number],
): Promise<{ samples: Sample[]; calls: string }> {
  const samples: Sample[] = [];
  // BENCH_CPU_PROFILE=file.cpuprofile records the page's JavaScript during the last open of
  // each way (file-human.cpuprofile, file-instant.cpuprofile), from the double click to the
  // frame showing the table and the chart.
  const profileTo = process.env.BENCH_CPU_PROFILE?.replace(
    /(\.cpuprofile)?$/,
    `-${way.kind}.cpuprofile`,
  );
  // The contract calls of the last open, to show which wait for which.
  const calls: { name: string; startMs: number; endMs: number }[] = [];
  const onCall = (req: Request): void => {
    const url = new URL(req.url());
    const batched = url.pathname === '/api/batch';
    if (!batched && !url.pathname.startsWith('/api/call/')) return;
    const t = req.timing();
    calls.push({
      name: batched
        ? `batch(${(JSON.parse(req.postData() ?? '[]') as { name: string }[]).map((c) => c.name).join(', ')})`
        : decodeURIComponent(url.pathname.slice('/api/call/'.length)),
      startMs: t.startTime,
      endMs: t.startTime + t.responseEnd,
    });
  };
  for (let i = 0; i < RUNS; i++) {
    const box = await rows.first().boundingBox();
    if (!box) throw new Error('The first row is not on screen');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    if (way.kind === 'instant') {
      // Once the first row's answers (asked for as the list came back) have expired.
      await rows.nth(1).click();
      await page.waitForTimeout(PREFETCH_TTL_MS);
    } else {
      await page.mouse.click(x, y);
      await page.waitForTimeout(150);
    }
    if (i === RUNS - 1) page.on('requestfinished', onCall);
    const profiling = profileTo !== undefined && i === RUNS - 1;
    if (profiling) {
      await cdp.send('Profiler.enable');
      // One sample per 100 µs (the default is 1 ms): an open is a few dozen milliseconds.
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    samples.push(
      await measure(
        page,
        cdp,
        profileDir,
        armClock(page, 'dblclick', 'session'),
        way.kind === 'instant'
          ? () => rows.first().dblclick()
          : async () => {
              // The second click of the pair: Chromium fires dblclick on its release.
              await page.mouse.down({ clickCount: 2 });
              await page.mouse.up({ clickCount: 2 });
            },
        profiling
          ? async () => {
              const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
              writeFileSync(profileTo, JSON.stringify(profile));
            }
          : undefined,
      ),
    );
    if (i === RUNS - 1) page.off('requestfinished', onCall);
    await page.keyboard.press('Escape');
    await rows.first().waitFor();
    // The list is shown at once (kept behind the session) and then refreshes its first
    // page: let that settle, so the next open starts from a quiet page, as a user's would.
    await page.waitForTimeout(1000);
  }
  const t0 = Math.min(...calls.map((c) => c.startMs));
  return {
    samples,
    calls:
      calls
        .sort((a, b) => a.startMs - b.startMs)
        .map((c) => `${c.name} ${Math.round(c.startMs - t0)}→${Math.round(c.endMs - t0)}`)
        .join(', ') || 'none (every answer had arrived)',
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function report(name: string, samples: Sample[]): void {
  const f = (x: number): string => x.toFixed(1);
  console.log(
    `browser: ${name}: median ${f(median(samples.map((s) => s.wallMs)))} ms wall ` +
      `(CPU: Chromium ${f(median(samples.map((s) => s.chromiumCpuMs)))} ms, ` +
      `server ${f(median(samples.map((s) => s.serverCpuMs)))} ms; ` +
      `page script ${f(median(samples.map((s) => s.scriptMs)))} ms, ` +
      `style+layout ${f(median(samples.map((s) => s.layoutMs)))} ms; ` +
      `runs ${samples.map((s) => Math.round(s.wallMs)).join(', ')})`,
  );
}

async function main(): Promise<void> {
  const count = Number(arg('count') ?? 1_000_000);
  RUNS = Number(arg('runs') ?? RUNS);
  // While working on one measure, the other can be skipped.
  const only = arg('only');
  const casePath = preparedCase('bench-out', count, process.argv.includes('--rebuild'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ss-browser-bench-'));
  const mode = await startBrowserMode({
    userDataDir: path.join(tmp, 'userdata'),
    port: 0,
    open: { path: casePath },
  });
  const profileDir = path.join(tmp, 'profile');
  const context = await chromium.launchPersistentContext(profileDir, chromiumLaunchOptions());
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    console.log(
      `browser: load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await page.goto(mode.server.url);
    await page.getByTestId('overview').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const rows = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
    await rows.first().waitFor({ timeout: 120_000 });

    // (a) Filter changes: add one chip from the bar, then clear it, RUNS times over
    // different filters (status code, method, status class), each with a fresh result.
    const kinds: [field: string, value: string][] = [
      ['statuses', '500'],
      ['methods', 'DELETE'],
      ['statuses', '4xx'],
    ];
    const adds: Sample[] = [];
    const clears: Sample[] = [];
    const bar = page.getByTestId('sessions').getByRole('search');
    for (let i = 0; only !== 'open' && i < RUNS; i++) {
      const [field, value] = kinds[i % kinds.length]!;
      await bar.getByRole('combobox', { name: 'Add filter' }).selectOption(field);
      await bar.locator('.filter-add input[type="text"]').fill(value);
      adds.push(
        await measure(page, cdp, profileDir, armClock(page, 'submit', 'sessions'), () =>
          bar.getByRole('button', { name: 'Add filter' }).click(),
        ),
      );
      clears.push(
        await measure(page, cdp, profileDir, armClock(page, 'click', 'sessions'), () =>
          bar
            .getByTestId('filter-chips')
            .getByRole('button', { name: /^Remove/ })
            .click(),
        ),
      );
    }
    if (only !== 'open') {
      report('filter added → sessions list rendered', adds);
      report('filter removed → sessions list rendered', clears);
    }

    // (b) The largest session: sort by requests (descending), open the first row, two ways.
    await page.getByRole('button', { name: 'Requests', exact: true }).click();
    await page.waitForTimeout(1500);
    if (only !== 'filters') {
      for (const way of OPEN_WAYS) {
        const r = await measureOpens(page, cdp, profileDir, rows, way);
        report(
          `largest session (${largest} requests) opened ${way.label} → table and chart rendered`,
          r.samples,
        );
        console.log(
          `browser: calls of the last open (sent → answered, ms after the first was sent): ${r.calls}`,
        );
      }
    }
  } finally {
    await context.close();
    await mode.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
