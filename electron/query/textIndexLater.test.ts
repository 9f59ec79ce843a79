import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { TextIndexLater, textIndexCurrent } from '../analysis/textIndexStep.js';
import { textIndexBuilding } from '../analysis/textIndexWait.js';
import type { CaseDb } from '../store/openCase.js';
import { retryAfterWaits } from '../waitThenRetry.js';
import { factsWhere, factsWhereWithMaps } from './filterSql.js';

// The text index a rebuild job builds after its answer (textIndexStep.ts, TextIndexLater):
// until it is up to date, free-text answers must not come from it.

const T0 = Date.UTC(2024, 4, 1) * 1000;

/** Requests with a common agent (over RARE_TEXT_LIMIT) and rare paths. */
function requests(n: number, tag: string, from = 0): SeedRequest[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      tsUs: T0 + i * 3e6,
      ip: `10.3.0.${i % 30}`,
      path: `/${tag}/item/${i}`,
      query: i % 4 === 0 ? `page=${i % 7}` : null,
      userAgent: i % 9 === 0 ? `rare-agent-${tag}-${i}` : 'CommonBrowser/1.0',
    };
  });
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-text-later-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

/** Matching request ids through the facts, and whether the index narrowed the search. */
function answer(text: string, maps = false): { ids: number[]; indexed: boolean } {
  const filters = filtersSchema.parse({ text });
  const where = maps ? factsWhereWithMaps(db, filters) : factsWhere(db, filters);
  const ids = (
    db
      .prepare(`SELECT f.request_id AS id FROM request_facts f WHERE ${where.sql} ORDER BY 1`)
      .all(...where.params) as { id: number }[]
  ).map((r) => r.id);
  return { ids, indexed: where.indexed };
}

/** The definition: requests whose path, query or agent holds the needle (ASCII folding). */
function expected(needle: string): number[] {
  return db
    .prepare(
      `SELECT id FROM requests WHERE instr(lower(path), ?) > 0 OR instr(lower(query), ?) > 0
         OR instr(lower(user_agent), ?) > 0 OR instr(lower(referer), ?) > 0 ORDER BY id`,
    )
    .pluck()
    .all(...Array<string>(4).fill(needle.toLowerCase())) as number[];
}

const NEEDLES = [
  '/new/item/2345',
  'rare-agent-new-1503',
  '/old/item/77',
  'commonbrowser',
  'page=3',
];

describe('a text index built after the analysis', () => {
  it('is not used while it lacks requests the analysis has, then answers the same once built', () => {
    seedSource(db, 'old', requests(1500, 'old'));
    rebuild(db);
    expect(textIndexCurrent(db)).toBe(true);
    // An import: the next rebuild leaves the index (which lacks the new requests) for later.
    seedSource(db, 'new', requests(1500, 'new', 1500));
    const later = new TextIndexLater(0);
    rebuild(db, { textIndexLater: later });
    expect(later.pending(db)).toBe(true);
    expect(textIndexCurrent(db)).toBe(false);
    for (const needle of NEEDLES) {
      for (const maps of [false, true]) {
        const a = answer(needle, maps);
        expect(a.ids, `${needle} before the index`).toEqual(expected(needle));
        expect(a.ids.length, needle).toBeGreaterThan(0);
        expect(a.indexed).toBe(false);
      }
    }
    expect(later.build(db)).toBe('appended');
    expect(later.pending(db)).toBe(false);
    expect(textIndexCurrent(db)).toBe(true);
    for (const needle of NEEDLES) {
      for (const maps of [false, true])
        expect(answer(needle, maps).ids, `${needle} after`).toEqual(expected(needle));
    }
    // A rare needle is read from the index again.
    expect(answer('/new/item/2345').indexed).toBe(true);
  });

  it('builds what the rebuild would have built, and nothing when the index is current', () => {
    seedSource(db, 'old', requests(3000, 'old'));
    const later = new TextIndexLater(0);
    rebuild(db, { textIndexLater: later });
    expect(later.build(db)).toBe('built');
    const deferred = NEEDLES.map((n) => answer(n, true));
    const again = new TextIndexLater(0);
    rebuild(db, { textIndexLater: again });
    expect(again.pending(db)).toBe(false);
    expect(again.build(db)).toBeNull();
    // The same answers as an index built inside a rebuild.
    const ws2 = tempWorkspace('ss-text-later-inline-');
    try {
      const inline = ws2.openCase();
      seedSource(inline, 'old', requests(3000, 'old'));
      rebuild(inline);
      const prev = db;
      db = inline;
      expect(NEEDLES.map((n) => answer(n, true))).toEqual(deferred);
      db = prev;
    } finally {
      ws2.cleanup();
    }
  });

  it('cancelled or cut short, leaves the index as it was, and the next job builds it', () => {
    seedSource(db, 'old', requests(1500, 'old'));
    const later = new TextIndexLater(0);
    rebuild(db, { textIndexLater: later });
    expect(() => later.build(db, () => true)).toThrow(/cancelled/i);
    expect(textIndexCurrent(db)).toBe(false);
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'requests_text'").get()).toBe(
      undefined,
    );
    expect(answer('/old/item/77').ids).toEqual(expected('/old/item/77'));
    // A later job (a rule change, another rebuild) finds it due from the case alone.
    const next = new TextIndexLater(0);
    expect(next.pending(db)).toBe(true);
    expect(next.build(db)).toBe('built');
    expect(textIndexCurrent(db)).toBe(true);
    expect(answer('/old/item/77')).toEqual({ ids: expected('/old/item/77'), indexed: true });
  });

  it('is built in the rebuild as before for a case under its threshold', () => {
    seedSource(db, 'old', requests(500, 'old'));
    const later = new TextIndexLater(501);
    rebuild(db, { textIndexLater: later });
    expect(later.pending(db)).toBe(false);
    expect(textIndexCurrent(db)).toBe(true);
  });
});

describe('a search while a worker builds the index after the answer', () => {
  /** The case analysed with its index left for later, the tail registered as a worker's. */
  function tail(waitMs?: number): { later: TextIndexLater; end: () => void } {
    seedSource(db, 'old', requests(1500, 'old'));
    const later = new TextIndexLater(0);
    rebuild(db, { textIndexLater: later });
    let end = (): void => undefined;
    textIndexBuilding(db.name, new Promise<void>((resolve) => (end = resolve)), waitMs);
    return { later, end };
  }

  /** `answer` run as dispatch runs a call, and whether it is still waiting after 30 ms. */
  async function asCall(text: string, maps = false) {
    let settled = false;
    const p = retryAfterWaits(() => answer(text, maps)).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 30));
    return { p, waiting: !settled };
  }

  it('through dispatch waits off the thread, then answers from the index', async () => {
    const { later, end } = tail();
    const search = await asCall('/old/item/77');
    const common = await asCall('commonbrowser', true);
    expect(search.waiting).toBe(true);
    expect(common.waiting).toBe(true);
    expect(later.build(db)).toBe('built');
    end();
    expect(await search.p).toEqual({ ids: expected('/old/item/77'), indexed: true });
    expect((await common.p).ids).toEqual(expected('commonbrowser'));
  });

  it('anywhere else answers at once, exact (an export after an await, the CLI)', () => {
    const { end } = tail();
    for (const maps of [false, true])
      expect(answer('/old/item/77', maps)).toEqual({
        ids: expected('/old/item/77'),
        indexed: false,
      });
    end();
  });

  it('waits at most its bound, then is exact and does not wait again', async () => {
    const { end } = tail(50);
    const t0 = performance.now();
    const first = await asCall('/old/item/77');
    expect(first.waiting).toBe(true);
    expect(await first.p).toEqual({ ids: expected('/old/item/77'), indexed: false });
    expect(performance.now() - t0).toBeGreaterThan(40);
    const again = await asCall('/old/item/78');
    expect(again.waiting).toBe(false);
    expect((await again.p).ids).toEqual(expected('/old/item/78'));
    end();
  });
});
