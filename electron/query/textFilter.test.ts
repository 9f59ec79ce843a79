import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema, SESSION_SORTS } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { encodeIds, markIds } from '../analysis/idLists.js';
import { rebuildSteps } from '../analysis/rebuildSteps.js';
import {
  COMMON_IDS,
  COMMON_VALUES,
  hasCommonIds,
  hasTextIndex,
  RARE_TEXT_LIMIT,
  TEXT_INDEX,
  updateTextIndex,
} from '../analysis/textIndexStep.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere, factsWhereWithMaps } from './filterSql.js';
import { pageMixSql, sessionPageMix } from './sessionPageMix.js';
import { listSessions, sessionsPageSql } from './sessionsQuery.js';
import { textNeedles } from '../../shared/query/textNeedles.js';
import { trigramQuery } from './textFilterSql.js';

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
function matching(text: string, c: CaseDb = db): number[] {
  const where = factsWhere(c, filtersSchema.parse({ text }));
  return (
    c
      .prepare(`SELECT f.request_id AS id FROM request_facts f WHERE ${where.sql} ORDER BY 1`)
      .all(...where.params) as { id: number }[]
  ).map((r) => r.id);
}

/** The same, through the clause the session list uses (a request map for a common needle). */
function matchingWithMaps(text: string, c: CaseDb = db): number[] {
  const where = factsWhereWithMaps(c, filtersSchema.parse({ text }));
  return (
    c
      .prepare(`SELECT f.request_id AS id FROM request_facts f WHERE ${where.sql} ORDER BY 1`)
      .all(...where.params) as { id: number }[]
  ).map((r) => r.id);
}

/** True when the clause reads a request map (a blob among its values). */
function readsMap(text: string, c: CaseDb = db): boolean {
  return factsWhereWithMaps(c, filtersSchema.parse({ text })).params.some((p) =>
    Buffer.isBuffer(p),
  );
}

/**
 * The definition: a literal substring of a column lowered with ASCII folding, of the needle as
 * typed or URL-encoded (textNeedles, tested on its own below).
 */
function expected(text: string, c: CaseDb = db): number[] {
  const needles = textNeedles(text);
  const ascii = (s: string | null): string => (s ?? '').replace(/[A-Z]/g, (c) => c.toLowerCase());
  return (
    c.prepare('SELECT id, path, query, user_agent, referer FROM requests ORDER BY id').all() as {
      id: number;
      path: string | null;
      query: string | null;
      user_agent: string | null;
      referer: string | null;
    }[]
  )
    .filter((r) =>
      [r.path, r.query, r.user_agent, r.referer].some(
        (c) => c !== null && needles.some((needle) => ascii(c).includes(needle)),
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

  it('agrees with the definition through the request map for any needle', () => {
    // Every path holds '/p/': more than RARE_TEXT_LIMIT index rows, so a map of them.
    expect(readsMap('/p/')).toBe(true);
    expect(matchingWithMaps('/p/')).toEqual(expected('/p/'));
    const alphabet = fc.constantFrom(...Array.from('aAbBéÉ%_"/=&q p1😀'));
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 6 }), (chars) => {
        const parsed = filtersSchema.safeParse({ text: chars.join('') });
        if (!parsed.success || parsed.data.text === undefined) return;
        expect(matchingWithMaps(parsed.data.text)).toEqual(expected(parsed.data.text));
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
    expect(
      plan.filter((d) => /^SCAN (requests|request_facts|keyed_facts|r|f|fs)\b/.test(d)),
    ).toEqual([]);
  });

  it('leaves common and short needles to the exact test', () => {
    expect(RARE_TEXT_LIMIT).toBeGreaterThan(0);
    expect(factsWhere(db, filtersSchema.parse({ text: '/p/' })).indexed).toBe(false);
    expect(factsWhere(db, filtersSchema.parse({ text: 'ab' })).indexed).toBe(false);
    expect(trigramQuery('ab')).toBeNull();
    expect(trigramQuery('a"bc')).toBe('"a""b" AND """bc"');
  });
});

describe('free text in URL-encoded logs', () => {
  it('looks for the needle as typed and in its URL-encoded forms, hex in any case', () => {
    expect(textNeedles('<Script')).toEqual(['<script', '%3cscript']);
    expect(textNeedles("' OR 1=1")).toEqual(["' or 1=1", '%27%20or%201%3d1', '%27+or+1%3d1']);
    expect(textNeedles('é')).toEqual(['é', '%c3%a9']);
    expect(textNeedles('admin')).toEqual(['admin']);
  });

  it('finds a payload typed decoded in paths and queries stored encoded', () => {
    const ws3 = tempWorkspace('ss-text-encoded-');
    try {
      const c = ws3.openCase();
      const rows: SeedRequest[] = Array.from({ length: 40 }, (_, i) => ({
        tsUs: T0 + i * 1e6,
        ip: '10.9.0.1',
        path: i === 3 ? '/search/%3CSCRIPT%3Ealert(1)' : `/p/${i}`,
        query:
          i === 5
            ? 'q=%27%20OR%201%3D1'
            : i === 7
              ? 'q=%27+or+1%3d1'
              : i === 9
                ? "q=' OR 1=1"
                : null,
      }));
      seedSource(c, 'encoded', rows);
      rebuild(c);
      const idOf = (line: number): number =>
        (c.prepare('SELECT id FROM requests WHERE line_no = ?').get(line) as { id: number }).id;
      expect(matching('<script', c)).toEqual([idOf(4)]);
      expect(matching("' or 1=1", c)).toEqual([idOf(6), idOf(8), idOf(10)]);
      expect(matchingWithMaps("' OR 1=1", c)).toEqual([idOf(6), idOf(8), idOf(10)]);
      // The encoded form as typed finds the stored form only.
      expect(matching('%27%20or', c)).toEqual([idOf(6)]);
      c.close();
    } finally {
      ws3.cleanup();
    }
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
      expect(hasCommonIds(c)).toBe(true);
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

describe('request id lists', () => {
  it('decode to the ids encoded, across varint widths and beyond 2^31', () => {
    const ids = [0, 1, 2, 129, 130, 16_513, 16_514, 2 ** 21 + 16_514, 2 ** 31 + 5, 2 ** 40 + 7];
    const blob = encodeIds(ids);
    const small = new Uint8Array(2 ** 21 + 16_515);
    markIds(blob, small, 3);
    // Ids past the map are skipped, the rest marked, nothing else.
    expect([...small.keys()].filter((k) => small[k] !== 0)).toEqual(
      ids.filter((id) => id < small.length),
    );
    expect(small[1]).toBe(3);
    expect(() => encodeIds([5, 4])).toThrow();
    expect(encodeIds([])).toHaveLength(0);
  });
});

/** Rows of the index holding any of the needle's trigrams (the index alone, no exact test). */
function indexRows(c: CaseDb, needle: string): number {
  return (
    c
      .prepare(`SELECT count(*) AS n FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ?`)
      .get(trigramQuery(needle)) as { n: number }
  ).n;
}

const COMMON_UA = 'Mozilla/5.0 (Common Crawler; ÉCOLE 100%)';
const COMMON_QUERY = 'view=Full&lang=ÉN';

/**
 * One user agent and one query string on more than RARE_TEXT_LIMIT requests, the rest spread
 * over rare ones (some on a single request), with paths that share characters with them.
 */
function uaCapture(count: number, from = 0): SeedRequest[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      tsUs: T0 + i * 3e6,
      ip: `10.3.0.${i % 30}`,
      path: `/crawl/${WORDS[i % WORDS.length]!}/${i}`,
      query: i % 2 === 0 ? COMMON_QUERY : i % 4 === 1 ? `ua=${i % 13}` : null,
      userAgent:
        i % 9 === 0
          ? null
          : i % 3 === 0
            ? `RareBot/${i % 17} (probe ${WORDS[i % 7]!})`
            : i % 101 === 1
              ? `OneOff-${i}-Agent`
              : COMMON_UA,
    };
  });
}

describe('free-text filter over common and rare user agents and query strings', () => {
  let ws3: ReturnType<typeof tempWorkspace>;
  let c: CaseDb;
  beforeAll(() => {
    ws3 = tempWorkspace('ss-text-ua-');
    c = ws3.openCase();
    seedSource(c, 'ua', uaCapture(2400));
    rebuild(c);
  });
  afterAll(() => ws3.cleanup());

  it('lists the values on RARE_TEXT_LIMIT or more requests once and leaves them out of the index rows', () => {
    const on = (column: string, value: string): number =>
      (
        c.prepare(`SELECT count(*) AS n FROM requests WHERE ${column} = ?`).get(value) as {
          n: number;
        }
      ).n;
    expect(on('user_agent', COMMON_UA)).toBeGreaterThanOrEqual(RARE_TEXT_LIMIT);
    expect(on('query', COMMON_QUERY)).toBeGreaterThanOrEqual(RARE_TEXT_LIMIT);
    expect(c.prepare(`SELECT user_agent FROM ${COMMON_VALUES.user_agent}`).pluck().all()).toEqual([
      COMMON_UA,
    ]);
    expect(c.prepare(`SELECT query FROM ${COMMON_VALUES.query}`).pluck().all()).toEqual([
      COMMON_QUERY,
    ]);
    // Trigrams only the common values have are in no index row; the rare ones' are.
    expect(indexRows(c, 'mon crawler')).toBe(0);
    expect(indexRows(c, 'full&lang')).toBe(0);
    expect(indexRows(c, 'ua=7')).toBeGreaterThan(0);
    expect(indexRows(c, 'rarebot/5 ')).toBeGreaterThan(0);
    expect(indexRows(c, 'oneoff-1112-agent')).toBe(1);
  });

  it.each([
    'common crawler',
    'COMMON',
    'école 100%',
    'ÉCOLE 100%)',
    'rarebot/5 (',
    'RareBot/16 (probe 100%)',
    'oneoff-1112-agent',
    'OneOff-',
    // Spans the end of one column and the start of another: in no request.
    '100%)/crawl',
    'agent/crawl',
    'ua=3',
    'full&lang=é',
    'FULL&LANG=ÉN',
    'View=',
    'lang=ÉN/crawl',
    '/crawl/alpha/',
    'zzz',
  ])('finds exactly the requests containing %j', (text) => {
    expect(matching(text, c)).toEqual(expected(text, c));
  });

  it('answers a needle only in a common value without the index, and a rare one through it', () => {
    for (const text of ['mon crawler', 'full&lang']) {
      expect(factsWhere(c, filtersSchema.parse({ text })).indexed).toBe(false);
      expect(matching(text, c).length).toBeGreaterThanOrEqual(RARE_TEXT_LIMIT);
    }
    const rare = factsWhere(c, filtersSchema.parse({ text: 'oneoff-1112-agent' }));
    expect(rare.indexed).toBe(true);
    expect(matching('oneoff-1112-agent', c)).toEqual(expected('oneoff-1112-agent', c));
    expect(matching('oneoff-1112-agent', c)).toHaveLength(1);
    expect(matching('100%)/crawl', c)).toEqual([]);
  });

  it('agrees with the definition for any needle', () => {
    const alphabet = fc.constantFrom(...Array.from('moncrawlerÉé1%()/ -abotkpg5vfu=&N'));
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 7 }), (chars) => {
        const parsed = filtersSchema.safeParse({ text: chars.join('') });
        if (!parsed.success || parsed.data.text === undefined) return;
        expect(matching(parsed.data.text, c)).toEqual(expected(parsed.data.text, c));
        expect(matchingWithMaps(parsed.data.text, c)).toEqual(expected(parsed.data.text, c));
      }),
      { numRuns: 150 },
    );
  });

  const MAP_NEEDLES = [
    'common crawler',
    'MOZILLA/5.0 (Common',
    'full&lang',
    'View=',
    // In a common value and in rare rows' paths: listed ids and tested rows together.
    '100%',
    // In no common value but in more than RARE_TEXT_LIMIT index rows.
    '/crawl/',
  ];

  it.each(MAP_NEEDLES)('reads %j from a request map, finding exactly its requests', (text) => {
    expect(readsMap(text, c)).toBe(true);
    expect(matchingWithMaps(text, c)).toEqual(expected(text, c));
    // factsWhere, the exact test everywhere (the reference the map is checked against), binds none.
    expect(
      factsWhere(c, filtersSchema.parse({ text })).params.every((p) => typeof p !== 'object'),
    ).toBe(true);
  });

  it('binds no map for a rare needle, an absent one or a short one', () => {
    for (const text of ['oneoff-1112-agent', 'zzz', 'ab']) expect(readsMap(text, c)).toBe(false);
  });

  it.each(MAP_NEEDLES)(
    'lists the same sessions, in the same order and with the same mix, for %j through the map as through the exact test',
    (text) => {
      const filters = filtersSchema.parse({ text });
      const exact = factsWhere(c, filters);
      const mapped = factsWhereWithMaps(c, filters);
      for (const sort of SESSION_SORTS) {
        for (const descending of [false, true]) {
          const page = (where: typeof mapped): number[] => {
            const q = sessionsPageSql('fromSessions', where, sort, descending, false, {
              maxSessionUs: 24 * 3600e6,
            });
            return (c.prepare(q.sql).all(...q.params, 40) as { rowId: number }[]).map(
              (r) => r.rowId,
            );
          };
          expect(page(mapped)).toEqual(page(exact));
        }
      }
      const all = c.prepare('SELECT id FROM sessions ORDER BY id').pluck().all() as number[];
      const mix = sessionPageMix(c, mapped, all, true);
      expect([...mix]).toEqual([...sessionPageMix(c, exact, all, true)]);
      expect([...mix.values()].some((m) => m.matched > 0)).toBe(true);
    },
  );

  it('pages through every session holding a common needle with the right counts', () => {
    const want = new Map<string, number>();
    const hits = new Set(expected('common crawler', c));
    for (const f of c
      .prepare(
        'SELECT f.request_id AS id, s.sid FROM request_facts f JOIN sessions s ON s.id = f.session_id',
      )
      .all() as { id: number; sid: string }[])
      if (hits.has(f.id)) want.set(f.sid, (want.get(f.sid) ?? 0) + 1);
    const got = new Map<string, number>();
    let cursor: string | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const p = listSessions(c, { filters: { text: 'common crawler' }, cursor, limit: 7 });
      for (const s of p.sessions) got.set(s.id, s.matchedRequests);
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    expect(want.size).toBeGreaterThan(7);
    expect(got).toEqual(want);
  });

  it("lists the same ids from the rebuild's scan as from SQLite", () => {
    const lists = (): unknown[] =>
      c
        .prepare(`SELECT col, value, batch, hex(ids) AS ids FROM ${COMMON_IDS} ORDER BY 1, 2, 3`)
        .all();
    const fromScan = lists();
    expect(fromScan.length).toBe(2);
    c.exec(`DROP TABLE ${COMMON_IDS}`);
    // The index is current, so only the lists are made, by SQLite (no scan).
    expect(updateTextIndex(c)).toBe('unchanged');
    expect(lists()).toEqual(fromScan);
  });

  it('reads a common needle page and its mix without scanning requests or facts', () => {
    const where = factsWhereWithMaps(c, filtersSchema.parse({ text: 'common crawler' }));
    const q = sessionsPageSql('fromSessions', where, 'firstSeen', false, true, {
      maxSessionUs: 24 * 3600e6,
    });
    const plans = [
      [q.sql, [...q.params, 0, 's0', 50]],
      [pageMixSql(where), ['[1,2]', ...where.params]],
    ] as const;
    for (const [sql, params] of plans) {
      const plan = (
        c.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]
      ).map((r) => r.detail);
      expect(
        plan.filter((d) => /^SCAN (requests|request_facts|keyed_facts|r|f|fs)\b/.test(d)),
      ).toEqual([]);
      expect(plan.join(' | ')).toMatch(/SEARCH f (EXISTS )?USING PRIMARY KEY \(key_id=\?/);
    }
  });

  it('finds the same common values without the rebuild scan, and keeps answers exact after an append', () => {
    const ws4 = tempWorkspace('ss-text-ua-append-');
    try {
      const d = ws4.openCase();
      // Below RARE_TEXT_LIMIT on every value: none is common yet.
      seedSource(d, 'first', uaCapture(900));
      expect(updateTextIndex(d)).toBe('built');
      for (const table of Object.values(COMMON_VALUES))
        expect(d.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
      expect(indexRows(d, 'mon crawler')).toBeGreaterThan(0);
      expect(indexRows(d, 'full&lang')).toBeGreaterThan(0);
      // The import that makes it common: the new rows leave it out, the old ones still hold it.
      seedSource(d, 'second', uaCapture(1500, 900));
      expect(updateTextIndex(d)).toBe('appended');
      expect(d.prepare(`SELECT user_agent FROM ${COMMON_VALUES.user_agent}`).pluck().all()).toEqual(
        [COMMON_UA],
      );
      expect(d.prepare(`SELECT query FROM ${COMMON_VALUES.query}`).pluck().all()).toEqual([
        COMMON_QUERY,
      ]);
      // The appended rows' common values are listed in a second batch.
      expect(d.prepare(`SELECT DISTINCT batch FROM ${COMMON_IDS}`).pluck().all()).toEqual([900]);
      rebuild(d);
      const needles = [
        'common crawler',
        'full&lang',
        'oneoff-1112-agent',
        'rarebot/5 (',
        '100%)/crawl',
        '/crawl/',
      ];
      for (const text of needles) {
        expect(matching(text, d)).toEqual(expected(text, d));
        expect(matchingWithMaps(text, d)).toEqual(expected(text, d));
      }
      expect(readsMap('common crawler', d)).toBe(true);
      // A case indexed before the id lists existed: the exact test, until a rebuild lists them.
      d.exec(`DROP TABLE ${COMMON_IDS}`);
      expect(readsMap('common crawler', d)).toBe(false);
      expect(matchingWithMaps('common crawler', d)).toEqual(expected('common crawler', d));
      expect(updateTextIndex(d)).toBe('unchanged');
      expect(readsMap('common crawler', d)).toBe(true);
      for (const text of needles) expect(matchingWithMaps(text, d)).toEqual(expected(text, d));
    } finally {
      ws4.cleanup();
    }
  });
});
