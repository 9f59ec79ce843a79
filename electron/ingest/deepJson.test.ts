import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
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

describe('a JSON value nested too deeply to store', () => {
  it.each([
    ['JSON lines', 'deep.jsonl', (ls: string[]) => ls.join('\n') + '\n'],
    ['a JSON array', 'deep.json', (ls: string[]) => `[${ls.join(',')}]`],
  ])('in %s rejects its unit with the reason, and keeps the others', async (_, name, text) => {
    const db = ws.openCase(`${name}.sscase`);
    const units = [line(1), line(2, nested(100_000)), line(3), line(4, nested(1000))];
    const r = await importSource(db, ws.file(name, text(units)));
    expect(r.status).toBe('complete');
    expect([r.accepted, r.rejected]).toEqual([3, 1]);
    const rejects = db.prepare('SELECT line_no AS lineNo, reason, raw FROM rejects').all() as {
      lineNo: number;
      reason: string;
      raw: Buffer;
    }[];
    expect(rejects.map((x) => [x.lineNo, x.reason])).toEqual([
      [2, 'a JSON value nested too deeply to store'],
    ]);
    // Lines keep their bytes; a streamed array's unit is named by its number (its text is gone).
    if (name.endsWith('.jsonl'))
      expect(rejects[0]!.raw.toString().startsWith(units[1]!.slice(0, 40))).toBe(true);
    // A value nested 1,000 deep is kept as it came.
    const extra = db
      .prepare('SELECT extra FROM requests WHERE line_no = 4')
      .pluck()
      .get() as string;
    expect(extra).toContain(nested(1000));
    db.close();
  });
});
