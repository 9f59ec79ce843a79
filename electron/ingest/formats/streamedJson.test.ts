import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OmittedString } from './bigJsonValue.js';
import { readJsonUnits, type ReadOptions, type UnitHandler } from './streamedJson.js';

interface Seen {
  units: [number, unknown][];
  broken: [number, boolean, string][];
}

function chunked(text: string | Buffer, chunk: number): Buffer[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  return chunks;
}

/** Elements of a top-level array (or top-level values) as units, the input cut into chunks. */
async function read(
  text: string | Buffer,
  chunk = 7,
  opts: ReadOptions = {},
  classify: UnitHandler['classify'] = (p, k) =>
    p.length === 0 && k === 'array' ? 'descend' : 'unit',
): Promise<Seen> {
  const chunks = chunked(text, chunk);
  const seen: Seen = { units: [], broken: [] };
  await readJsonUnits(
    Readable.from(chunks),
    {
      classify,
      unit: (v, i) => seen.units.push([i, v]),
      broken: (i, inUnit, message) => seen.broken.push([i, inUnit, message]),
    },
    opts,
  );
  return seen;
}

describe('readJsonUnits', () => {
  it('hands over array elements, top-level values and scalars in order, any chunking', async () => {
    const text =
      '\uFEFF[ {"a":"x\\"}]{[\\\\"}, [1,2] , "s\\\\", -1.5e3, true, null, {"u":"é😀\\u0041"} ]\n{"b":2}\n{"c":[{}]}';
    for (const size of [1, 2, 3, 5, 64, 4096]) {
      const seen = await read(text, size);
      expect(seen.broken).toEqual([]);
      expect(seen.units).toEqual([
        [0, { a: 'x"}]{[\\' }],
        [1, [1, 2]],
        [2, 's\\'],
        [3, -1500],
        [4, true],
        [5, null],
        [6, { u: 'é😀A' }],
        [7, { b: 2 }],
        [8, { c: [{}] }],
      ]);
    }
  });

  it('follows keys to the units it was asked for and skips the rest', async () => {
    const text = JSON.stringify({
      log: {
        pages: [{ entries: ['not these'] }],
        'odd "key"': { entries: [1] },
        entries: [{ n: 1 }, { n: 2 }],
        after: 'x',
      },
    });
    const seen = await read(text, 3, {}, (p, k) => {
      if (p.length < 2) return k === 'object' ? 'descend' : 'skip';
      if (p.length === 2) return p[1] === 'entries' ? 'descend' : 'skip';
      return 'unit';
    });
    expect(seen.units).toEqual([
      [0, { n: 1 }],
      [1, { n: 2 }],
    ]);
  });

  it('reports a malformed element and reads on; stops at broken structure', async () => {
    const seen = await read('[{"a":1},{"b":,},{"c":3}]', 4);
    expect(seen.units.map((u) => u[0])).toEqual([0, 2]);
    expect(seen.broken).toEqual([[1, true, expect.stringMatching(/JSON/) as unknown as string]]);
    const cut = await read('[{"a":1},{"b":"unterminated', 4);
    expect(cut.units).toHaveLength(1);
    expect(cut.broken).toEqual([
      [1, true, 'the input ends inside a value; bytes 9 to 26 could not be read'],
    ]);
    const junk = await read('[{"a":1}] ]', 4);
    expect(junk.broken).toEqual([
      [
        1,
        false,
        'unexpected "]" at byte 10; the rest of the input (1 byte, 10 to 10) was not read',
      ],
    ]);
    // Everything after the break, over later chunks too, is counted as not read.
    const tail = await read(`[{"a":1}] x${' '.repeat(40)}{"b":2}`, 4);
    expect(tail.units).toHaveLength(1);
    expect(tail.broken).toEqual([
      [
        1,
        false,
        'unexpected "x" at byte 10; the rest of the input (48 bytes, 10 to 57) was not read',
      ],
    ]);
    const open = await read('[{"a":1}', 4);
    expect(open.broken).toEqual([[1, false, 'the input ends before the document is closed']]);
  });

  it('after an element closed early, skips its leftovers to the next element', async () => {
    // A stray "}" ends element 1 early: what follows it are its own keys and values, not
    // elements. They are reported with it (one range), not read as elements of their own.
    const text = '[{"a":1},{"b": }"x":{"y":[1,{"z":2}]}, "w": [{"q":1}, {"q":2}]},\n {"c":3}]';
    const from = text.indexOf('{"b"');
    const resumed = text.indexOf('{"c"');
    for (const size of [1, 3, 7, 4096]) {
      const seen: [number, boolean, string, string][] = [];
      const units: [number, unknown][] = [];
      await readJsonUnits(Readable.from(chunked(text, size)), {
        classify: (p, k) => (p.length === 0 && k === 'array' ? 'descend' : 'unit'),
        unit: (v, i) => units.push([i, v]),
        broken: (i, inUnit, message, context) =>
          seen.push([i, inUnit, message, context.toString()]),
      });
      expect(units).toEqual([
        [0, { a: 1 }],
        [2, { c: 3 }],
      ]);
      expect(seen).toHaveLength(1);
      const [index, inUnit, message, context] = seen[0]!;
      expect([index, inUnit]).toEqual([1, true]);
      expect(message).toMatch(
        new RegExp(
          `; bytes ${from} to ${resumed - 4} could not be read; reading resumed at byte ${resumed}$`,
        ),
      );
      // The element's text and its leftovers, up to the comma before the next element.
      expect(context).toBe(text.slice(from, resumed - 3));
    }
  });

  it('after a broken last element, finds the end of its array; to the end when none', async () => {
    const last = await read('[{"a":1},{"b": }"x": {"y": "]}"}}]', 4);
    expect(last.units.map((u) => u[0])).toEqual([0]);
    // One report: the document closes after it, nothing is left unread.
    expect(last.broken).toEqual([
      [
        1,
        true,
        expect.stringMatching(/; bytes 9 to 32 could not be read; reading resumed at byte 33$/),
      ],
    ]);
    // A malformed element that was whole and in place: only its own bytes.
    const inPlace = await read('[{"a":1},{"b":,},{"c":3}]', 4);
    expect(inPlace.units.map((u) => u[0])).toEqual([0, 2]);
    expect(inPlace.broken[0]![2]).toMatch(
      /; bytes 9 to 15 could not be read; reading resumed at byte 17$/,
    );
    const toEnd = await read('[{"a":1},{"b": }"x": 1', 4);
    expect(toEnd.broken).toEqual([
      [
        1,
        true,
        expect.stringMatching(
          /; bytes 9 to 21 could not be read \(the input ends before another value starts\)$/,
        ),
      ],
    ]);
    // A quote lost inside the leftovers misleads the scan to the end of its line only.
    const quote = await read('[{"a":1},\n{"b": }"x": "y},\n{"c":3}]', 4);
    expect(quote.units.map((u) => u[1])).toEqual([{ a: 1 }, { c: 3 }]);
  });

  it('builds a unit over the size limit token by token and omits its long strings', async () => {
    const long = 'A'.repeat(5000);
    const text = JSON.stringify([
      { small: 'ok' },
      { body: long, n: [1, { k: 'v' }] },
      { after: true },
    ]);
    const seen = await read(text, 100, { bigUnitBytes: 1000, maxStringBytes: 2000 });
    expect(seen.broken).toEqual([]);
    const big = seen.units[1]![1] as { body: OmittedString; n: unknown };
    expect(big.body).toBeInstanceOf(OmittedString);
    expect(big.body.bytes).toBe(5000);
    expect(big.body.sha256).toBe(createHash('sha256').update(long).digest('hex'));
    expect(big.n).toEqual([1, { k: 'v' }]);
    expect(seen.units[2]).toEqual([2, { after: true }]);
  });

  it('agrees with JSON.parse on random arrays, whitespace and chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        async (values, chunk, pretty) => {
          const text = JSON.stringify(values, null, pretty ? 2 : undefined);
          const seen = await read(text, chunk);
          expect(seen.broken).toEqual([]);
          expect(seen.units.map((u) => u[1])).toEqual(JSON.parse(text));
          // The same through the token-by-token path for big units, strings held back and fed.
          const viaTokens = await read(text, chunk, { bigUnitBytes: 16, maxStringBytes: 1e6 });
          expect(viaTokens.broken).toEqual([]);
          expect(viaTokens.units.map((u) => u[1])).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 200 },
    );
  });
});
