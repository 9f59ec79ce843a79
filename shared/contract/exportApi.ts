import { z } from 'zod';
import { filtersSchema } from '../query/filterModel.js';
import { call } from './define.js';

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
  /** Requests written (header row not counted). */
  rows: number;
  /** Bytes in the file, BOM included. */
  bytes: number;
  /** The absolute path written. */
  path: string;
}

export const exportCalls = {
  exportCsv: call<ExportCsvResult>()(
    z
      .object({
        filters: filtersSchema.default({}),
        sessionId: z
          .string()
          .regex(/^s[0-9a-f]{16}$/)
          .optional(),
        bom: z.boolean().optional(),
        path: csvPath,
      })
      .strict(),
  ),
} as const;
