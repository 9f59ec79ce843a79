import type { EndpointFilters } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { csvRow } from '../../shared/export/csvCells.js';
import { endpointCells } from '../../shared/export/endpointColumns.js';
import { endpointPageRows } from '../query/endpointPage.js';
import type { CaseDb } from '../store/openCase.js';

/**
 * Every endpoint (that matches the filters) as a CSV row, riskiest then busiest first (the
 * view's risk sort), page by page through `write`, which applies the stream's backpressure.
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
    const page = endpointPageRows(db, {
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
