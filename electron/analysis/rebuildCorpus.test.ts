import { afterEach, beforeEach, expect, it } from 'vitest';
import { corpusFile, describeCorpus } from '../../test/corpus.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from '../ingest/importSource.js';
import { listEndpoints } from '../query/endpointsQuery.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-analysis-corpus-');
});
afterEach(() => ws.cleanup());

function sessionIds(db: CaseDb): string[] {
  return (db.prepare('SELECT sid FROM sessions ORDER BY sid').all() as { sid: string }[]).map(
    (r) => r.sid,
  );
}

describeCorpus('analysis of real access logs', () => {
  it('puts every request of the semicomplete Apache log in exactly one session, deterministically', async () => {
    const file = corpusFile('A_access_logs/elastic-examples_apache_logs_semicomplete_2015.log');
    const a = ws.openCase('a.sscase');
    await importSource(a, file);
    const r = rebuild(a);
    const totals = a
      .prepare(
        `SELECT (SELECT count(*) FROM requests) AS requests,
           (SELECT count(*) FROM request_facts) AS facts,
           (SELECT sum(request_count) FROM sessions) AS inSessions`,
      )
      .get() as { requests: number; facts: number; inSessions: number };
    expect(totals.facts).toBe(totals.requests);
    expect(totals.inSessions).toBe(totals.requests);
    expect(r.sessions).toBeGreaterThan(100);
    // Bots and feed readers hit many numbered paths; they must collapse into templates.
    expect(r.endpoints).toBeLessThan(totals.requests / 2);
    expect(listEndpoints(a).some((e) => e.template.includes('{'))).toBe(true);

    const b = ws.openCase('b.sscase');
    await importSource(b, file);
    rebuild(b);
    expect(sessionIds(b)).toEqual(sessionIds(a));
  });
});
