import type { exportCalls } from '../../shared/contract/exportApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { countExportRows, exportCsv } from '../export/exportCsv.js';
import { exportFileName } from '../export/exportFileName.js';
import { downloadTicketsFor } from '../export/downloadTickets.js';
import { exportJobsFor } from '../export/exportJobs.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof exportCalls;

export const exportHandlers: HandlersFor<Calls> = {
  exportCsv: (input, ctx) =>
    exportCsv(ctx.state.requireCase().db, input.path, {
      table: input.table,
      endpointFilters: input.endpointFilters,
      filters: input.filters,
      sessionId: input.sessionId,
      bom: input.bom,
    }),

  async startExport(input, ctx) {
    if (!ctx.chooseSavePath) {
      throw new AppError('BAD_INPUT', 'No save dialog here: browser mode downloads /api/export.');
    }
    const jobs = exportJobsFor(ctx.events);
    if (jobs.has(input.exportId)) throw new AppError('BUSY', 'That export is already running.');
    const open = ctx.state.requireCase();
    const what = {
      table: input.table,
      endpointFilters: input.endpointFilters,
      filters: input.filters,
      sessionId: input.sessionId,
      bom: input.bom,
    };
    // Counted before the dialog: an unknown session fails without asking for a file.
    const total = countExportRows(open.db, what);
    const target = await ctx.chooseSavePath(exportFileName(open.path, what));
    if (target === null) return { started: false, path: null };
    const { db } = ctx.state.requireCase();
    // Runs on after the call returns; the outcome arrives as exportDone (errors included).
    jobs
      .run(input.exportId, total, ({ signal, progress }) =>
        exportCsv(db, target, {
          ...what,
          signal,
          onProgress: (p) => progress(p.rows, p.bytes),
        }),
      )
      .catch(() => undefined);
    return { started: true, path: target };
  },

  exportTicket(input, ctx) {
    if (ctx.mode !== 'browser') {
      throw new AppError('BAD_INPUT', 'Download tickets are for browser mode; use startExport.');
    }
    ctx.state.requireCase();
    const { exportId, ...query } = input;
    if (exportJobsFor(ctx.events).has(exportId)) {
      throw new AppError('BUSY', 'That export is already running.');
    }
    return { ticket: downloadTicketsFor(ctx.events).issue(exportId, query) };
  },

  cancelExport: (input, ctx) => ({ cancelled: exportJobsFor(ctx.events).cancel(input.exportId) }),
};
