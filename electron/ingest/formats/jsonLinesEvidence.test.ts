import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import { findDuplicateKeys, scanDuplicates } from './jsonDuplicateKeys.js';
import { parseDurationText, withNote } from './jsonFields.js';

/** What JSON lines keep that JSON.parse and the columns alone would drop. */

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-jsonl-evidence-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const load = (name: string, text: string) =>
  importAndRead(db, ws.file(name, text), { force: true, format: 'jsonl' });
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const HEAD = '"ts":"2024-05-01T10:00:00Z","client_ip":"1.2.3.4","method":"GET"';

describe('repeated keys', () => {
  it('keeps the earlier values of a repeated key in extra, top-level and nested', async () => {
    const { requests } = await load(
      'dups.jsonl',
      [
        `{${HEAD},"uri":"/a","status":200,"size":5,"status":500}`,
        `{${HEAD},"uri":"/b","status":200,"x":{"k":1,"k":{"n":[1,2]},"k":3},"arr":[{"q":1,"q":2}]}`,
        // A blank before the colon still counts as a key.
        `{${HEAD},"uri":"/c","status" : 201,"status":202}`,
        // `":` inside a string is no key: scanned, nothing found.
        `{${HEAD},"uri":"/d","status":200,"note":"{\\"status\\":1}"}`,
        `{${HEAD},"uri":"/e","status":200,"_duplicate_keys":"mine","status":404}`,
      ].join('\n') + '\n',
    );
    expect(requests.map((r) => r.status)).toEqual([500, 200, 202, 200, 404]);
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
    expect(json(requests[2]!.extra)).toEqual({
      _duplicate_keys: [{ path: ['status'], earlier: [201] }],
    });
    expect(json(requests[3]!.extra)).toEqual({ note: '{"status":1}' });
    // A source field of the note's name moves aside instead of being overwritten.
    expect(json(requests[4]!.extra)).toEqual({
      _duplicate_keys_source: 'mine',
      _duplicate_keys: [{ path: ['status'], earlier: [200] }],
    });
  });

  it('decides without scanning when no key repeats', () => {
    const text = '{"a":1,"b":{"c":[{"d":2}],"e":"x:y"}}';
    expect(findDuplicateKeys(text, JSON.parse(text))).toBeNull();
    const dup = '{"a":1,"a":2}';
    expect(findDuplicateKeys(dup, JSON.parse(dup))).toEqual([{ path: ['a'], earlier: [1] }]);
    expect(scanDuplicates('{"a":{"a":1},"b":[{"a":1,"a":"x\\"}"}]}')).toEqual([
      { path: ['b', 0, 'a'], earlier: [1] },
    ]);
  });
});

describe('lone surrogates', () => {
  it('stores U+FFFD in a text column and the original in extra, which reads back exactly', async () => {
    const { requests } = await load(
      'lone.jsonl',
      `{${HEAD},"uri":"/a\\ud800b","status":200,"user_agent":"x\\udc00","keep":"\\ud800","ok":"\\ud83d\\ude00"}\n`,
    );
    const r = requests[0]!;
    expect(r.path).toBe('/a\ufffdb');
    expect(r.user_agent).toBe('x\ufffd');
    expect(json(r.extra)).toEqual({
      keep: '\ud800',
      ok: '\u{1f600}',
      _lone_surrogates: { path: '/a\ud800b', userAgent: 'x\udc00' },
    });
    // Stored as JSON escapes: ASCII, nothing for SQLite to alter.
    expect(r.extra).toContain('\\ud800');
  });
});

describe('latency units', () => {
  const rec = (extra: string): string =>
    `{"ts":1716723772.601,"client_ip":"203.0.113.7","method":"GET","host":"example.com","uri":"/x","status":200${extra}}`;

  it('keeps the raw field unless its key names milliseconds and the column is its number', async () => {
    const { requests } = await load(
      'lat.jsonl',
      [
        // Caddy (nested request): seconds.
        '{"ts":1716723772.601,"request":{"client_ip":"203.0.113.7","method":"GET","host":"example.com","uri":"/a"},"status":200,"duration":0.042}',
        rec(',"duration":0.042'),
        rec(',"duration":42'),
        rec(',"duration_ms":42'),
        rec(',"request_time":0.042'),
        rec(',"latency":"42ms"'),
        rec(',"elapsed":0.042'),
        rec(',"duration":42000000'),
      ].join('\n') + '\n',
    );
    expect(requests.map((r) => [r.latency_ms, json(r.extra)])).toEqual([
      [42, { duration: 0.042 }],
      // A bare key in a flat record: milliseconds assumed, and the field kept to show it.
      [0.042, { duration: 0.042 }],
      [42, { duration: 42 }],
      [42, null],
      [42, { request_time: 0.042 }],
      [42, { latency: '42ms' }],
      [0.042, { elapsed: 0.042 }],
      [42, { duration: 42000000 }],
    ]);
  });

  it('reads Go-style durations with two-letter units', () => {
    expect(parseDurationText('350ms')).toBe(350);
    expect(parseDurationText('1m2.5s')).toBe(62_500);
    expect(parseDurationText('120µs')).toBe(0.12);
    expect(parseDurationText('5ns')).toBeCloseTo(5e-6, 12);
  });
});

describe('withNote', () => {
  it('moves source fields of the note name aside, however many', () => {
    const extra = { _x: 1, _x_source: 2, y: 3 };
    expect(withNote(extra, '_x', 'note')).toEqual({
      _x: 'note',
      _x_source: 1,
      _x_source_source: 2,
      y: 3,
    });
    expect(withNote(null, '_x', 1)).toEqual({ _x: 1 });
  });
});
