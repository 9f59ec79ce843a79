import { caseFileFor, ensureCaseFolder } from './casePath.js';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { analysisStaleness } from '../analysis/rebuild.js';
import { textIndexBehind } from '../analysis/textIndexStep.js';
import type {
  CaseHostless,
  CaseInfo,
  caseCalls,
  CsvMappingInfo,
  ImportPreview,
  Page,
  RequestInfo,
  SourceInfo,
  SourceStatus,
} from '../../shared/contract/caseApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { isValidTimeZone } from '../../shared/time/parseTime.js';
import { describeCsvMapping } from '../ingest/formats/csv.js';
import { formatById, FORMATS, makeSniffSample, sniffFormat } from '../ingest/formats/index.js';
import { hostlessSources } from '../ingest/importWarnings.js';
import { sampleHosts } from '../ingest/sampleHosts.js';
import {
  emptyFileMessage,
  readHead,
  statSource,
  type SourceFileInfo,
} from '../ingest/sourceFile.js';
import { loadSpecFile } from '../spec/loadSpec.js';
import { verifySources } from '../ingest/verifySources.js';
import { readCaseMeta, type CaseDb } from '../store/openCase.js';
import { listRejectsPage, rejectBytesBase64 } from '../store/rejectsPage.js';
import { listRequests, type RequestRow } from '../store/requestsRepo.js';
import { removeSourceAudited } from '../store/sourceRemoval.js';
import { caseCounts, listSources, type SourceRow } from '../store/sourcesRepo.js';
import { SCHEMA_VERSION } from '../store/migrations/index.js';
import { TOOL_VERSION } from '../version.js';
import { BUILD_ID } from '../buildId.js';
import type { OpenedCase } from './appState.js';
import type { ApiContext } from './context.js';
import type { HandlersFor } from './handlerTypes.js';
import { rebuildJobsFor } from './rebuildJobs.js';

const DEFAULT_PAGE = 200;
const PREVIEW_LINES = 20;

export const caseHandlers: HandlersFor<typeof caseCalls> = {
  getAppInfo: (_input, ctx) => ({
    name: 'Sessionscope',
    version: TOOL_VERSION,
    buildId: BUILD_ID,
    schemaVersion: SCHEMA_VERSION,
    mode: ctx.mode,
    canChooseFiles: ctx.chooseFiles !== undefined,
    canUpload: ctx.canUpload,
    formats: FORMATS.map((f) => ({ id: f.id, label: f.label, example: f.example })),
  }),

  listRecentCases: (_input, ctx) => ctx.state.recentCases(),

  createCase: ({ path: typed }, ctx) => {
    assertCaseIdle(ctx, 'create a case');
    const file = caseFileFor(typed, ctx.state.options.userDataDir, true);
    ensureCaseFolder(file);
    // state.open refuses a file that exists: this one is made now, owner-only (openCase).
    return caseInfo(ctx.state.open(file, { create: true }));
  },

  openCase: ({ path: typed }, ctx) => {
    assertCaseIdle(ctx, 'open another case');
    const file = caseFileFor(typed, ctx.state.options.userDataDir, false);
    const opened = ctx.state.open(file, { create: false });
    indexIfBehind(ctx, opened);
    return caseInfo(opened);
  },

  openDemoCase: async (_input, ctx) => openDemoCase(ctx),

  closeCase: (_input, ctx) => {
    assertCaseIdle(ctx, 'close the case');
    return { closed: ctx.state.close() };
  },

  getCaseInfo: (_input, ctx) => caseInfo(ctx.state.requireCase()),

  getOpenCase: (_input, ctx) => {
    const open = ctx.state.openCase;
    return { case: open ? caseInfo(open) : null };
  },

  listSources: (_input, ctx) => listSources(ctx.state.requireCase().db).map(toSourceInfo),

  removeSource: ({ sourceId }, ctx) => {
    assertCaseIdle(ctx, 'remove a source');
    removeSourceAudited(ctx.state.requireCase().db, sourceId);
    return { removed: true };
  },

  listRejects: ({ sourceId, cursor, limit }, ctx) => {
    const { db } = ctx.state.requireCase();
    const n = limit ?? DEFAULT_PAGE;
    const after = cursor === undefined ? 0 : parseIdCursor(cursor);
    const rows = listRejectsPage(db, n + 1, after, sourceId);
    const items = rows.slice(0, n);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > n && last ? String(last.id) : null,
    };
  },

  getRejectBytes: ({ id }, ctx) => {
    const rawBase64 = rejectBytesBase64(ctx.state.requireCase().db, id);
    if (rawBase64 === null) throw new AppError('NOT_FOUND', `No rejected line ${id}.`);
    return { id, rawBase64 };
  },

  listRequests: ({ cursor, limit }, ctx): Page<RequestInfo> => {
    const { db } = ctx.state.requireCase();
    const n = limit ?? DEFAULT_PAGE;
    const after = cursor === undefined ? undefined : parseTsIdCursor(cursor);
    const rows = listRequests(db, n + 1, after);
    const items = rows.slice(0, n).map(toRequestInfo);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > n && last ? `${last.tsUs}:${last.id}` : null,
    };
  },

  chooseFiles: async ({ purpose }, ctx) => {
    if (!ctx.chooseFiles) {
      throw new AppError('BAD_INPUT', 'This shell has no file chooser; upload the file instead.');
    }
    return { paths: await ctx.chooseFiles(purpose) };
  },

  startImport: ({ paths, ...options }, ctx) => {
    const target = ctx.state.requireCase();
    if (options.logFormat && !options.format) options.format = 'nginx';
    // Refused now rather than in the importDone event, while the user is still in the dialog.
    if (options.format) formatById(options.format);
    if (options.tz && !isValidTimeZone(options.tz)) {
      throw new AppError('BAD_INPUT', `Unknown time zone "${options.tz}".`);
    }
    // A rebuild on its worker holds the write lock; the import would wait for it and fail.
    rebuildJobsFor(ctx.events).assertIdle('start an import');
    // Its messages name the import form's controls, not the CLI's flags.
    return { importId: ctx.jobs.start(target, paths, { ...options, audience: 'app' }) };
  },

  cancelImport: ({ importId }, ctx) => ({ cancelled: ctx.jobs.cancel(importId) }),

  previewImport: async ({ path: file, map, tz, format }, ctx) => {
    const info = await statSource(file);
    const preview = await previewImport(info, map, tz, format);
    // What this file's host-less requests would merge with, read when the preview is ready.
    const open = ctx.state.openCase;
    return open ? { ...preview, caseHostless: await caseHostless(open.db, info) } : preview;
  },

  verifySources: async (_input, ctx) => verifySources(ctx.state.requireCase().db),

  takeOpenLinks: (_input, ctx) => ({ urls: ctx.takeOpenLinks?.() ?? [] }),
};

function caseInfo(c: OpenedCase): CaseInfo {
  const stale = analysisStaleness(c.db);
  return {
    path: c.path,
    name: path.basename(c.path),
    isDemo: c.isDemo,
    meta: readCaseMeta(c.db),
    counts: caseCounts(c.db),
    sources: listSources(c.db).map(toSourceInfo),
    analysisCurrent: stale === null,
    ...(stale === null ? {} : { analysisStale: stale }),
  };
}

function toSourceInfo(s: SourceRow): SourceInfo {
  return {
    id: s.id,
    path: s.pathGiven,
    fileName: s.fileName,
    sizeBytes: s.sizeBytes,
    sha256: s.sha256,
    format: s.format,
    tz: s.tzAssumption,
    withoutOffset: s.withoutOffset,
    assumedHost: s.assumedHost,
    firstUs: s.firstUs,
    lastUs: s.lastUs,
    importedAt: s.importedAt,
    lines: s.linesRead,
    accepted: s.accepted,
    rejected: s.rejected,
    status: s.status as SourceStatus,
  };
}

function jsonObject<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function toRequestInfo(r: RequestRow): RequestInfo {
  return {
    ...r,
    headers: jsonObject<Record<string, string>>(r.headers),
    respHeaders: jsonObject<Record<string, string>>(r.respHeaders),
    extra: jsonObject<Record<string, unknown>>(r.extra),
  };
}

function parseIdCursor(cursor: string): number {
  const n = Number(cursor);
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('BAD_INPUT', 'Malformed cursor.');
  return n;
}

function parseTsIdCursor(cursor: string): { tsUs: number; id: number } {
  const m = /^(-?\d+):(\d+)$/.exec(cursor);
  const tsUs = Number(m?.[1]);
  const id = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(tsUs) || !Number.isSafeInteger(id)) {
    throw new AppError('BAD_INPUT', 'Malformed cursor.');
  }
  return { tsUs, id };
}

async function previewImport(
  info: SourceFileInfo,
  map: Record<string, string> | undefined,
  tz: string | undefined,
  chosenFormat?: string,
): Promise<ImportPreview> {
  const head = await readHead(info);
  // Said now, not as "not a recognised log format": the import would refuse it as empty.
  if (head.length === 0) return emptyPreview(info);
  const sample = makeSniffSample(head, info.fileName);
  let format: string | null = null;
  let confidence = 0;
  let scores: { id: string; score: number }[];
  let problem: string | null = null;
  try {
    // Its failure is shown in the import form, which has a Format list, not --format.
    const sniffed = sniffFormat(sample, 'app');
    format = sniffed.format.id;
    confidence = sniffed.confidence;
    scores = sniffed.scores;
  } catch (err) {
    problem = (err as Error).message;
    scores = FORMATS.map((f) => {
      try {
        return { id: f.id, score: f.sniff(sample) };
      } catch {
        return { id: f.id, score: 0 };
      }
    });
  }
  // A CSV with unfamiliar headers sniffs below the threshold: when the user chose CSV, or CSV
  // is still the best guess, describe its columns so they can be mapped by hand.
  const csvIsBest =
    scores.length > 0 && scores.reduce((a, b) => (b.score > a.score ? b : a)).id === 'csv';
  const showCsv = chosenFormat === 'csv' || format === 'csv' || (format === null && csvIsBest);
  const csv = showCsv ? describeCsv(sample.text, map, tz) : null;
  return {
    path: info.pathGiven,
    fileName: info.fileName,
    sizeBytes: info.sizeBytes,
    gzip: info.gzip,
    format,
    confidence,
    scores,
    lines: sample.lines.slice(0, PREVIEW_LINES),
    problem,
    csv,
    hosts: sampleHosts(format === null ? null : formatById(format), sample.lines, tz ?? 'UTC', csv),
  };
}

/** The preview of a file with nothing in it: no format, no lines, and why. */
function emptyPreview(info: SourceFileInfo): ImportPreview {
  return {
    path: info.pathGiven,
    fileName: info.fileName,
    sizeBytes: info.sizeBytes,
    gzip: info.gzip,
    format: null,
    confidence: 0,
    scores: FORMATS.map((f) => ({ id: f.id, score: 0 })),
    lines: [],
    problem: emptyFileMessage(info),
    csv: null,
    hosts: null,
  };
}

/** The case's host-less requests by source, but for the previewed file's own (already imported). */
async function caseHostless(db: CaseDb, file: SourceFileInfo): Promise<CaseHostless> {
  const sources = await hostlessSources(db, file);
  return { requests: sources.reduce((n, s) => n + s.withoutHost, 0), sources };
}

function describeCsv(
  text: string,
  map: Record<string, string> | undefined,
  tz: string | undefined,
): CsvMappingInfo {
  return describeCsvMapping(text, { tz: tz ?? 'UTC', audience: 'app', ...(map ? { map } : {}) });
}

/**
 * For calls that replace, close or cut into the open case: refused while an import or a
 * rebuild runs on it, since either holds the case's write lock and would otherwise finish
 * (or be rolled back) behind a case the investigator has already left. While only the text
 * index after a rebuild is being built, the call waits for it instead (rebuildJobs.ts,
 * IndexTailBusy): at most about a second, and the case keeps its index.
 */
function assertCaseIdle(ctx: ApiContext, what: string): void {
  ctx.jobs.assertIdle(what);
  rebuildJobsFor(ctx.events).assertIdle(what);
}

/**
 * A case whose text index is behind its analysis (the app ended while the index was being
 * built after a rebuild) gets it built in the background, so its searches do not test every
 * request until its next rebuild; meanwhile searches and writes through dispatch wait for it.
 */
function indexIfBehind(ctx: ApiContext, opened: OpenedCase): void {
  if (!textIndexBehind(opened.db)) return;
  const nativeBinding = ctx.state.options.nativeBinding;
  rebuildJobsFor(ctx.events).buildTextIndex({
    casePath: opened.path,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
}

/**
 * Opens the demo case, importing the bundled capture into it and rebuilding the analysis the
 * first time (and again if an earlier first run was interrupted before the import completed).
 */
async function openDemoCase(ctx: ApiContext): Promise<CaseInfo> {
  assertCaseIdle(ctx, 'open the demo case');
  const { casePath, captureDir } = ctx.demo;
  let opened: OpenedCase;
  try {
    opened = ctx.state.open(casePath, { create: false, isDemo: true });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'NOT_A_CASE') setAsideDemo(casePath);
    else if (err.code !== 'NOT_FOUND') throw err;
    opened = ctx.state.open(casePath, { create: true, isDemo: true });
  }
  if (caseCounts(opened.db).sources === 0) {
    const files = demoCaptureFiles(captureDir);
    if (files.length === 0) {
      throw new AppError('NOT_FOUND', `The demo capture is missing (looked in ${captureDir}).`);
    }
    const done = await ctx.jobs.wait(ctx.jobs.start(opened, files, {}));
    if (done.error) throw new AppError(done.error.code, done.error.message);
    // The API specs beside the capture, so the Endpoints view shows shadow, zombie and orphan
    // endpoints (their statuses follow in the rebuild); loaded oldest version first, by name.
    for (const spec of demoSpecFiles(captureDir)) await loadSpecFile(opened.db, spec);
    // The demo is there to be explored: sessions, flows and attacks ready on first open
    // (rebuilt on the worker, with progress events like any rebuild).
    const nativeBinding = ctx.state.options.nativeBinding;
    await rebuildJobsFor(ctx.events).start({
      casePath: opened.path,
      ...(nativeBinding ? { nativeBinding } : {}),
    }).done;
  }
  return caseInfo(opened);
}

/**
 * The demo case is made from the bundled capture, so one this build cannot read (a damaged
 * file, or one left by a development build) is renamed aside with its WAL, never deleted,
 * and made again.
 */
function setAsideDemo(casePath: string): void {
  const aside = `${casePath}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(casePath, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(casePath + suffix)) renameSync(casePath + suffix, aside + suffix);
  }
}

/** Files of the demo capture folder (hidden ones aside) whose names `keep` accepts, by name. */
function demoFiles(dir: string, keep: (name: string) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.') && keep(n))
    .map((n) => path.join(dir, n))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/** Log files of the demo capture folder (notes, manifests and API specs beside them are not logs). */
export function demoCaptureFiles(dir: string): string[] {
  return demoFiles(dir, (n) => !/\.(md|txt|json|yml|yaml)$/i.test(n));
}

/** The OpenAPI / Swagger files of the demo capture folder (`*.json`, `*.yaml`, `*.yml`). */
export function demoSpecFiles(dir: string): string[] {
  return demoFiles(dir, (n) => /\.(json|ya?ml)$/i.test(n));
}
