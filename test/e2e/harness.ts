import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { dispatch } from '../../electron/api/dispatch.js';
import { startBrowserMode, type BrowserMode } from '../../electron/server/serveBrowserMode.js';
import { chromiumLaunchOptions } from './chromium.js';

/**
 * End-to-end harness: the real browser-mode server (in this process, on a free port, with a
 * temp user-data folder and case) and Debian's Chromium driven by playwright-core.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * A progress bar that has moved off zero. Wait for it with a locator (polled from outside the
 * page): `waitForFunction` strings are eval'd in the page and refused by the renderer's CSP.
 */
export const PROGRESS_STARTED = '[role="progressbar"][aria-valuenow]:not([aria-valuenow="0"])';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export interface Served {
  dir: string;
  casePath: string;
  mode: BrowserMode;
  /** The URL with the token, as `serve` prints it. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Writes `files` into a temp folder, creates a case, imports them, rebuilds, serves it. */
export async function serveCase(files: Record<string, string>): Promise<Served> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ss-e2e-'));
  const paths = Object.entries(files).map(([name, content]) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  });
  const casePath = path.join(dir, 'case.sscase');
  const mode = await startBrowserMode({ userDataDir: path.join(dir, 'userdata'), port: 0 });
  const ctx = mode.backend.ctx;
  const created = await dispatch('createCase', { path: casePath }, ctx);
  if (!created.ok) throw new Error(created.error.message);
  if (paths.length > 0) {
    const done = new Promise<unknown>((resolve) => {
      const off = ctx.events.subscribe((event, payload) => {
        if (event === 'importDone') {
          off();
          resolve(payload);
        }
      });
    });
    const started = await dispatch('startImport', { paths }, ctx);
    if (!started.ok) throw new Error(started.error.message);
    const d = (await done) as { error: { message: string } | null };
    if (d.error) throw new Error(d.error.message);
    const rebuilt = await dispatch('rebuild', {}, ctx);
    if (!rebuilt.ok) throw new Error(`rebuild: ${rebuilt.error.message}`);
  }
  const url = mode.server.url;
  return {
    dir,
    casePath,
    mode,
    url,
    origin: new URL(url).origin,
    async close() {
      await mode.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Driven {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, to assert none happened. */
  errors: string[];
  dialogs: string[];
  close(): Promise<void>;
}

export async function launch(): Promise<Driven> {
  const profile = mkdtempSync(path.join(tmpdir(), 'ss-chromium-'));
  // A fresh profile per run: nothing cached or remembered between tests.
  const context = await chromium.launchPersistentContext(profile, chromiumLaunchOptions());
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return {
    context,
    page,
    errors,
    dialogs,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface BrowserModeSuite {
  readonly served: Served;
  readonly driven: Driven;
}

/**
 * Gives the calling suite a served case of `files` (a function is called only when the suite
 * starts) and a Chromium to drive it: registers the beforeAll that serves then launches, and the
 * afterAll that closes the browser then the server, whatever part of the setup succeeded. Read
 * `served` and `driven` inside tests and hooks. A suite's own beforeAll registered after this
 * call runs once they are ready: vitest runs beforeAll hooks in the order they were registered.
 */
export function useBrowserMode(
  files: Record<string, string> | (() => Record<string, string>),
): BrowserModeSuite {
  let served: Served | undefined;
  let driven: Driven | undefined;
  beforeAll(async () => {
    served = await serveCase(typeof files === 'function' ? files() : files);
    driven = await launch();
  });
  afterAll(async () => {
    try {
      await driven?.close();
    } finally {
      await served?.close();
    }
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) {
      throw new Error(`useBrowserMode: ${name} is read before the suite's beforeAll set it up`);
    }
    return value;
  };
  return {
    get served() {
      return ready(served, 'served');
    },
    get driven() {
      return ready(driven, 'driven');
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** A small combined-format capture: a few sessions (ip+UA keyed), statuses of each class. */
export function combinedFixture(): string {
  const lines: string[] = [];
  const base = Date.UTC(2026, 10, 20, 9, 0, 0);
  const actors = [
    { ip: '10.0.0.5', ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', user: 'alice' },
    { ip: '10.0.0.9', ua: 'curl/8.5.0', user: '-' },
    { ip: '192.168.1.77', ua: 'sqlmap/1.8', user: '-' },
  ];
  const paths = [
    '/login',
    '/api/accounts/1001',
    '/api/accounts/1002/billing',
    '/admin/users',
    '/static/app.js',
  ];
  for (let i = 0; i < 60; i++) {
    const a = actors[i % actors.length]!;
    const p = paths[(i * 7) % paths.length]!;
    const status = [200, 200, 302, 404, 500][(i * 3) % 5]!;
    const t = new Date(base + i * 20_000 + (i % 3) * 1000);
    lines.push(
      `${a.ip} - ${a.user} [${clfTime(t)}] "GET ${p}?page=${i} HTTP/1.1" ${status} ${500 + i * 13} "-" "${a.ua}" ${(0.02 + (i === 42 ? 2.5 : (i % 5) * 0.003)).toFixed(3)}`,
    );
  }
  lines.push('this line is not a log line');
  return lines.join('\n') + '\n';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function clfTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
