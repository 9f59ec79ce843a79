import type { RuleChangeResult, rulesCalls } from '../../shared/contract/rulesApi.js';
import {
  changeScansRequests,
  rulesDbHandlers,
  runRuleChange,
  type RuleChangeJob,
} from '../rules/rulesDb.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import type { HandlersFor } from './handlerTypes.js';
import { rebuildJobsFor } from './rebuildJobs.js';

type Calls = typeof rulesCalls;

/**
 * The open case for a call that writes and re-derives: refused while a full rebuild runs on
 * its worker, which holds the write lock (waiting for it would freeze this thread).
 */
function writableCase(ctx: ApiContext): CaseDb {
  rebuildJobsFor(ctx.events).assertIdle('change rules or verdicts');
  return ctx.state.requireCase().db;
}

/**
 * A rule change. One that scans the requests again (a detect or tag rule: seconds on a
 * million requests) runs as a rebuild job on the worker, with progress events and Cancel,
 * so this thread keeps answering; a suppress rule only re-judges stored findings, here.
 */
async function changeRule(change: RuleChangeJob, ctx: ApiContext): Promise<RuleChangeResult> {
  const db = writableCase(ctx);
  if (!changeScansRequests(db, change)) return runRuleChange(db, change);
  // An import holds the write lock for each file's transaction: one writer at a time.
  ctx.jobs.assertIdle('change rules');
  const nativeBinding = ctx.state.options.nativeBinding;
  return rebuildJobsFor(ctx.events).startChange({
    casePath: ctx.state.requireCase().path,
    change,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
}

/** The same handlers bound to the shell's open case, for the dispatcher. */
export const rulesHandlers: HandlersFor<Calls> = {
  listRules: (input, ctx: ApiContext) =>
    rulesDbHandlers.listRules(ctx.state.requireCase().db, input),
  addRule: (input, ctx: ApiContext) => changeRule({ call: 'addRule', input }, ctx),
  updateRule: (input, ctx: ApiContext) => changeRule({ call: 'updateRule', input }, ctx),
  deleteRule: (input, ctx: ApiContext) => changeRule({ call: 'deleteRule', input }, ctx),
  markDetection: (input, ctx: ApiContext) =>
    rulesDbHandlers.markDetection(writableCase(ctx), input),
  unmarkDetection: (input, ctx: ApiContext) =>
    rulesDbHandlers.unmarkDetection(writableCase(ctx), input),
  listDetectionMarks: (input, ctx: ApiContext) =>
    rulesDbHandlers.listDetectionMarks(ctx.state.requireCase().db, input),
};
