import type { Migration } from './index.js';

/**
 * The ip+ua fallback session key now reads a known tool's per-request counter out of the user
 * agent (shared/analysis/userAgentKey.ts): a Nikto run from one address is one session, no
 * longer one per request (`(Test:000001)`, `(Test:000002)`…). A case analysed before holds
 * those one-request sessions, so its analysis is made stale (the app offers the rebuild, the
 * CLI warns) rather than going on showing them as current. The test is the SQL twin of Nikto's
 * entry there (a superset: the entry also wants each `(…)` closed), on the sessions' first
 * agents: before, each such session had one agent, so every agent seen is some session's first.
 * A case with no such session keeps its analysis: its keys are the same.
 */
export const m022AgentCounterKeys: Migration = {
  version: 22,
  name: 'agent counters out of ip+ua keys',
  sql: `
    DELETE FROM analysis_state
      WHERE key = 'analysis_basis' AND EXISTS (SELECT 1 FROM sessions
        WHERE key_kind = 'ip+ua' AND instr(user_agent, '(Test:') > 0
          AND (instr(user_agent, '(Nikto/') > 0 OR instr(user_agent, '(Evasions:') > 0));
  `,
};
