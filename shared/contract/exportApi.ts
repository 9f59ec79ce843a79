import { z } from 'zod';
import { filtersSchema } from '../query/filterModel.js';
import { endpointFiltersSchema } from './analysisApi.js';
import { call, event } from './define.js';
import { ERROR_CODES } from './errors.js';

/**
 * The export area of the contract: a CSV of a session or of any filtered list of requests,
 * with the columns of shared/export/exportColumns.ts.
 */

/**
 * Where the backend writes. An absolute path ending in .csv: the shell's save dialog chose it,
 * and the suffix keeps a call from overwriting anything but a CSV.
 */
const csvPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\0'), 'path must not contain NUL')
  .refine((s) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(s), 'an absolute path')
  .refine((s) => /\.csv$/i.test(s), 'a file name ending in .csv');

export interface ExportCsvResult {
  /** Rows written, requests or endpoints (header row not counted). */
  rows: number;
  /** Bytes in the file, BOM included. */
  bytes: number;
  /** The absolute path written. */
  path: string;
}

/**
 * What to export: one session's requests under its filters, every request that matches, or
 * (`table: 'endpoints'`) the endpoint inventory, every endpoint with its risk and spec status
 * (shared/export/endpointColumns.ts; filters and sessions do not apply to it).
 */
const exportWhat = {
  table: z.enum(['requests', 'endpoints']).optional(),
  /** With `table: 'endpoints'`, the inventory's filters (as the Endpoints view applies them). */
  endpointFilters: endpointFiltersSchema.optional(),
  filters: filtersSchema.default({}),
  sessionId: z
    .string()
    .regex(/^s[0-9a-f]{16}$/)
    .optional(),
  bom: z.boolean().optional(),
};

/** A session id with an endpoints export, or endpoint filters with requests, is a mistake. */
function oneTable(what: {
  table?: 'requests' | 'endpoints' | undefined;
  sessionId?: string | undefined;
  endpointFilters?: unknown;
}): boolean {
  return what.table === 'endpoints'
    ? what.sessionId === undefined
    : what.endpointFilters === undefined;
}
const ONE_TABLE = {
  message:
    'an endpoints export takes endpointFilters, not a session; a requests export the reverse',
};

/**
 * The "what" of an export on its own: browser mode's download endpoint (GET /api/export)
 * parses its `input` query parameter with this very schema.
 */
export const exportQuerySchema = z.object(exportWhat).strict().refine(oneTable, ONE_TABLE);
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** Chosen by the renderer so it can listen for the export's events before it starts. */
export const exportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an export id');

/**
 * A download ticket as GET /api/export takes it in `ticket`: 32 random bytes, base64url. How
 * long one stays good (DOWNLOAD_TICKET_TTL_MS) is the server's; it is good for one download.
 */
export const downloadTicketSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a ticket');
export const DOWNLOAD_TICKET_TTL_MS = 60_000;

export const exportCalls = {
  exportCsv: call<ExportCsvResult>()(
    z
      .object({ ...exportWhat, path: csvPath })
      .strict()
      .refine(oneTable, ONE_TABLE),
  ),
  /**
   * Desktop "Download CSV": the main process asks where to save (a native save dialog) and
   * streams the file there in the background, with exportProgress and exportDone events.
   * `started` is false when the user cancelled the dialog. Browser mode downloads from
   * GET /api/export instead (exportTicket, then the same events), so there this call is refused.
   */
  startExport: call<{ started: boolean; path: string | null }>()(
    z
      .object({ ...exportWhat, exportId: exportIdSchema })
      .strict()
      .refine(oneTable, ONE_TABLE),
  ),
  /**
   * Browser mode's "Download CSV", first step: a ticket for one
   * GET /api/export?id=<exportId>&input=<JSON>&ticket=<ticket>. The download is a navigation,
   * which carries no token header (and browser mode sets no cookie), so this call, made with
   * the token, stands in for it: the ticket is random, good once, for DOWNLOAD_TICKET_TTL_MS,
   * and only for this exportId and this very input. Refused outside browser mode.
   */
  exportTicket: call<{ ticket: string }>()(
    z
      .object({ ...exportWhat, exportId: exportIdSchema })
      .strict()
      .refine(oneTable, ONE_TABLE),
  ),
  /** Stops a running export (desktop or download); nothing of it is left behind. */
  cancelExport: call<{ cancelled: boolean }>()(z.strictObject({ exportId: exportIdSchema })),
} as const;

export const exportProgressSchema = z.object({
  exportId: z.string(),
  /** Requests written so far, and how many match (counted before the first row). */
  rows: z.number(),
  total: z.number().nullable(),
  bytes: z.number(),
});
export type ExportProgressEvent = z.infer<typeof exportProgressSchema>;

export const exportDoneSchema = z.object({
  exportId: z.string(),
  /** Set when the whole file was written. `path` is null for a browser download. */
  result: z.object({ rows: z.number(), bytes: z.number(), path: z.string().nullable() }).nullable(),
  /** Set when it failed or was cancelled (CANCELLED); no part of the file is left then. */
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
export type ExportDoneEvent = z.infer<typeof exportDoneSchema>;

export const exportEvents = {
  exportProgress: event(exportProgressSchema),
  exportDone: event(exportDoneSchema),
} as const;
