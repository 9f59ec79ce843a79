import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { getRequestDetail } from '../query/requestDetail.js';
import { rebuild } from '../analysis/rebuild.js';
import { MAX_JSON_DEPTH, TOO_DEEP_KEY } from '../store/storedJson.js';
import { importSource } from './importSource.js';

const ws = tempWorkspace('ss-deep-json-');
afterAll(() => ws.cleanup());

/** A value nested `depth` levels (arrays), as a hostile client can put in any logged field. */
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

function line(i: number, junk?: string): string {
  return JSON.stringify({
    timestamp: `2024-03-01T10:00:0${i}Z`,
    client_ip: '10.0.0.1',
    method: 'GET',
    url: `/a${i}`,
    status: 200,
  }).replace(/}$/, junk === undefined ? '}' : `,"junk":${junk}}`);
}

/** Follows `junk` down the first element of each array until it meets a marker. */
function markerIn(extra: unknown): { level: number; json: string } | null {
  let v = (extra as { junk: unknown }).junk;
  // extra is level 1, junk level 2.
  for (let level = 2; Array.isArray(v); level++) {
    if (v.length === 0) return null;
    v = v[0];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && TOO_DEEP_KEY in v)
      return { level: level + 1, json: (v as unknown as { json: string }).json };
  }
  return null;
}

describe('a JSON value nested too deeply to serialize again', () => {
  it.each([
    ['JSON lines', 'deep.jsonl', (ls: string[]) => ls.join('\n') + '\n'],
    ['a JSON array', 'deep.json', (ls: string[]) => `[${ls.join(',')}]`],
  ])('in %s is stored with its deep part kept as JSON text', async (_, name, text) => {
    const db = ws.openCase(`${name}.sscase`);
    const units = [
      line(1),
      line(2, nested(100_000)),
      line(3),
      line(4, nested(1000)),
      line(5, nested(MAX_JSON_DEPTH - 1)),
    ];
    const r = await importSource(db, ws.file(name, text(units)));
    expect(r.status).toBe('complete');
    expect([r.accepted, r.rejected]).toEqual([5, 0]);
    const extra = (lineNo: number): unknown =>
      JSON.parse(
        db.prepare('SELECT extra FROM requests WHERE line_no = ?').pluck().get(lineNo) as string,
      );
    // The container that would sit at level MAX + 1 is a marker there, holding its exact text.
    for (const [lineNo, depth] of [
      [2, 100_000],
      [4, 1000],
    ] as const) {
      const m = markerIn(extra(lineNo));
      expect(m?.level).toBe(MAX_JSON_DEPTH + 1);
      expect(m?.json).toBe(nested(depth - (MAX_JSON_DEPTH - 1)));
    }
    // A value that fits is kept as it came.
    expect(JSON.stringify(extra(5))).toBe(`{"junk":${nested(MAX_JSON_DEPTH - 1)}}`);
    db.close();
  });

  it('keeps the text of a rejected JSON element nested too deeply for JSON.stringify', async () => {
    const db = ws.openCase('deep-reject.sscase');
    const r = await importSource(
      db,
      ws.file('deep-reject.json', `[${line(1)},${nested(100_000)}]`),
    );
    expect([r.accepted, r.rejected]).toEqual([1, 1]);
    const raw = db.prepare('SELECT raw FROM rejects').pluck().get() as Buffer;
    // Kept up to the 64 KiB limit, as any rejected unit.
    expect(raw.toString()).toBe(nested(100_000).slice(0, 64 * 1024));
    db.close();
  });

  it('is read by the CLI and the request page, also from a case imported before the cap', async () => {
    const casePath = `${ws.dir}/old.sscase`;
    const db = ws.openCase('old.sscase');
    await importSource(db, ws.file('old.jsonl', line(1, '1') + '\n'));
    // What an older version stored: the value whole, nested past any reader's stack.
    const deep = `{"junk":${nested(100_000)}}`;
    db.prepare('UPDATE requests SET extra = ?, headers = ?').run(deep, deep);
    rebuild(db);
    const id = db.prepare('SELECT id FROM requests').pluck().get() as number;
    const detail = getRequestDetail(db, id);
    expect(() => JSON.stringify(detail)).not.toThrow();
    expect(markerIn(detail.extra)?.json).toBe(nested(100_000 - (MAX_JSON_DEPTH - 1)));
    db.close();

    const out = await cli('requests', casePath, '--json');
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
    const [req] = (JSON.parse(out.out) as { requests: { extra: unknown; headers: unknown }[] })
      .requests;
    expect(markerIn(req!.extra)?.level).toBe(MAX_JSON_DEPTH + 1);
    expect(markerIn(req!.headers)?.json).toBe(nested(100_000 - (MAX_JSON_DEPTH - 1)));
  });
});
