import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors.js';
import type { CaseDb } from '../../store/openCase.js';
import { corpusFile, describeCorpus, fixture } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import { importSource, type ImportOptions } from '../importSource.js';
import { makeSniffSample, sniffFormat } from './index.js';
import { MAX_STRING_BYTES, OmittedString } from './bigJsonValue.js';
import { harFormat, mapHarEntry, sniffHar } from './har.js';

const SLOW = process.env.SS_SLOW_TESTS === '1';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-har-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const load = (file: string, opts: ImportOptions = {}) =>
  importAndRead(db, file, { force: true, ...opts });

const json = (v: unknown): Record<string, unknown> =>
  (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;

describe('HAR import', () => {
  it('maps entries exactly and rejects entries it cannot use', async () => {
    const { r, requests, rejects } = await load(fixture('har/edge-cases.har'));
    expect(r).toMatchObject({ format: 'har', lines: 4, accepted: 2, rejected: 2 });
    expect(rejects.map((x) => [x.line_no, x.reason])).toEqual([
      [3, 'HAR entry has no startedDateTime'],
      [4, 'HAR entry is not an object'],
    ]);
    expect(rejects[1]!.raw.toString()).toBe('"not an entry"');
    const [login, cart] = requests;
    expect(login).toMatchObject({
      line_no: 1,
      ts_us: Date.UTC(2024, 1, 1, 17, 0, 0, 125) * 1000,
      ip: null,
      method: 'POST',
      scheme: 'https',
      host: 'shop.example',
      path: '/login',
      query: 'next=%2Fcart',
      protocol: 'HTTP/1.1',
      status: 302,
      latency_ms: 85.5,
      req_bytes: 31,
      resp_bytes: 0, // bodySize unknown (-1): the decoded content size
      user_agent: 'Mozilla/5.0 (fixture)',
      request_id: 'req-42',
      cookies: 'pre=1',
      req_body: 'user=alice&pass=%27%20or%201%3D1',
      resp_body: null,
    });
    expect(json(login!.headers)).toEqual({
      host: 'shop.example',
      'user-agent': 'Mozilla/5.0 (fixture)',
      'content-type': 'application/x-www-form-urlencoded',
      'x-request-id': 'req-42',
    });
    // Both Set-Cookie headers survive, whatever their case, one per line.
    expect(json(login!.resp_headers)).toEqual({
      'set-cookie': 'sid=S-123; Path=/; HttpOnly\ntheme=dark, light; Path=/',
      location: '/cart',
    });
    expect(json(login!.extra)).toEqual({
      pageref: 'page_1',
      _initiator: { type: 'parser' },
      request: {
        cookies: [{ name: 'pre', value: '1' }],
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          params: [
            { name: 'user', value: 'alice' },
            { name: 'pass', value: '%27%20or%201%3D1' },
          ],
        },
        headersSize: null,
      },
      response: {
        statusText: 'Found',
        httpVersion: 'HTTP/1.1',
        cookies: [{ name: 'sid', value: 'S-123', path: '/', httpOnly: true }],
        content: { size: 0, mimeType: 'text/html' },
        redirectURL: '/cart',
        headersSize: null,
        bodySize: null,
      },
      timings: { blocked: -1, dns: -1, connect: -1, send: 1, wait: 80, receive: 4.5 },
      serverIPAddress: '192.0.2.80',
    });
    expect(cart).toMatchObject({
      line_no: 2,
      ts_us: Date.UTC(2024, 1, 1, 17, 0, 1) * 1000,
      protocol: 'h2',
      status: 200,
      latency_ms: 12,
      req_bytes: 0,
      resp_bytes: 8,
      headers: null,
      cookies: 'sid=S-123; theme=dark', // rebuilt from the cookie list
      resp_body: 'eyJvayI6MX0=', // kept as exported; extra says it is base64
    });
    expect(json(cart!.extra)).toMatchObject({
      request: { headersSize: 120 },
      response: { content: { size: 11, mimeType: 'application/json', encoding: 'base64' } },
    });
  });

  it('keeps the complete entries of a cut-off HAR and rejects the broken one', async () => {
    const text = readFileSync(fixture('har/edge-cases.har'), 'utf8');
    const cut = text.slice(0, text.indexOf('"eyJvayI6MX0="'));
    const { r, requests, rejects } = await load(ws.file('cut.har', cut));
    expect(r).toMatchObject({ format: 'har', lines: 2, accepted: 1, rejected: 1 });
    expect(requests[0]).toMatchObject({ line_no: 1, path: '/login' });
    expect(rejects[0]).toMatchObject({ line_no: 2 });
    expect(rejects[0]!.reason).toMatch(/^HAR entry 2 is cut off or malformed: /);
  });

  it('reads on past an entry damaged in the middle, and says which bytes could not be read', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({
      startedDateTime: `2024-05-01T10:00:${String(i).padStart(2, '0')}.000Z`,
      time: 12.5,
      request: {
        method: 'GET',
        url: `https://shop.example/p${i + 1}`,
        headers: [{ name: 'User-Agent', value: 'ua' }],
      },
      response: { status: 200, headers: [], cookies: [] },
      timings: { send: 0, wait: 10, receive: 2 },
    }));
    const whole = JSON.stringify({ log: { version: '1.2', entries } });
    // Entry 4 loses its time and gains a stray "}": its request and response are left behind.
    const at = whole.indexOf('"startedDateTime":"2024-05-01T10:00:03.000Z","time":12.5,');
    const text = `${whole.slice(0, at)}"startedDateTime":} ${whole.slice(at + 56)}`;
    const from = whole.lastIndexOf('{', at);
    const next = text.indexOf('{"startedDateTime":"2024-05-01T10:00:04');
    const { r, requests, rejects } = await load(ws.file('mid.har', text));
    expect(r).toMatchObject({ format: 'har', lines: 12, accepted: 11, rejected: 1 });
    expect(requests.map((x) => x.line_no)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(requests[3]).toMatchObject({ path: '/p5' });
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ line_no: 4 });
    expect(rejects[0]!.reason).toMatch(
      new RegExp(
        `^HAR entry 4 is cut off or malformed: .*; bytes ${from} to ${next - 2} could not be read; reading resumed at byte ${next}$`,
      ),
    );
    // The damaged entry is kept whole, leftovers included.
    expect(rejects[0]!.raw.toString()).toBe(text.slice(from, next - 1));
  });

  it('records a HAR broken outside its entries: what was not read is a reject with its bytes', async () => {
    const entry = {
      startedDateTime: '2024-05-01T10:00:00.000Z',
      request: { method: 'GET', url: 'https://shop.example/' },
      response: { status: 200 },
    };
    const head = JSON.stringify({ log: { version: '1.2', entries: [entry] } }).slice(0, -2);
    const text = `${head}, "pages": ]}} ${'x'.repeat(100)}`;
    const { r, rejects } = await load(ws.file('tail.har', text));
    expect(r).toMatchObject({ lines: 2, accepted: 1, rejected: 1 });
    const breakAt = text.indexOf(']}}');
    expect(rejects[0]!.reason).toBe(
      `invalid JSON after 1 HAR entries: unexpected "]" at byte ${breakAt}; the rest of the input (${text.length - breakAt} bytes, ${breakAt} to ${text.length - 1}) was not read`,
    );
  });

  it('keeps session cookies listed only in response.cookies, under a name no header has', async () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          {
            startedDateTime: '2024-05-01T11:00:00.000Z',
            request: { method: 'GET', url: 'https://shop.example/login', headers: [] },
            response: {
              status: 200,
              headers: [],
              cookies: [
                { name: 'sid', value: 'BBB222', path: '/', httpOnly: true, secure: false },
                { name: 'theme', value: 'dark' },
              ],
            },
          },
          {
            startedDateTime: '2024-05-01T11:00:01.000Z',
            request: { method: 'GET', url: 'https://shop.example/a', headers: [] },
            response: {
              status: 200,
              headers: [{ name: 'Set-Cookie', value: 'x=1' }],
              cookies: [{ name: 'y', value: '2' }],
            },
          },
        ],
      },
    };
    const { requests } = await load(ws.file('cookies.har', JSON.stringify(har)));
    // Not as a Set-Cookie header: the server's headers are as the file wrote them.
    expect(json(requests[0]!.resp_headers)).toEqual({
      'set-cookie (from response.cookies)': 'sid=BBB222; Path=/; HttpOnly\ntheme=dark',
    });
    // The list stays in extra as the file wrote it.
    expect(json(requests[0]!.extra)).toMatchObject({
      response: { cookies: har.log.entries[0]!.response.cookies },
    });
    // A Set-Cookie header is what the server sent: the list does not add to it.
    expect(json(requests[1]!.resp_headers)).toEqual({ 'set-cookie': 'x=1' });
  });

  it('reads a HAR with a BOM, and refuses a JSON file that is not a HAR', async () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 't', version: '1' },
        entries: [
          {
            startedDateTime: '2024-01-01T00:00:00.000+05:30',
            time: -1,
            request: {
              method: 'GET',
              url: 'http://h/',
              headers: [{ name: '__proto__', value: 'x' }],
            },
            response: { status: 204, headers: [] },
          },
        ],
      },
    };
    const { requests } = await load(ws.file('bom.har', '\uFEFF' + JSON.stringify(har)));
    expect(requests[0]).toMatchObject({
      ts_us: Date.UTC(2023, 11, 31, 18, 30) * 1000,
      latency_ms: null,
      status: 204,
    });
    expect(json(requests[0]!.headers)).toEqual({ ['__proto__']: 'x' });
    const notHar = ws.file('array.json', '[{"a":1}]');
    await expect(importSource(db, notHar, { format: 'har' })).rejects.toThrow(
      'not a HAR file: it begins with an array, not a JSON object',
    );
    await expect(importSource(db, notHar, { format: 'har' })).rejects.toBeInstanceOf(AppError);
    expect(db.prepare('SELECT count(*) n FROM sources').get()).toEqual({ n: 1 });
  });

  it('imports its own example, and a cancelled import leaves the case unchanged', async () => {
    const file = ws.file('example.har', harFormat.example);
    const { r, requests } = await load(file);
    expect(r).toMatchObject({ format: 'har', lines: 1, accepted: 1 });
    expect(requests[0]).toMatchObject({ host: 'example.com', status: 200, latency_ms: 14.7 });
    const ctl = new AbortController();
    const run = importSource(
      db,
      fixture('har/edge-cases.har'),
      {},
      {
        signal: ctl.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.phase === 'parsing') ctl.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(db.prepare('SELECT count(*) n FROM requests').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) n FROM sources').get()).toEqual({ n: 1 });
  });

  it('is sniffed from its head even when pages push entries past the sample', () => {
    const pages = Array.from({ length: 2000 }, (_, i) => ({
      id: `page_${i}`,
      startedDateTime: '2024-01-01T00:00:00Z',
      title: 'x'.repeat(40),
    }));
    const text = JSON.stringify(
      { log: { version: '1.2', creator: { name: 'c' }, pages, entries: [] } },
      null,
      2,
    );
    const head = Buffer.from(text).subarray(0, 64 * 1024);
    expect(head.toString().includes('"entries"')).toBe(false);
    const sample = makeSniffSample(head, 'capture.json');
    expect(sniffHar(sample)).toBeGreaterThan(0.95);
    expect(sniffFormat(sample).format.id).toBe('har');
    // A one-line HAR is not JSON lines either.
    expect(
      sniffFormat(makeSniffSample(Buffer.from('{"log":{"version":"1.2","entries":[]}}'), 'a.har'))
        .format.id,
    ).toBe('har');
  });

  it('keeps an omitted body out of resp_body and describes it in extra', () => {
    const entry = {
      startedDateTime: '2024-01-01T00:00:00Z',
      request: { method: 'GET', url: 'https://h/x' },
      response: { status: 200, content: { text: new OmittedString(9, 'ab', 'head') } },
    };
    const rec = mapHarEntry(entry, 'UTC');
    if (typeof rec === 'string') throw new Error(rec);
    expect(rec.respBody).toBeNull();
    expect(JSON.parse(JSON.stringify(rec.extra))).toEqual({
      response: {
        content: {
          text: {
            _omitted: `string longer than ${MAX_STRING_BYTES} bytes`,
            bytes: 9,
            sha256: 'ab',
            head: 'head',
          },
        },
      },
    });
  });

  // The core suite covers this path with small limits (streamedJson.test.ts); set
  // SS_SLOW_TESTS=1 to run it at full size (about 5-10 s).
  it.runIf(SLOW)('omits a ~50 MB body (hashed, never held whole) and reads on', async () => {
    const file = path.join(ws.dir, 'big-body.har');
    const body = bigBase64(50 * 1024 * 1024);
    const fd = openSync(file, 'w');
    writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[');
    writeSync(fd, entryJson(0, body));
    writeSync(fd, ',' + entryJson(1, 'small'));
    writeSync(fd, ']}}');
    closeSync(fd);
    const { r, requests } = await load(file);
    expect(r).toMatchObject({ lines: 2, accepted: 2, rejected: 0 });
    expect(requests[0]!.resp_body).toBeNull();
    const content = (json(requests[0]!.extra).response as Record<string, unknown>)
      .content as Record<string, unknown>;
    expect(content.text).toEqual({
      _omitted: `string longer than ${MAX_STRING_BYTES} bytes`,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      head: body.slice(0, 256),
    });
    expect(requests[1]).toMatchObject({ line_no: 2, resp_body: 'small', path: '/1' });
  });

  // A HAR bigger than V8's ~512 MB string limit; run with SS_SLOW_TESTS=1 (takes tens of seconds).
  it.runIf(SLOW)(
    'imports a 600 MB HAR that could never be read as one string',
    async () => {
      const file = path.join(ws.dir, 'huge.har');
      const body = bigBase64(100 * 1024 * 1024);
      const fd = openSync(file, 'w');
      writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[');
      for (let i = 0; i < 6; i++) writeSync(fd, (i > 0 ? ',' : '') + entryJson(i, body));
      writeSync(fd, ']}}');
      closeSync(fd);
      const started = Date.now();
      const { r, requests } = await load(file);
      expect(r).toMatchObject({ lines: 6, accepted: 6, rejected: 0 });
      expect(requests.map((x) => x.path)).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
      const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      console.log(`600 MB HAR imported in ${Date.now() - started} ms; peak RSS ${rssMb} MB`);
    },
    600_000,
  );
});

function bigBase64(chars: number): string {
  const unit = Buffer.alloc(3 * 1024, 7).toString('base64'); // 4096 chars
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

function entryJson(i: number, text: string): string {
  const head = JSON.stringify({
    startedDateTime: `2024-01-01T00:00:0${i}.000Z`,
    time: 1,
    request: { method: 'GET', url: `https://big.example/${i}`, headers: [], bodySize: 0 },
    response: {
      status: 200,
      headers: [],
      bodySize: text.length,
      content: { size: text.length, mimeType: 'image/png', encoding: 'base64', text: '' },
    },
  });
  // Splice the body in without building one more copy of the whole entry.
  return head.replace('"text":""', () => `"text":${JSON.stringify(text)}`);
}

describeCorpus('HAR import: corpus', () => {
  const cases: [string, number][] = [
    ['mitmproxy_chrome.har', 3],
    ['mitmproxy_firefox.har', 14],
    ['mitmproxy_safari.har', 19],
    ['mitmproxy_charles.har', 1],
    ['mitmproxy_insomnia.har', 1],
    ['mitmproxy_postdata.har', 1],
    ['mitmproxy_with-bom.har', 1],
  ];
  for (const [name, entries] of cases) {
    it(`${name}: ${entries} entries, all stored`, async () => {
      const { r } = await load(corpusFile(`C_har/${name}`));
      expect(r).toMatchObject({ format: 'har', lines: entries, accepted: entries, rejected: 0 });
    });
  }

  it('chrome: -07:00-free Z stamps, a failed request with status 0, cookies from the header', async () => {
    const { requests } = await load(corpusFile('C_har/mitmproxy_chrome.har'));
    expect(requests[0]).toMatchObject({
      ts_us: Date.parse('2023-03-30T00:00:54.250Z') * 1000,
      method: 'GET',
      host: 'mitmproxy.org',
      path: '/',
      protocol: 'http/2.0',
      status: 304,
      resp_bytes: 0,
      referer: 'https://www.google.com/',
    });
    expect(json(requests[0]!.extra)).toMatchObject({
      serverIPAddress: '108.138.246.80',
      pageref: 'page_1',
      _resourceType: 'document',
    });
    expect(requests[1]).toMatchObject({ status: 0, host: 'www.google.com' });
    expect(json(requests[1]!.extra)).toMatchObject({
      response: { _error: 'net::ERR_INTERNET_DISCONNECTED', bodySize: null },
    });
    expect(String(requests[2]!.cookies)).toMatch(
      /^SID=YAieF18TdLas-8SKhGKNYvnieZbB1wJ1jf2tW44mAWYKcppPKLvK_Ok7/,
    );
    expect((json(requests[2]!.extra).request as Record<string, unknown[]>).cookies).toHaveLength(
      21,
    );
  });

  it('firefox and charles: -07:00 offsets are honoured', async () => {
    const ff = await load(corpusFile('C_har/mitmproxy_firefox.har'));
    expect(ff.requests[0]).toMatchObject({
      ts_us: Date.parse('2023-03-29T23:58:59.303Z') * 1000,
      protocol: 'HTTP/3',
      status: 304,
      resp_bytes: 5509,
      latency_ms: 23,
    });
    const ch = await load(corpusFile('C_har/mitmproxy_charles.har'));
    expect(ch.requests[0]).toMatchObject({
      ts_us: Date.parse('2023-03-30T00:37:42.482Z') * 1000,
      query: '=',
      user_agent: 'Charles/4.6.3',
      latency_ms: 107,
      resp_bytes: 23866,
    });
    expect(String(ch.requests[0]!.resp_body)).toMatch(/^<!DOCTYPE html>/);
  });

  it('postData and the BOM copy give the same POST', async () => {
    const a = await load(corpusFile('C_har/mitmproxy_postdata.har'));
    const b = await load(corpusFile('C_har/mitmproxy_with-bom.har'));
    for (const { requests } of [a, b]) {
      expect(requests[0]).toMatchObject({
        ts_us: Date.parse('2023-07-15T13:37:26.093Z') * 1000,
        method: 'POST',
        host: 'signal-metrics-collector-beta.s-onetag.com',
        path: '/metrics',
        status: 200,
        req_bytes: 1310,
      });
      expect(String(requests[0]!.req_body)).toMatch(/^\{"metadata":\{"pageViewId":1689428126308,/);
    }
    expect(b.requests[0]!.req_body).toBe(a.requests[0]!.req_body);
  });

  it('safari: 19 entries with large embedded bodies', async () => {
    const { requests } = await load(corpusFile('C_har/mitmproxy_safari.har'));
    expect(requests[0]).toMatchObject({
      ts_us: Date.parse('2023-03-30T00:13:32.418Z') * 1000,
      protocol: 'HTTP/2',
      resp_bytes: 5150,
    });
    expect(String(requests[1]!.resp_body).length).toBe(248261);
  });
});
