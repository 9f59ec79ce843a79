import type { exportCalls } from '../../shared/contract/exportApi.js';
import { exportCsv } from '../export/exportCsv.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof exportCalls;

export const exportHandlers: HandlersFor<Calls> = {
  exportCsv: (input, ctx) =>
    exportCsv(ctx.state.requireCase().db, input.path, {
      filters: input.filters,
      sessionId: input.sessionId,
      bom: input.bom,
    }),
};
