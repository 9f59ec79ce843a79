import { z } from 'zod';
import { ERROR_CODES } from './errors.js';
import { ASSUMED_HOST_RULE, normalizeAssumedHost } from '../model/hostName.js';
import type { RequestRecord } from '../model/requestRecord.js';
import { call, event } from './define.js';

/**
 * The case area of the contract: the app itself, opening and closing cases, their sources,
 * rejects and raw requests, and imports with their progress events.
 */

// ---- shared input pieces -------------------------------------------------------------------

/** Calls without input accept nothing (or an empty object); anything else is BAD_INPUT. */
const noInput = z.strictObject({}).optional();

/** A filesystem path on the machine running the backend. Bounded so a hostile caller cannot
 * hand us megabytes; NUL bytes are refused because the OS would truncate at them. */
const pathInput = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\0'), 'path must not contain NUL');

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Opaque keyset cursor handed out by a previous page; only its shape is checked here. */
const cursor = z
  .string()
  .max(64)
  .regex(/^[0-9:-]+$/, 'not a cursor');

const pageLimit = z.number().int().min(1).max(1000).optional();

const importOptions = {
  format: z.string().min(1).max(64).optional(),
  logFormat: z.string().min(1).max(4096).optional(),
  map: z.record(z.string().min(1).max(256), z.string().min(1).max(64)).optional(),
  tz: z.string().min(1).max(64).optional(),
  /**
   * The host of requests whose line names none (most access logs): the investigator's statement
   * of which site the source is from, recorded with it. Lower case on the way in.
   */
  assumeHost: z
    .string()
    // Only a bound on what is read; the rule (1–253 characters once trimmed) is checked below.
    .max(1024)
    .transform((s, ctx) => {
      const host = normalizeAssumedHost(s);
      if (host === null) ctx.addIssue({ code: 'custom', message: ASSUMED_HOST_RULE });
      return host ?? s;
    })
    .optional(),
  force: z.boolean().optional(),
};

// ---- outputs ---------------------------------------------------------------------------------

export type ShellMode = 'electron' | 'browser';

export interface FormatInfo {
  id: string;
  label: string;
  example: string;
}

export interface AppInfo {
  name: string;
  version: string;
  /**
   * The build the backend is from (scripts/buildId.mjs), 'dev' when it runs from sources: the
   * page compares it with its own and, when they differ, says so instead of calling on.
   */
  buildId: string;
  schemaVersion: number;
  mode: ShellMode;
  /** What this shell can do beyond the contract (native file dialogs, uploads). */
  canChooseFiles: boolean;
  canUpload: boolean;
  formats: FormatInfo[];
}

export interface RecentCase {
  path: string;
  name: string;
  openedAt: string;
  exists: boolean;
  /** The case's identity (links name cases by it); null when the file is gone or unreadable. */
  uuid: string | null;
}

export interface CaseMetaInfo {
  uuid: string;
  createdAt: string;
  toolVersion: string;
  schemaVersion: number;
}

export interface CaseCountsInfo {
  requests: number;
  sources: number;
  rejects: number;
}

export type SourceStatus = 'importing' | 'complete' | 'incomplete';

export interface SourceInfo {
  id: number;
  path: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  format: string;
  tz: string | null;
  /**
   * Accepted lines whose time had no offset of its own, so `tz` was applied to them; null when
   * not counted (a source imported by an older version).
   */
  withoutOffset: number | null;
  /** The host assumed for its lines that name none (`--assume-host`); null when none was. */
  assumedHost: string | null;
  /** The time of its earliest and latest request (µs, UTC); null when it has none. */
  firstUs: number | null;
  lastUs: number | null;
  importedAt: string;
  lines: number;
  accepted: number;
  rejected: number;
  status: SourceStatus;
}

export interface CaseInfo {
  path: string;
  name: string;
  isDemo: boolean;
  meta: CaseMetaInfo;
  counts: CaseCountsInfo;
  sources: SourceInfo[];
  /**
   * False when what the case shows was not derived from its requests and settings as they are
   * by this version (a rebuild cancelled after an import, a case analysed by another version):
   * a rebuild brings it up to date. Absent: not known.
   */
  analysisCurrent?: boolean;
  /** Why the analysis is not current (see AnalysisStale); absent when it is, or not known. */
  analysisStale?: AnalysisStale;
}

/**
 * Why what a case shows is not its current analysis, first that applies: `requests`, requests
 * were imported or removed since it was made; `version`, another version of Sessionscope made it
 * (an upgrade that derives something differently marks it for a rebuild); `settings`, the
 * settings changed since; `never`, the case has not been analysed yet.
 */
export type AnalysisStale = 'requests' | 'version' | 'settings' | 'never';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null when this was the last one. */
  nextCursor: string | null;
}

export interface RejectInfo {
  id: number;
  sourceId: number;
  lineNo: number;
  reason: string;
  /** The raw line as text; hostile, render as text only. */
  raw: string;
  rawLength: number;
  truncated: boolean;
  /**
   * Present (true) when the stored bytes are not valid UTF-8: `raw` then shows U+FFFD where
   * they could not be decoded, and getRejectBytes gives the bytes as they were read.
   */
  notUtf8?: true;
}

/** A rejected line's stored bytes, as they were read (the evidence `raw` may only approximate). */
export interface RejectBytes {
  id: number;
  /** The stored bytes (up to the first 64 KiB of the line) in base64. */
  rawBase64: string;
}

/**
 * One stored request as the source described it (RequestRecord, field for field; the parser's
 * `zoneAssumed` is not stored), with where it came from.
 */
export interface RequestInfo extends Omit<RequestRecord, 'zoneAssumed'> {
  id: number;
  sourceId: number;
  lineNo: number;
}

export interface ImportPreview {
  path: string;
  fileName: string;
  sizeBytes: number;
  gzip: boolean;
  /** The sniffed format, or null when no format was confident enough. */
  format: string | null;
  confidence: number;
  scores: { id: string; score: number }[];
  /** The first lines of the (decompressed) file; hostile, render as text only. */
  lines: string[];
  /** Why sniffing failed, when it did. */
  problem: string | null;
  /** How a CSV source's columns would be mapped (null for other formats). */
  csv: CsvMappingInfo | null;
  /**
   * Of the sample's lines that read as requests, how many name no host (null when the sample
   * does not tell: no format, a JSON document or HAR).
   */
  hosts: SampleHosts | null;
  /**
   * The open case's requests that name no host, by source: a file whose requests name none
   * either would share endpoints with them. Absent when no case is open.
   */
  caseHostless?: CaseHostless;
}

/** Requests of the case that name no host: in all, and per complete source that has some. */
export interface CaseHostless {
  requests: number;
  sources: { sourceId: number; file: string; withoutHost: number }[];
}

export interface SampleHosts {
  read: number;
  withoutHost: number;
}

export interface CsvMappingInfo {
  delimiter: string;
  hasHeader: boolean;
  columns: {
    index: number;
    name: string;
    /** The request field the column feeds (see `targets`), or null when it goes to `extra`. */
    field: string | null;
    mappedBy: 'header' | 'content' | 'map' | null;
  }[];
  /** The first data rows as cells; hostile, render as text only. */
  rows: string[][];
  /** What those rows become with this mapping: a record or a reject reason. */
  preview: ({ lineNo: number; record: RequestRecord } | { lineNo: number; reason: string })[];
  /** Why an import with this mapping would fail (no time column), if it would. */
  problem: string | null;
  /** Every field a column can be mapped to, with what it expects (the `map` values). */
  targets: Record<string, string>;
}

/** not_a_file: something other than a regular file (FIFO, device, folder) is there; not read. */
export type VerifyStatus = 'match' | 'mismatch' | 'missing' | 'not_a_file';

export interface VerifyInfo {
  sourceId: number;
  file: string;
  sha256: string;
  status: VerifyStatus;
  actualSha256: string | null;
  /** Why the source does not match, in a sentence; null when it matches. */
  reason: string | null;
}

/** One file of an import, as the importDone event reports it (importedSourceSchema). */
export type ImportedSourceInfo = z.infer<typeof importedSourceSchema>;

// ---- calls ---------------------------------------------------------------------------------

export const caseCalls = {
  getAppInfo: call<AppInfo>()(noInput),
  listRecentCases: call<RecentCase[]>()(noInput),
  createCase: call<CaseInfo>()(z.strictObject({ path: pathInput })),
  openCase: call<CaseInfo>()(z.strictObject({ path: pathInput })),
  openDemoCase: call<CaseInfo>()(noInput),
  closeCase: call<{ closed: boolean }>()(noInput),
  /** The open case, failing NOT_FOUND when none is (views that need one). */
  getCaseInfo: call<CaseInfo>()(noInput),
  /** The open case or null: what the start screen asks, "no case" being an answer, not a fault. */
  getOpenCase: call<{ case: CaseInfo | null }>()(noInput),
  listSources: call<SourceInfo[]>()(noInput),
  removeSource: call<{ removed: boolean }>()(z.strictObject({ sourceId: id })),
  listRejects: call<Page<RejectInfo>>()(
    z.strictObject({ sourceId: id.optional(), cursor: cursor.optional(), limit: pageLimit }),
  ),
  /** One rejected line's bytes, for its detail (a page of the list does not carry them). */
  getRejectBytes: call<RejectBytes>()(z.strictObject({ id })),
  listRequests: call<Page<RequestInfo>>()(
    z.strictObject({ cursor: cursor.optional(), limit: pageLimit }),
  ),
  /** Native file chooser (Electron only); returns [] when the user cancels. */
  chooseFiles: call<{ paths: string[] }>()(
    z.strictObject({ purpose: z.enum(['import', 'openCase', 'createCase', 'spec']) }),
  ),
  startImport: call<{ importId: string }>()(
    z.strictObject({ paths: z.array(pathInput).min(1).max(1000), ...importOptions }),
  ),
  cancelImport: call<{ cancelled: boolean }>()(
    z.strictObject({ importId: z.string().min(1).max(64) }),
  ),
  previewImport: call<ImportPreview>()(
    z.strictObject({
      path: pathInput,
      map: importOptions.map,
      tz: importOptions.tz,
      /** A format the user chose; 'csv' shows the column mapping even when sniffing is unsure. */
      format: importOptions.format,
    }),
  ),
  verifySources: call<VerifyInfo[]>()(noInput),
  /**
   * `sessionscope://` links that opened the app before the page could listen. Calling it also
   * says the page is listening: later links arrive as openLink events.
   */
  takeOpenLinks: call<{ urls: string[] }>()(noInput),
} as const;

// ---- events --------------------------------------------------------------------------------

export const importPhaseSchema = z.enum(['queued', 'hashing', 'parsing', 'indexing', 'done']);
export type ImportPhaseInfo = z.infer<typeof importPhaseSchema>;

export const importProgressSchema = z.object({
  importId: z.string(),
  file: z.string(),
  /** 0-based position of `file` among the job's files, and how many there are. */
  fileIndex: z.number().int(),
  fileCount: z.number().int(),
  phase: importPhaseSchema,
  bytesDone: z.number(),
  bytesTotal: z.number(),
  lines: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  linesPerSec: z.number(),
  /** Seconds left for this file, or null when it cannot be estimated yet. */
  etaSec: z.number().nullable(),
});
export type ImportProgressEvent = z.infer<typeof importProgressSchema>;

const importedSourceSchema = z.object({
  sourceId: z.number(),
  file: z.string(),
  sha256: z.string(),
  format: z.string(),
  lines: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  status: z.enum(['complete', 'skipped']),
  message: z.string().nullable(),
  /**
   * A skipped file's earlier source (same SHA-256) and what its import gave; `poor` when it
   * accepted no line or few (a wrong format, most likely): the summary says how to import again.
   */
  duplicateOf: z
    .object({
      sourceId: z.number(),
      format: z.string(),
      lines: z.number(),
      accepted: z.number(),
      poor: z.boolean(),
    })
    .optional(),
  /**
   * Parts of the file the reader could not read (a JSON document or HAR damaged in the middle
   * or cut off), each one rejected line naming its byte range; 0 when all of it was read.
   */
  unreadableParts: z.number(),
  /** Requests of the file that name no host (after the assumed host, if any). */
  withoutHost: z.number(),
  /**
   * When withoutHost > 0, the case's other sources whose requests name no host either: their
   * requests share endpoints with this file's (two sites' `GET /` are one endpoint).
   */
  hostlessPeers: z.array(
    z.object({ sourceId: z.number(), file: z.string(), withoutHost: z.number() }),
  ),
  /** Requests whose time had no offset of its own, so they were read in the assumed zone. */
  withoutOffset: z.number(),
  /** Its requests' earliest and latest time (µs, UTC); null when none (or skipped). */
  firstUs: z.number().nullable(),
  lastUs: z.number().nullable(),
});

export const importDoneSchema = z.object({
  importId: z.string(),
  /** Set when every file was imported (or skipped as a duplicate). */
  result: z.object({ sources: z.array(importedSourceSchema) }).nullable(),
  /** Set when the job failed or was cancelled; the case is then as it was before the job. */
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
export type ImportDoneEvent = z.infer<typeof importDoneSchema>;

/** Links opened from outside (`sessionscope://…`); the renderer decodes them. */
export const openLinkSchema = z.object({ url: z.string().max(8192) });

export const caseEvents = {
  importProgress: event(importProgressSchema),
  importDone: event(importDoneSchema),
  openLink: event(openLinkSchema),
} as const;
