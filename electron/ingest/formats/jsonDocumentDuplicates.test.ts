import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import type { DuplicateKey } from './jsonDuplicateKeys.js';
import { readJsonUnits } from './streamedJson.js';

/** A key repeated in a JSON document's record or a HAR entry keeps its earlier values, as in JSON lines. */

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-json-dups-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const HEAD = '"ts":"2024-05-01T10:00:00Z","client_ip":"1.2.3.4","method":"GET"';

describe('repeated keys in JSON documents and HAR entries', () => {
  it('keeps the earlier values of a JSON document record’s repeated keys in extra', async () => {
    const text = `[
      {${HEAD},"uri":"/a","status":200,"size":5,"status":500},
      {${HEAD},"uri":"/b","status":200,"x":{"k":1,"k":{"n":[1,2]},"k":3},"arr":[{"q":1,"q":2}]},
      {${HEAD},"uri":"/c","status":200,"note":"{\\"status\\":1}"},
      {${HEAD},"uri":"/e","status":200,"_duplicate_keys":"mine","status":404}
    ]`;
    const { requests } = await importAndRead(db, ws.file('d.json', text), { format: 'json' });
    expect(requests.map((r) => r.status)).toEqual([500, 200, 200, 404]);
    expect(json(requests[0]!.extra)).toEqual({
      _duplicate_keys: [{ path: ['status'], earlier: [200] }],
    });
    expect(json(requests[1]!.extra)).toEqual({
      x: { k: 3 },
      arr: [{ q: 2 }],
      _duplicate_keys: [
        { path: ['x', 'k'], earlier: [1, { n: [1, 2] }] },
        { path: ['arr', 0, 'q'], earlier: [1] },
      ],
    });
    // `":` inside a string is no key.
    expect(json(requests[2]!.extra)).toEqual({ note: '{"status":1}' });
    expect(json(requests[3]!.extra)).toEqual({
      _duplicate_keys_source: 'mine',
      _duplicate_keys: [{ path: ['status'], earlier: [200] }],
    });
  });

  it('keeps the earlier values of a HAR entry’s repeated keys, paths from the entry', async () => {
    const entry = (i: number, inner: string): string =>
      `{"startedDateTime":"2024-05-01T10:00:0${i}.000Z",${inner}}`;
    const text = `{"log":{"version":"1.2","entries":[
      ${entry(0, '"request":{"method":"GET","url":"https://shop.example/a","method":"DELETE"},"response":{"status":200},"time":5,"time":7')},
      ${entry(1, '"request":{"method":"GET","url":"https://shop.example/b"},"response":{"status":200}')},
      ${entry(2, '"request":{"method":"GET","url":"https://shop.example/c"},"response":{"status":200,"status":403,"content":{"size":1}},"_duplicate_keys":1')}
    ]}}`;
    const { requests } = await importAndRead(db, ws.file('d.har', text));
    expect(requests.map((r) => [r.method, r.status, r.latency_ms])).toEqual([
      ['DELETE', 200, 7],
      ['GET', 200, null],
      ['GET', 403, null],
    ]);
    expect(json(requests[0]!.extra)).toMatchObject({
      _duplicate_keys: [
        { path: ['request', 'method'], earlier: ['GET'] },
        { path: ['time'], earlier: [5] },
      ],
    });
    expect(json(requests[1]!.extra) ?? {}).not.toHaveProperty('_duplicate_keys');
    expect(json(requests[2]!.extra)).toMatchObject({
      _duplicate_keys_source: 1,
      _duplicate_keys: [{ path: ['response', 'status'], earlier: [200] }],
    });
  });

  it('finds the same repeated keys in a unit too big to parse whole as in one parsed whole', async () => {
    const units = [
      '{"a":1,"b":{"c":[{"d":1,"d":[2,{"e":3,"e":4}],"d":5}],"c":6},"a":"x","a":{"f":null}}',
      '{"a":1,"b":[1,{"z":0}]}',
      '[{"k":1,"k":2},{"k":3}]',
    ];
    const text = Buffer.from(`[${units.join(',')}]`);
    // In small pieces, so a unit is held over several chunks (only then can it go big).
    const pieces = Array.from({ length: Math.ceil(text.length / 5) }, (_, i) =>
      text.subarray(i * 5, i * 5 + 5),
    );
    const read = async (bigUnitBytes?: number): Promise<(DuplicateKey[] | null)[]> => {
      const seen: (DuplicateKey[] | null)[] = [];
      await readJsonUnits(
        Readable.from(pieces),
        {
          classify: (path, kind) => (path.length === 0 && kind === 'array' ? 'descend' : 'unit'),
          unit: (_v, _i, dups) => seen.push(dups),
          broken: (_i, _in, message) => {
            throw new Error(message);
          },
        },
        bigUnitBytes === undefined ? {} : { bigUnitBytes },
      );
      return seen;
    };
    const whole = await read();
    expect(whole).toEqual([
      [
        { path: ['b', 'c', 0, 'd'], earlier: [1, [2, { e: 4 }]] },
        { path: ['b', 'c', 0, 'd', 1, 'e'], earlier: [3] },
        { path: ['b', 'c'], earlier: [[{ d: 5 }]] },
        { path: ['a'], earlier: [1, 'x'] },
      ],
      null,
      [{ path: [0, 'k'], earlier: [1] }],
    ]);
    // Built token by token (bigJsonValue.ts): the same keys, values and order.
    expect(await read(8)).toEqual(whole);
  });
});
