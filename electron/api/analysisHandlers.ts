import type { analysisCalls } from '../../shared/contract/analysisApi.js';
import type { CallOutput, ParsedInput } from '../../shared/contract/define.js';
import { rebuild } from '../analysis/rebuild.js';
import { readSettings, writeSettings } from '../analysis/settingsRepo.js';
import { listEndpoints, setEndpointFlow } from '../query/endpointsQuery.js';
import { requestHistogram } from '../query/histogramQuery.js';
import { getRequestDetail } from '../query/requestDetail.js';
import { getSessionDetail } from '../query/sessionDetail.js';
import { listSessionRequests } from '../query/sessionRequests.js';
import { listSessions } from '../query/sessionsQuery.js';
import type { CaseDb } from '../store/openCase.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof analysisCalls;

/** Handlers of the analysis area against an open case: `(db, parsed input) => output`. */
export type DbHandlersFor<C> = {
  [K in keyof C]: (db: CaseDb, input: ParsedInput<C[K]>) => CallOutput<C[K]>;
};

function rebuildSummary(db: CaseDb): CallOutput<Calls['rebuild']> {
  const r = rebuild(db);
  return {
    requests: r.requests,
    endpoints: r.endpoints,
    sessions: r.sessions,
    outliers: r.outliers,
  };
}

export const analysisDbHandlers: DbHandlersFor<Calls> = {
  rebuild: (db) => rebuildSummary(db),
  listSessions: (db, input) =>
    listSessions(db, {
      filters: input.filters,
      sort: input.sort,
      descending: input.descending,
      cursor: input.cursor,
      limit: input.limit,
    }),
  requestHistogram: (db, input) => requestHistogram(db, input.filters, input.buckets, input.marks),
  getSession: (db, input) => getSessionDetail(db, input.id, input.filters),
  listSessionRequests: (db, input) =>
    listSessionRequests(db, input.id, input.filters, input.cursor, input.limit),
  getRequest: (db, input) => getRequestDetail(db, input.id),
  listEndpoints: (db, input) => listEndpoints(db, input?.limit),
  setEndpointFlow: (db, input) => setEndpointFlow(db, input.endpointId, input.flow, input.action),
  getSettings: (db) => readSettings(db),
  // One transaction: if the rebuild fails, the new settings are not left behind without it.
  setSettings: (db, input) =>
    db.transaction(() => {
      writeSettings(db, input.settings);
      return { settings: readSettings(db), rebuild: rebuildSummary(db) };
    })(),
};

/** The same handlers bound to the shell's open case, for the dispatcher. */
export const analysisHandlers = Object.fromEntries(
  Object.entries(analysisDbHandlers).map(([name, h]) => [
    name,
    (input: unknown, ctx: Parameters<HandlersFor<Calls>['rebuild']>[1]) =>
      (h as (db: CaseDb, input: unknown) => unknown)(ctx.state.requireCase().db, input),
  ]),
) as unknown as HandlersFor<Calls>;
