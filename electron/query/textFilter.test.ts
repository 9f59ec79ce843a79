import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { rebuildSteps } from '../analysis/rebuildSteps.js';
import { hasTextIndex, TEXT_INDEX, updateTextIndex } from '../analysis/textIndexStep.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import { sessionsPageSql } from './sessionsQuery.js';
import { RARE_TEXT_LIMIT, trigramQuery } from './textFilterSql.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const WORDS = ['Alpha', 'beta', 'GAMMA', 'ümlaut', 'ÉCOLE', 'école', '100%', 'a_b', '"q"', '😀x'];

/** Requests whose searched columns mix cases, non-ASCII letters and LIKE/FTS syntax. */
function capture(): (SeedRequest & { referer: string | null })[] {
  const rows: (SeedRequest & { referer: string | null })[] = [];
  // More requests than RARE_TEXT_LIMIT, so a needle in every path is a common one.
  for (let i = 0; i < 1200; i++) {
    const w = (k: number): string => WORDS[(i * 7 + k * 3) % WORDS.length]!;
    rows.push({
      tsUs: T0 + i * 5e6,
      ip: `10.2.0.${i % 40}`,
      path: `/p/${w(0)}/${i}`,
      query: i % 3 === 0 ? `q=${w(1)}&n=${i}` : null,
      userAgent: i % 5 === 0 ? null : `agent ${w(2)}`,
      referer: i % 4 === 0 ? `https://ref.example/${w(3)}` : null,
    });
  }
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

/** Request ids matching the free-text filter, read through the case's facts. */
function matching(text: string): number[] {
  const where = factsWhere(db, filtersSchema.parse({ text }));
  return (
    db
      .prepare(`SELECT f.request_id AS id FROM request_facts f WHERE ${where.sql} ORDER BY 1`)
      .all(...where.params) as { id: number }[]
  ).map((r) => r.id);
}

/** The definition: a literal substring of a column lowered with ASCII folding. */
function expected(text: string): number[] {
  const needle = text.toLowerCase();
  const ascii = (s: string | null): string => (s ?? '').replace(/[A-Z]/g, (c) => c.toLowerCase());
  return (
    db.prepare('SELECT id, path, query, user_agent, referer FROM requests ORDER BY id').all() as {
      id: number;
      path: string | null;
      query: string | null;
      user_agent: string | null;
      referer: string | null;
    }[]
  )
    .filter((r) =>
      [r.path, r.query, r.user_agent, r.referer].some(
        (c) => c !== null && ascii(c).includes(needle),
      ),
    )
    .map((r) => r.id);
}

beforeAll(() => {
  ws = tempWorkspace('ss-text-');
  db = ws.openCase();
  const rows = capture();
  seedSource(db, 'text', rows);
  // The seed helper has no referer column; set it by line.
  const setReferer = db.prepare('UPDATE requests SET referer = ? WHERE line_no = ?');
  rows.forEach((r, i) => setReferer.run(r.referer, i + 1));
  rebuild(db);
});
afterAll(() => ws.cleanup());

describe('free-text filter through the trigram index', () => {
  it('is built by the rebuild', () => {
    expect(hasTextIndex(db)).toBe(true);
    expect(rebuildSteps.map((s) => s.name)).toContain('text index');
  });

  it.each([
    'alpha',
    'ALPHA/',
    'école',
    'ÉCOLE',
    'mlaut',
    '100%',
    'a_b',
    '"q"',
    '😀x',
    'q=beta&n=1',
    'ref.example/gamma',
    'zzz',
    'ab',
    '%',
  ])('finds exactly the requests containing %j', (text) => {
    expect(matching(text)).toEqual(expected(text));
  });

  it('agrees with the definition for any needle', () => {
    const alphabet = fc.constantFrom(...Array.from('aAbBéÉ%_"/=&q 1😀'));
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 6 }), (chars) => {
        // The filter model trims the text and refuses an empty one.
        const parsed = filtersSchema.safeParse({ text: chars.join('') });
        if (!parsed.success || parsed.data.text === undefined) return;
        expect(matching(parsed.data.text)).toEqual(expected(parsed.data.text));
      }),
      { numRuns: 150 },
    );
  });

  it('reads a rare needle from the index, never by scanning requests or facts', () => {
    const where = factsWhere(db, filtersSchema.parse({ text: 'ref.example/gamma' }));
    expect(where.indexed).toBe(true);
    const q = sessionsPageSql('fromRequests', where, 'firstSeen', false, false, {
      maxSessionUs: 24 * 3600e6,
    });
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, 50) as { detail: string }[]
    ).map((r) => r.detail);
    // The candidates were looked up in the index once and are bound as a list.
    expect(plan.join(' | ')).toMatch(
      /SEARCH f USING COVERING INDEX facts_request \(request_id=\?\)/,
    );
    expect(plan.filter((d) => /^SCAN (requests|request_facts|r|f)\b/.test(d))).toEqual([]);
  });

  it('leaves common and short needles to the exact test', () => {
    expect(RARE_TEXT_LIMIT).toBeGreaterThan(0);
    expect(factsWhere(db, filtersSchema.parse({ text: '/p/' })).indexed).toBe(false);
    expect(factsWhere(db, filtersSchema.parse({ text: 'ab' })).indexed).toBe(false);
    expect(trigramQuery('ab')).toBeNull();
    expect(trigramQuery('a"bc')).toBe('"a""b" AND """bc"');
  });
});

describe('text index upkeep', () => {
  it('is left alone when requests are unchanged, appended to after an import, rebuilt when a source goes', () => {
    const ws2 = tempWorkspace('ss-text-upkeep-');
    try {
      const c = ws2.openCase();
      seedSource(c, 'one', [{ tsUs: T0, path: '/first-needle' }]);
      expect(updateTextIndex(c)).toBe('built');
      expect(updateTextIndex(c)).toBe('unchanged');
      const two = seedSource(c, 'two', [{ tsUs: T0 + 1, path: '/second-needle' }]);
      expect(updateTextIndex(c)).toBe('appended');
      const count = (needle: string): number =>
        (
          c
            .prepare(`SELECT count(*) AS n FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ?`)
            .get(trigramQuery(needle)) as { n: number }
        ).n;
      expect([count('first-needle'), count('second-needle')]).toEqual([1, 1]);
      // Deleting a source frees its ids for reuse: only a full build is safe then.
      c.prepare('DELETE FROM sources WHERE id = ?').run(two);
      seedSource(c, 'three', [{ tsUs: T0 + 2, path: '/third-needle' }]);
      expect(updateTextIndex(c)).toBe('built');
      expect([count('second-needle'), count('third-needle')]).toEqual([0, 1]);
    } finally {
      ws2.cleanup();
    }
  });
});
