import { describe, expect, it } from 'vitest';
import { OmittedString } from '../ingest/formats/bigJsonValue.js';
import {
  capJsonDepth,
  MAX_JSON_DEPTH,
  parseStoredJson,
  stringifyDeep,
  TOO_DEEP_KEY,
} from './storedJson.js';

const marker = (json: string): Record<string, string> => ({
  [TOO_DEEP_KEY]: `nested deeper than ${MAX_JSON_DEPTH} levels; kept as JSON text`,
  json,
});

describe('capJsonDepth', () => {
  it('keeps text that nests no deeper than the cap as it is', () => {
    for (const t of ['{}', '{"a":[1,{"b":"[[[["}]}', '[' + '"{[",'.repeat(500) + '1]']) {
      expect(capJsonDepth(t, 3)).toBe(t);
    }
  });

  it('replaces each container deeper than the cap by its text, strings and escapes read right', () => {
    const text = '{"a":{"b":{"c":[1,"x\\"]}"],"d":{}},"e":[[2]]},"f":"{{{{"}';
    const capped = JSON.parse(capJsonDepth(text, 2)) as Record<string, unknown>;
    expect(capped).toEqual({
      a: { b: marker('{"c":[1,"x\\"]}"],"d":{}}'), e: marker('[[2]]') },
      f: '{{{{',
    });
    // The marker's text is the value as it was.
    expect(JSON.parse((capped.a as { b: { json: string } }).b.json)).toEqual({
      c: [1, 'x"]}'],
      d: {},
    });
  });

  it('wraps a look-alike marker at import, and leaves its own markers alone when read again', () => {
    const once = capJsonDepth('{"a":{"b":{"c":[1]}}}', 2);
    expect(capJsonDepth(once, 2, true)).toBe(once);
    // At import every container at the marker's level is wrapped, a forged marker too.
    const forged = JSON.parse(capJsonDepth(once, 2)) as { a: { b: Record<string, string> } };
    expect(forged.a.b).toEqual(marker(JSON.stringify(marker('{"c":[1]}'))));
  });

  it('parseStoredJson gives a value every reader can serialize again', () => {
    const deep = '{"x":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}';
    const v = parseStoredJson(deep);
    expect(() => JSON.stringify(v, null, 2)).not.toThrow();
    expect(parseStoredJson(null)).toBeNull();
  });
});

describe('stringifyDeep', () => {
  it('writes what JSON.stringify writes', () => {
    const o: Record<string, unknown> = {
      s: 'a"\\\u0001\ud800',
      n: 1.5,
      b: false,
      z: null,
      u: undefined,
      arr: [1, undefined, 'x', [], {}, { y: [null] }],
      big: new OmittedString(20, 'ab', 'head'),
    };
    Object.defineProperty(o, '__proto__', { value: 7, enumerable: true });
    expect(stringifyDeep(o)).toBe(JSON.stringify(o));
    for (const v of [1, 'x', null, [], {}, [[[]]]])
      expect(stringifyDeep(v)).toBe(JSON.stringify(v));
  });

  it('writes a value nested too deeply for JSON.stringify', () => {
    let v: unknown = [];
    for (let i = 0; i < 200_000; i++) v = { k: v };
    expect(() => JSON.stringify(v)).toThrow(RangeError);
    const text = stringifyDeep(v);
    expect(text).toBe('{"k":'.repeat(200_000) + '[]' + '}'.repeat(200_000));
  });
});
