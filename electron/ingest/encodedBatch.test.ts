import fc from 'fast-check';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { emptyRecord, type RequestRecord } from '../../shared/model/requestRecord.js';
import {
  BatchBuilder,
  forEachChunk,
  maskColumns,
  REQUEST_COLUMNS,
  ROW_WIDTH,
  ROWS_PER_INSERT,
  type EncodedBatch,
} from './encodedBatch.js';

/** What a row binds, column by column, written out plainly as the reference. */
function expectedRow(lineNo: number, r: RequestRecord): unknown[] {
  const j = (v: object | null): string | null => (v === null ? null : JSON.stringify(v));
  return [
    lineNo,
    r.tsUs,
    r.ip,
    r.xff,
    r.method,
    r.scheme,
    r.host,
    r.path,
    r.query,
    r.protocol,
    r.status,
    r.latencyMs,
    r.reqBytes,
    r.respBytes,
    r.userAgent,
    r.referer,
    r.requestId,
    r.cookies,
    j(r.headers),
    r.reqBody,
    j(r.respHeaders),
    r.respBody,
    r.srcSession,
    r.srcUser,
    r.srcRole,
    r.srcLabel,
    j(r.extra),
  ];
}

/** Every row of a batch as full-width arrays, the way the writer binds them. */
function decode(b: EncodedBatch): unknown[][] {
  const out: unknown[][] = [];
  forEachChunk(b, (mask, rows, values) => {
    const cols = maskColumns(mask);
    expect(values).toHaveLength(rows * cols.length);
    for (let r = 0; r < rows; r++) {
      const full: unknown[] = new Array(ROW_WIDTH).fill(null);
      cols.forEach((c, k) => (full[c] = values[r * cols.length + k]));
      out.push(full);
    }
  });
  return out;
}

/** The batch as it arrives on the writing thread (structured clone, as postMessage does). */
const crossThread = (b: EncodedBatch): EncodedBatch => deserialize(serialize(b)) as EncodedBatch;

const text = fc.oneof(
  fc.constantFrom('GET', 'Mozilla/5.0 (X11)', '', '-', '0', 'NaN', '1e999'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const num = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, 1_709_251_200_000_000, Number.MAX_SAFE_INTEGER, 2 ** 60),
);
const orNull = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.option(a, { nil: null, freq: 3 });

const record: fc.Arbitrary<RequestRecord> = fc.record({
  tsUs: num,
  ip: orNull(text),
  xff: orNull(text),
  method: orNull(fc.constantFrom('GET', 'POST', 'DELETE')),
  scheme: orNull(text),
  host: orNull(text),
  path: orNull(text),
  query: orNull(text),
  protocol: orNull(text),
  status: orNull(num),
  latencyMs: orNull(num),
  reqBytes: orNull(num),
  respBytes: orNull(num),
  userAgent: orNull(fc.constantFrom('curl/8', 'Mozilla/5.0', 'x'.repeat(300))),
  referer: orNull(text),
  requestId: orNull(text),
  cookies: orNull(text),
  headers: orNull(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }))),
  reqBody: orNull(text),
  respHeaders: orNull(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }))),
  respBody: orNull(text),
  srcSession: orNull(text),
  srcUser: orNull(text),
  srcRole: orNull(text),
  srcLabel: orNull(text),
  extra: orNull(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }))),
});

describe('encoded batches', () => {
  it('bring every cell across threads as the parser gave it, in line order', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 3 * ROWS_PER_INSERT + 5 }), (recs) => {
        const b = new BatchBuilder();
        recs.forEach((r, i) => b.request(i + 1, r));
        expect(b.size).toBe(recs.length);
        const got = decode(crossThread(b.finish()));
        // NaN stands for null on the wire; a NaN the parser gave binds as NULL in SQLite too.
        expect(got).toEqual(recs.map((r, i) => expectedRow(i + 1, r)));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a value of the wrong kind as it is (a number for text, text for a number)', () => {
    const r = emptyRecord();
    r.tsUs = 5;
    (r as unknown as Record<string, unknown>).srcUser = 42;
    (r as unknown as Record<string, unknown>).status = '200';
    (r as unknown as Record<string, unknown>).userAgent = 7;
    const b = new BatchBuilder();
    b.request(1, r);
    b.request(2, emptyRecord());
    const [row1, row2] = decode(crossThread(b.finish()));
    const at = (row: unknown[] | undefined, c: string): unknown =>
      row?.[REQUEST_COLUMNS.indexOf(c as (typeof REQUEST_COLUMNS)[number])];
    expect([at(row1, 'src_user'), at(row1, 'status'), at(row1, 'user_agent')]).toEqual([
      42,
      '200',
      7,
    ]);
    expect([at(row2, 'src_user'), at(row2, 'status'), at(row2, 'ts_us')]).toEqual([null, null, 0]);
  });

  it('sends a repeated user agent once per batch, and only non-null columns', () => {
    const b = new BatchBuilder();
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36';
    for (let i = 0; i < 1000; i++) {
      const r = emptyRecord();
      r.tsUs = i;
      r.userAgent = ua;
      r.method = i % 2 === 0 ? 'GET' : 'POST';
      r.path = `/item/${i}`;
      b.request(i + 1, r);
    }
    const batch = b.finish();
    expect(batch.values.filter((v) => v === ua)).toHaveLength(1);
    // line_no, ts_us, method, path, user_agent per row.
    expect(batch.cells).toHaveLength(1000 * 5);
    expect(batch.accepted).toBe(1000);
    // The builder starts over after finish.
    expect(b.size).toBe(0);
    expect(b.finish().cells).toHaveLength(0);
  });

  it('keeps rejects whole up to the limit, with their true length', () => {
    const b = new BatchBuilder();
    b.reject(3, 'bad', 'x'.repeat(70_000));
    b.reject(4, 'worse', Buffer.from([0xff, 0xfe]));
    expect(b.size).toBe(2);
    const { rejects } = crossThread(b.finish());
    expect(rejects[0]).toBe(3);
    expect((rejects[2] as Uint8Array).length).toBe(64 * 1024);
    expect(rejects[3]).toBe(70_000);
    expect([...(rejects[6] as Uint8Array)]).toEqual([0xff, 0xfe]);
  });
});
