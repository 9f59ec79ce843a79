import type { EndpointFilters } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { csvRow } from '../../shared/export/csvCells.js';
import { endpointCells } from '../../shared/export/endpointColumns.js';
import { listEndpointPage } from '../query/endpointPage.js';
import { endpointWhere } from '../query/endpointWhere.js';
import type { CaseDb } from '../store/openCase.js';

/** How many rows an endpoints export writes. */
export function countEndpoints(db: CaseDb, filters?: EndpointFilters): number {
  const where = endpointWhere(filters);
  return db
    .prepare(`SELECT count(*) FROM endpoints e WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/**
 * Every endpoint (that matches the filters) as a CSV row, riskiest first (the view's risk sort: ties
 * by endpoint id), page by page through `write`, which applies the stream's backpressure.
 * Throws CANCELLED when `cancelled` says so between pages. Returns the rows written.
 */
export async function writeEndpointRows(
  db: CaseDb,
  write: (text: string) => Promise<void>,
  opts: {
    filters?: EndpointFilters | undefined;
    pageSize?: number | undefined;
    cancelled: () => boolean;
    onPage: (rows: number) => void;
  },
): Promise<number> {
  let rows = 0;
  let cursor: string | undefined;
  for (;;) {
    if (opts.cancelled()) throw new AppError('CANCELLED', 'Export cancelled.');
    const page = listEndpointPage(db, {
      sort: 'risk',
      dir: 'desc',
      limit: opts.pageSize ?? 1000,
      ...(opts.filters ? { filters: opts.filters } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    if (page.items.length > 0) {
      await write(page.items.map((e) => csvRow(endpointCells(e))).join(''));
      rows += page.items.length;
      opts.onPage(rows);
    }
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
}
