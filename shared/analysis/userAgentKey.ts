/**
 * The user agent as the ip+ua fallback session key reads it: with the per-request counters
 * that known tools write into their agent taken out, so that one run of the tool from one
 * address is one client, not one session per request. Only the key reads it: each request's
 * user agent is stored and shown exactly as logged, and a session shows its first request's.
 *
 * An entry is added only with evidence that the token changes from one request to the next
 * of a single run. It changes existing cases' sessions: add with it a migration that marks the
 * analyses it changes stale (electron/store/migrations/022_agent_counter_keys.ts, for Nikto).
 * Looked at and left out, because their agent holds no such token:
 * - w3af (`w3af.org`), Acunetix and Netsparker (a fixed browser agent): a few agents in all in
 *   each of their scans in the shared test corpus (electron/analysis/fallbackKeyCorpus.test.ts).
 * - sqlmap (`sqlmap/1.x#stable (http://sqlmap.org)`; `--random-agent` picks one at start),
 *   Nmap NSE, OpenVAS, WPScan, Arachni, skipfish: one fixed agent per run by their documented
 *   defaults (not seen in a capture here).
 * - nuclei and other tools that pick a random browser agent per request: nothing in the agent
 *   says so, and telling them from real browsers is not this table's job (the verdicts judge
 *   one address's ip+ua sessions together, shared/verdicts/README.md "Sessions that rotate").
 * - A Burp Collaborator or interactsh id, or a sqlmap payload, in the agent: an injection
 *   test written over the agent, not a counter; each such request is evidence of its own.
 */
interface UaCounter {
  /** The tool, as a note may name it. */
  tool: string;
  /** The agent is this tool's (the counter alone is not enough: a browser may say `Test`). */
  agent: RegExp;
  /** The counter (its first occurrence is replaced). */
  counter: RegExp;
  /** What the counter reads as in the key. */
  as: string;
}

export const UA_COUNTERS: readonly UaCounter[] = [
  {
    // nikto.conf: USERAGENT=Mozilla/5.00 (Nikto/@VERSION) (Evasions:@EVASIONS) (Test:@TESTID).
    // @TESTID is the test of each request: a db_tests id (`000001`, `006574`) or a plugin's
    // name (`map_codes`, `Port Check`, `getinfo`). A changed prefix (a browser's agent) often
    // keeps `(Evasions:…) (Test:…)`, so either marker names the agent Nikto's.
    tool: 'Nikto',
    agent: /\(Nikto\/[^()]*\)|\(Evasions:[^()]*\)/,
    counter: /\(Test:[^()]*\)/,
    as: '(Test:*)',
  },
];

function counterOf(ua: string): UaCounter | undefined {
  // Cheap first test: every counter above starts with `(Test:`.
  if (!ua.includes('(Test:')) return undefined;
  return UA_COUNTERS.find((c) => c.agent.test(ua) && c.counter.test(ua));
}

/** The user agent as the ip+ua fallback key reads it (unchanged unless a known counter). */
export function userAgentKey(ua: string): string {
  const c = counterOf(ua);
  return c ? ua.replace(c.counter, c.as) : ua;
}

/**
 * The tool whose per-request counter userAgentKey takes out of `ua`, or null: so that an
 * ip+ua session's first agent can say the session's key reads it without that counter.
 */
export function userAgentCounterTool(ua: string | null): string | null {
  return ua === null ? null : (counterOf(ua)?.tool ?? null);
}
