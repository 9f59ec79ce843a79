import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { corpusFile, describeCorpus, fixture } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import type { ImportOptions } from '../importSource.js';
import { makeSniffSample, sniffFormat } from './index.js';
import { jsonArrayFormat, sniffJsonDocument } from './jsonArray.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-json-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const load = (file: string, opts: ImportOptions = {}) =>
  importAndRead(db, file, { force: true, ...opts });

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

describe('JSON array / document import', () => {
  // The fixture holds one malformed element on purpose (so it is .txt: prettier would refuse it).
  it('reads every element of an array as one unit, rejecting the unusable ones', async () => {
    const { r, requests, rejects } = await load(fixture('json/requests-array-bad-element.txt'));
    expect(r).toMatchObject({ format: 'json', lines: 6, accepted: 2, rejected: 4 });
    expect(rejects.map((x) => [x.line_no, x.reason])).toEqual([
      [2, 'not a JSON object (number)'],
      [
        3,
        'no timestamp field (looked for @timestamp, timestamp, time, ts, datetime, date_time, …)',
      ],
      [4, expect.stringMatching(/^invalid JSON in element 4: /) as unknown as string],
      [5, 'not a JSON object (an array)'],
    ]);
    expect(rejects[1]!.raw.toString()).toBe('{"method":"GET","url":"/no-time","status":200}');
    expect(rejects[2]!.raw.toString()).toContain('"url": ,');
    expect(requests[0]).toMatchObject({
      line_no: 1,
      ts_us: Date.UTC(2024, 5, 1, 10, 0, 0, 250) * 1000,
      ip: '203.0.113.7',
      method: 'GET',
      path: '/api/orders/17',
      query: 'expand=items',
      status: 200,
      latency_ms: 41.5,
      resp_bytes: 2048,
      user_agent: 'Mozilla/5.0 (fixture)',
      request_id: 'r-17',
      cookies: 'sid=sess-1',
      src_session: 'sess-1',
      src_user: 'alice',
      src_role: 'customer',
    });
    expect(json(requests[0]!.headers)).toEqual({ 'x-request-id': 'r-17' });
    expect(json(requests[0]!.extra)).toEqual({ tenant: 'acme' });
    expect(requests[1]).toMatchObject({
      line_no: 6,
      ts_us: 1717236002000000,
      ip: '2001:db8::7',
      method: 'POST',
      path: '/login',
      status: 401,
      src_label: 'credential-stuffing',
    });
  });

  it('reads a pretty-printed object, concatenated documents, an empty array, a cut-off array', async () => {
    const one = JSON.stringify(
      { time: '2024-01-01 08:00:00', method: 'GET', uri: '/x', status: 204 },
      null,
      2,
    );
    const a = await load(ws.file('one.json', '\uFEFF' + one.replace(/\n/g, '\r\n')), {
      tz: 'America/New_York',
    });
    expect(a.r).toMatchObject({ format: 'json', lines: 1, accepted: 1 });
    expect(a.requests[0]).toMatchObject({ ts_us: Date.UTC(2024, 0, 1, 13) * 1000, status: 204 });

    const b = await load(ws.file('many.json', `${one}\n${one.replace('/x', '/y')}`));
    expect(b.r.format).toBe('json');
    expect(b.requests.map((x) => [x.line_no, x.path])).toEqual([
      [1, '/x'],
      [2, '/y'],
    ]);

    const c = await load(ws.file('empty.json', '[ ]\n'));
    expect(c.r).toMatchObject({ format: 'json', lines: 0, accepted: 0, rejected: 0 });

    const d = await load(ws.file('cut.json', `[${one},${one.slice(0, 30)}`));
    expect(d.r).toMatchObject({ lines: 2, accepted: 1, rejected: 1 });
    expect(d.rejects[0]).toMatchObject({
      line_no: 2,
      reason: `invalid JSON in element 2: the input ends inside a value; bytes ${one.length + 2} to ${one.length + 31} could not be read`,
    });
    // What was read of the cut element is kept.
    expect(d.rejects[0]!.raw.toString()).toBe(one.slice(0, 30));
  });

  it('says how much of the data after a break was not read, and refuses text that is not JSON', async () => {
    const one = JSON.stringify({ time: '2024-01-01T08:00:00Z', method: 'GET', uri: '/x' });
    const garbage = ' junk that is not JSON\n'.repeat(4);
    const e = await load(ws.file('broken.json', `${one}\n${garbage}`), { format: 'json' });
    expect(e.r).toMatchObject({ format: 'json', lines: 2, accepted: 1, rejected: 1 });
    expect(e.rejects[0]!.reason).toBe(
      `invalid JSON after 1 element(s): unexpected "j" at byte ${one.length + 2}; the rest of the input (${garbage.length - 1} bytes, ${one.length + 2} to ${one.length + garbage.length}) was not read`,
    );
    // A text log read as JSON (--format json): no request object before the break.
    const log = ws.file(
      'access.log',
      '"10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "ua""\n'.repeat(3),
    );
    await expect(load(log, { format: 'json' })).rejects.toThrow(
      /^not a JSON document of request objects: unexpected "G" at byte 44; the rest of the input \(184 bytes, 44 to 227\) was not read \(is the format right\?\)$/,
    );
    expect(
      db.prepare("SELECT count(*) AS n FROM sources WHERE file_name = 'access.log'").get(),
    ).toEqual({ n: 0 });
  });

  it('imports its own example', async () => {
    const { r, requests } = await load(ws.file('example.json', jsonArrayFormat.example));
    expect(r).toMatchObject({ format: 'json', lines: 1, accepted: 1 });
    expect(requests[0]).toMatchObject({ path: '/api/users/42', query: 'x=1', latency_ms: 42 });
  });

  it('sniffs documents without taking JSON lines or HAR files', () => {
    const s = (text: string, name: string) => makeSniffSample(Buffer.from(text), name);
    expect(sniffJsonDocument(s('[\n  {"a": 1}\n]\n', 'x.json'))).toBeGreaterThan(0.95);
    expect(sniffJsonDocument(s('{\n  "a": 1\n}\n', 'x.json'))).toBe(0.9);
    expect(sniffJsonDocument(s('{"log":{"version":"1.2"}}', 'x.har'))).toBe(0.3);
    expect(sniffJsonDocument(s('GET / HTTP/1.1', 'x.log'))).toBe(0);
    expect(sniffFormat(s('{"a":1}\n{"b":2}\n', 'x.json')).format.id).toBe('jsonl');
    expect(sniffFormat(s('{"time":1,"method":"GET"}', 'one.json')).format.id).toBe('json');
    expect(sniffFormat(s('[{"time":1}]', 'x.txt')).format.id).toBe('json');
  });
});

describeCorpus('JSON document: corpus', () => {
  it('Cloudflare single record (46 fields, RFC 3339 stamps, no trailing newline)', async () => {
    const { r, requests } = await load(
      corpusFile('D_proxy_lb_cdn/lnav_cloudflare_logpush_single_record.json'),
    );
    expect(r).toMatchObject({ format: 'json', lines: 1, accepted: 1, rejected: 0 });
    expect(requests[0]).toMatchObject({
      line_no: 1,
      ts_us: Date.UTC(2022, 9, 30, 0, 0, 2) * 1000,
      ip: '87.226.160.250',
      method: 'HEAD',
      scheme: 'http',
      host: 'www.ripe.net',
      path: '/',
      protocol: 'HTTP/1.1',
      status: 301,
      latency_ms: null,
      req_bytes: 567,
      resp_bytes: 570,
      user_agent: null,
      request_id: '761fde4e984e5ab2',
    });
    const extra = json(requests[0]!.extra) as Record<string, unknown>;
    // 46 fields: 11 moved to columns; the rest stay, including the empty user agent and
    // referer and ClientRequestPath (the URI already gave the path).
    expect(Object.keys(extra)).toHaveLength(35);
    expect(extra).toMatchObject({ ClientRequestUserAgent: '', ClientRequestPath: '/' });
    expect(extra).toMatchObject({ ClientASN: 12389, ClientCountry: 'ru', WAFAction: 'unknown' });
  });
});
