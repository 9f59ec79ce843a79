import type { analysisCalls } from '../../shared/contract/analysisApi.js';
import type { AnalysisSettings } from '../../shared/analysis/settings.js';
import type { CallOutput, ParsedInput } from '../../shared/contract/define.js';
import { builtInFlowRules } from '../analysis/flowRulesFile.js';
import { rebuild, rebuildSummary } from '../analysis/rebuild.js';
import { rebuildWithSettings } from '../analysis/settingsRebuild.js';
import { readSettings } from '../analysis/settingsRepo.js';
import { listEndpointPage } from '../query/endpointPage.js';
import {
  flowTotals,
  getEndpoint,
  listEndpoints,
  setEndpointFlow,
} from '../query/endpointsQuery.js';
import { requestHistogram } from '../query/histogramQuery.js';
import { getRequestDetail } from '../query/requestDetail.js';
import { getSessionDetail } from '../query/sessionDetail.js';
import { listSessionRequests } from '../query/sessionRequests.js';
import { countSessions } from '../query/sessionsCount.js';
import { listSessions } from '../query/sessionsQuery.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import type { HandlersFor } from './handlerTypes.js';
import { rebuildJobsFor } from './rebuildJobs.js';

type Calls = typeof analysisCalls;

/** Handlers of the analysis area against an open case: `(db, parsed input) => output`. */
export type DbHandlersFor<C> = {
  [K in keyof C]: (db: CaseDb, input: ParsedInput<C[K]>) => CallOutput<C[K]>;
};

/** The calls that need no case: the rebuild's state, the rules it applies. */
type CaselessCall = 'cancelRebuild' | 'rebuildStatus' | 'flowRules';

/** On a case given directly (tests, tools): the rebuild runs on the calling thread. */
export const analysisDbHandlers: DbHandlersFor<Omit<Calls, CaselessCall>> = {
  rebuild: (db) => rebuildSummary(rebuild(db)),
  listSessions: (db, input) =>
    listSessions(db, {
      filters: input.filters,
      sort: input.sort,
      descending: input.descending,
      cursor: input.cursor,
      limit: input.limit,
    }),
  countSessions: (db, input) => countSessions(db, input.filters ?? {}, input.cursor),
  requestHistogram: (db, input) => requestHistogram(db, input.filters, input.buckets, input.marks),
  getSession: (db, input) => getSessionDetail(db, input.id, input.filters, input.top),
  listSessionRequests: (db, input) =>
    listSessionRequests(db, input.id, input.filters, input.cursor, input.limit),
  getRequest: (db, input) => getRequestDetail(db, input.id),
  listEndpoints: (db, input) => listEndpoints(db, input?.limit),
  listEndpointPage: (db, input) => listEndpointPage(db, input),
  getEndpoint: (db, input) => getEndpoint(db, input.id),
  flowTotals: (db) => flowTotals(db),
  setEndpointFlow: (db, input) => setEndpointFlow(db, input.endpointId, input.flow, input.action),
  getSettings: (db) => readSettings(db),
  // One transaction: if the rebuild fails, the new settings are not left behind without it.
  setSettings: (db, input) => ({
    rebuild: rebuildSummary(
      rebuildWithSettings(db, input.settings, input.base ? { base: input.base } : {}),
    ),
    settings: readSettings(db),
  }),
};

/** The same handlers bound to the shell's open case, for the dispatcher. */
const boundDbHandlers = Object.fromEntries(
  Object.entries(analysisDbHandlers).map(([name, h]) => [
    name,
    (input: unknown, ctx: ApiContext) =>
      (h as (db: CaseDb, input: unknown) => unknown)(ctx.state.requireCase().db, input),
  ]),
) as unknown as HandlersFor<Omit<Calls, CaselessCall>>;

/**
 * Starts a full rebuild on a worker (rebuildJobs.ts), with the new settings written in its
 * transaction, and answers once it committed. The answering thread stays free meanwhile.
 */
async function rebuildOffThread(
  ctx: ApiContext,
  settings?: AnalysisSettings,
  base?: AnalysisSettings,
) {
  const open = ctx.state.requireCase();
  // An import holds the write lock for each file's transaction: one writer at a time.
  ctx.jobs.assertIdle('rebuild the analysis');
  const nativeBinding = ctx.state.options.nativeBinding;
  return rebuildJobsFor(ctx.events).start({
    casePath: open.path,
    ...(settings ? { settings } : {}),
    ...(base ? { base } : {}),
    ...(nativeBinding ? { nativeBinding } : {}),
  }).done;
}

export const analysisHandlers: HandlersFor<Calls> = {
  ...boundDbHandlers,
  rebuild: (_input, ctx) => rebuildOffThread(ctx),
  cancelRebuild: (_input, ctx) => ({ cancelled: rebuildJobsFor(ctx.events).cancel() }),
  rebuildStatus: (_input, ctx) => ({ running: rebuildJobsFor(ctx.events).current }),
  flowRules: () => builtInFlowRules(),
  setSettings: async (input, ctx) => {
    const rebuild = await rebuildOffThread(ctx, input.settings, input.base);
    return { settings: readSettings(ctx.state.requireCase().db), rebuild };
  },
  setEndpointFlow: (input, ctx) => {
    rebuildJobsFor(ctx.events).assertIdle('change a flow tag');
    return boundDbHandlers.setEndpointFlow(input, ctx);
  },
};
