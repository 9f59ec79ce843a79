import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { RARE_TEXT_LIMIT } from '../analysis/textIndexStep.js';
import { countExportRows, writeExportRows } from '../export/exportCsv.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhereWithMaps } from './filterSql.js';
import { requestHistogram } from './histogramQuery.js';
import { getSessionDetail } from './sessionDetail.js';
import { listSessionRequests } from './sessionRequests.js';

// One session's reads (its requests, timeline, detail) and the CSV export under a free-text
// filter whose needle is common: answered through the request map, as the session list is,
// and checked against the filter's definition.

const T0 = Date.UTC(2024, 6, 1) * 1000;
const COMMON_UA = 'Mozilla/5.0 (Common Crawler; 100%)';

/** A user agent on more than RARE_TEXT_LIMIT requests; rare ones and paths sharing its text. */
function capture(): SeedRequest[] {
  return Array.from({ length: 2 * RARE_TEXT_LIMIT + 300 }, (_, i) => ({
    tsUs: T0 + i * 2e6,
    ip: `10.4.0.${i % 12}`,
    path: i % 7 === 0 ? `/crawl/100%/${i}` : `/crawl/item/${i}`,
    query: i % 5 === 0 ? `q=${i % 11}` : null,
    userAgent: i % 4 === 0 ? `RareBot/${i % 9}` : COMMON_UA,
  }));
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeAll(() => {
  ws = tempWorkspace('ss-text-session-');
  db = ws.openCase();
  seedSource(db, 'text', capture());
  rebuild(db);
});
afterAll(() => ws.cleanup());

/** The definition: request ids holding the needle in a searched column (ASCII folding). */
function holding(text: string): Set<number> {
  const needle = text.toLowerCase();
  const fold = (s: string | null): string => (s ?? '').replace(/[A-Z]/g, (c) => c.toLowerCase());
  const rows = db.prepare('SELECT id, path, query, user_agent, referer FROM requests').all() as {
    id: number;
    path: string | null;
    query: string | null;
    user_agent: string | null;
    referer: string | null;
  }[];
  return new Set(
    rows
      .filter((r) =>
        [r.path, r.query, r.user_agent, r.referer].some((v) => fold(v).includes(needle)),
      )
      .map((r) => r.id),
  );
}

/** Per session (sid), its requests in time order. */
function sessionsRequests(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of db
    .prepare(
      `SELECT s.sid, f.request_id AS id FROM request_facts f JOIN sessions s ON s.id = f.session_id
       ORDER BY f.session_id, f.ts_us, f.request_id`,
    )
    .all() as { sid: string; id: number }[]) {
    out.set(r.sid, [...(out.get(r.sid) ?? []), r.id]);
  }
  return out;
}

const NEEDLES = ['common crawler', '100%', '/crawl/', 'rarebot/3'];

describe.each(NEEDLES)('a session read under the free-text filter %j', (text) => {
  const filters = filtersSchema.parse({ text });

  it('finds exactly the requests holding it: table pages, timeline, detail and export', async () => {
    const hits = holding(text);
    expect(hits.size).toBeGreaterThan(0);
    let sessionsWithHits = 0;
    for (const [sid, ids] of sessionsRequests()) {
      const want = ids.filter((id) => hits.has(id));
      if (want.length > 0) sessionsWithHits++;
      const got: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 1000; guard++) {
        const page = listSessionRequests(db, sid, filters, cursor, 97);
        got.push(...page.requests.map((r) => r.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(got).toEqual(want);
      expect(requestHistogram(db, { ...filters, sessionId: sid }, 60, true).total).toBe(
        want.length,
      );
      const detail = getSessionDetail(db, sid, filters);
      expect(detail.byMethod.reduce((n, m) => n + m.count, 0)).toBe(want.length);
      expect(countExportRows(db, { filters, sessionId: sid })).toBe(want.length);
    }
    expect(sessionsWithHits).toBeGreaterThan(0);
    expect(countExportRows(db, { filters })).toBe(hits.size);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const written = await writeExportRows(db, out, { filters });
    expect(written.rows).toBe(hits.size);
  });
});

it('reads the common needles from a request map', () => {
  const mapped = (text: string): boolean =>
    factsWhereWithMaps(db, filtersSchema.parse({ text })).params.some((p) => Buffer.isBuffer(p));
  expect(NEEDLES.filter(mapped)).toEqual(['common crawler', '100%', '/crawl/']);
});
