import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors.js';
import type { CaseDb } from '../../store/openCase.js';
import { corpusFile, describeCorpus } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importSource, type ImportOptions } from '../importSource.js';
import { csvFormat, describeCsvMapping, guessDelimiter, splitCells } from './csv.js';
import { assertPlanHasTime, planCsvColumns } from './csvFieldMap.js';
import { albFormat } from './alb.js';
import { haproxyFormat } from './haproxy.js';
import { makeSniffSample } from './index.js';
import type { RecordSink } from './types.js';
import { w3cFormat } from './w3c.js';

type Row = Record<string, unknown>;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-csv-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

async function load(name: string, content: string | Buffer, opts: ImportOptions = {}) {
  const r = await importSource(db, ws.file(name, content), { format: 'csv', ...opts });
  const requests = db
    .prepare('SELECT * FROM requests WHERE source_id = ? ORDER BY line_no')
    .all(r.sourceId) as Row[];
  const rejects = db
    .prepare('SELECT line_no, reason, raw FROM rejects WHERE source_id = ? ORDER BY line_no')
    .all(r.sourceId) as { line_no: number; reason: string; raw: Buffer }[];
  expect(r.accepted + r.rejected).toBe(r.lines);
  expect(requests.length).toBe(r.accepted);
  expect(rejects.length).toBe(r.rejected);
  return { r, requests, rejects };
}

const iso = (us: unknown): string => new Date(Number(us) / 1000).toISOString();

describe('csv import: edge cases', () => {
  it('reads BOM, CRLF, quoted newlines, placeholders, IPv6, extra and missing columns', async () => {
    const csv = [
      '\uFEFFTimestamp,Client-IP,Method,URL,Status,request_time,Bytes,User Agent,Tenant',
      '2024-03-01T10:00:00Z,203.0.113.7,get,/a?x=1,200,0.25,512,"Mozilla/5.0 (X11, Linux)",acme',
      '2024-03-01T10:00:01+02:00,2001:db8::1,POST,/login,302,-,-,"multi',
      'line ""agent""",',
      '2024-03-01T10:00:02Z,198.51.100.2,GET,/short',
      '',
      '2024-03-01T10:00:03Z,198.51.100.3,GET,/wide,404,0.001,1,ua,t,surplus',
      'yesterday,198.51.100.4,GET,/bad-time,200,,,,',
    ].join('\r\n');
    const { r, requests, rejects } = await load('edge.csv', csv + '\r\n');
    expect(r.format).toBe('csv');
    expect(r.lines).toBe(7); // the quoted newline joins two physical lines into one record
    expect(r.accepted).toBe(4);
    expect(rejects.map((x) => [x.line_no, x.reason])).toEqual([
      [1, 'header row'],
      [6, 'empty line'],
      [8, 'bad timestamp in column Timestamp: yesterday'],
    ]);
    const [a, b, c, d] = requests;
    expect(a).toMatchObject({
      line_no: 2,
      ip: '203.0.113.7',
      method: 'GET',
      path: '/a',
      query: 'x=1',
      status: 200,
      latency_ms: 250,
      resp_bytes: 512,
      user_agent: 'Mozilla/5.0 (X11, Linux)',
    });
    expect(iso(a!.ts_us)).toBe('2024-03-01T10:00:00.000Z');
    expect(JSON.parse(a!.extra as string)).toEqual({ Tenant: 'acme' });
    expect(b).toMatchObject({
      line_no: 3,
      ip: '2001:db8::1',
      status: 302,
      latency_ms: null,
      resp_bytes: null,
      // The file's break inside the quoted cell is CR LF, and the cell keeps it byte for byte.
      user_agent: 'multi\r\nline "agent"',
      extra: null,
    });
    expect(iso(b!.ts_us)).toBe('2024-03-01T08:00:01.000Z');
    expect(c).toMatchObject({ line_no: 5, path: '/short', status: null, user_agent: null });
    expect(d).toMatchObject({ line_no: 7, status: 404, latency_ms: 1, resp_bytes: 1 });
    expect(JSON.parse(d!.extra as string)).toEqual({ Tenant: 't', column_9: 'surplus' });
  });

  it('keeps text cells as written (spaces, a leading tab or CR) and reads numbers trimmed', async () => {
    const csv = [
      'time,ip,path,status,bytes,user_agent,referer,user,note',
      // Quoted and bare leading whitespace: what hides a formula from a spreadsheet's eye.
      '2024-03-01T10:00:00Z, 10.0.0.1 ,/a, 200 , 512 ,"\r=1+1",\t=1+1, =lead space," x "',
      '2024-03-01T10:00:01Z,10.0.0.2,/b, - ,,"  ", - ,,',
    ].join('\n');
    const { requests } = await load('spaces.csv', csv + '\n');
    expect(requests[0]).toMatchObject({
      ip: '10.0.0.1',
      path: '/a',
      status: 200,
      resp_bytes: 512,
      user_agent: '\r=1+1',
      referer: '\t=1+1',
      src_user: ' =lead space',
    });
    expect(JSON.parse(requests[0]!.extra as string)).toEqual({ note: ' x ' });
    // A cell of spaces, or a dash among them, is still absent.
    expect(requests[1]).toMatchObject({ status: null, user_agent: null, referer: null });
    expect(requests[1]!.extra).toBeNull();
  });

  it('keeps the bytes of a row that is not valid UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('time,ip,path\n2024-01-01 00:00:00,10.0.0.1,/caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('\n'),
    ]);
    const { requests } = await load('latin1.csv', bytes);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe('/caf\uFFFD\uFFFD');
    const extra = JSON.parse(requests[0]!.extra as string) as Record<string, string>;
    expect(extra._encoding).toBe('invalid-utf8');
    expect(Buffer.from(extra._raw_base64!, 'base64').subarray(-2)).toEqual(
      Buffer.from([0xe9, 0xff]),
    );
  });

  it('detects tab and semicolon delimiters and joins date + time columns', async () => {
    const tsv =
      'date\ttime\tc-ip\tcs-method\tcs-uri-stem\tsc-status\ttime-taken\n' +
      '2024-05-06\t07:08:09\t10.1.1.1\tGET\t/x\t500\t31\n';
    const t = await load('iis.tsv', tsv);
    expect(t.requests[0]).toMatchObject({
      ip: '10.1.1.1',
      path: '/x',
      status: 500,
      latency_ms: 31,
    });
    expect(iso(t.requests[0]!.ts_us)).toBe('2024-05-06T07:08:09.000Z');

    const semi = 'ts;ip;request;status\n1714980489;10.0.0.9;"GET /q?a=1;b HTTP/1.1";201\n';
    const s = await load('semi.csv', semi);
    expect(s.requests[0]).toMatchObject({
      ip: '10.0.0.9',
      method: 'GET',
      path: '/q',
      query: 'a=1;b',
      protocol: 'HTTP/1.1',
      status: 201,
    });
    expect(iso(s.requests[0]!.ts_us)).toBe('2024-05-06T07:28:09.000Z');
    expect(guessDelimiter(['a;b;c', '1;2;3']).delim).toBe(';');
  });

  it('reads a header-less file by content, and --map by index overrides', async () => {
    const rows =
      '[29/Nov/2017:06:58:55,10.0.0.1,GET /a HTTP/1.1,200,x\n' +
      '[29/Nov/2017:06:58:56,10.0.0.2,GET /b HTTP/1.1,404,y\n';
    const auto = await load('nohead.csv', rows);
    expect(auto.requests[0]).toMatchObject({ ip: '10.0.0.1', path: '/a', status: 200 });
    expect(JSON.parse(auto.requests[0]!.extra as string)).toEqual({ column_4: 'x' });
    expect(iso(auto.requests[0]!.ts_us)).toBe('2017-11-29T06:58:55.000Z');

    const mapped = await load('nohead2.csv', rows, {
      map: { '4': 'user', '3': 'extra' },
      force: true,
    });
    expect(mapped.requests[1]).toMatchObject({ src_user: 'y', status: null });
    expect(JSON.parse(mapped.requests[1]!.extra as string)).toEqual({ column_3: '404' });
  });

  it('honours --tz for times without an offset and maps by header name with --map', async () => {
    const csv = 'when,who,what\n2024-07-01 12:00:00,alice,/w\n2024-07-01 12:00:01,bob,/s?q=a b\n';
    const { requests } = await load('tz.csv', csv, {
      tz: 'Europe/Berlin',
      map: { when: 'timestamp', who: 'user', what: 'url' },
    });
    expect(iso(requests[0]!.ts_us)).toBe('2024-07-01T10:00:00.000Z');
    expect(requests[0]).toMatchObject({ src_user: 'alice', path: '/w' });
    // An unencoded space does not make a target a request line.
    expect(requests[1]).toMatchObject({ path: '/s', query: 'q=a b', method: null });
  });

  it('refuses an unknown --map field or column, and a file with no time column', async () => {
    const csv = 'time,ip\n2024-01-01T00:00:00Z,10.0.0.1\n';
    const bad = load('m.csv', csv, { map: { ip: 'clientaddr' } });
    await expect(bad).rejects.toThrow(AppError);
    await expect(bad).rejects.toThrow(/unknown field "clientaddr".*timestamp, ip, xff/);
    await expect(load('m2.csv', csv, { map: { nope: 'ip' } })).rejects.toThrow(
      /no column "nope"\. Columns: 0=time, 1=ip/,
    );
    await expect(load('m3.csv', 'payload,length\nabc,3\n')).rejects.toThrow(
      /No column gives the request time/,
    );
    const sources = db.prepare('SELECT COUNT(*) n FROM sources').get() as { n: number };
    expect(sources.n).toBe(0);
  });

  it('rejects an unterminated quote without swallowing the lines after it', async () => {
    const csv =
      'time,ip,ua\n2024-01-01T00:00:00Z,10.0.0.1,"open\n2024-01-01T00:00:01Z,10.0.0.2,ok\n';
    const { r, requests, rejects } = await load('open.csv', csv);
    expect(r.lines).toBe(3);
    expect(rejects.map((x) => x.reason)).toEqual([
      'header row',
      'unterminated quoted field at end of file',
    ]);
    expect(rejects[1]!.line_no).toBe(2);
    expect(requests.map((x) => [x.line_no, x.ip, x.user_agent])).toEqual([[3, '10.0.0.2', 'ok']]);
  });
});

describe('csv sniffing and mapping preview', () => {
  const sniff = (text: string, name = 'x.log'): number =>
    csvFormat.sniff(makeSniffSample(Buffer.from(text), name));

  it('claims CSV with a header, not combined logs, JSON or W3C', () => {
    expect(sniff('timestamp,ip,url,status\n2024-01-01T00:00:00Z,1.2.3.4,/,200\n', 'a.csv')).toBe(1);
    expect(
      sniff(
        '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /a,b HTTP/1.1" 200 5 "-" "Mozilla/5.0 (a, b)"\n',
      ),
    ).toBe(0);
    expect(sniff('{"time":"2024-01-01T00:00:00Z","a":1,"b":2}\n')).toBe(0);
    expect(sniff('#Version: 1.0\n#Fields: date\ttime\tc-ip\n')).toBe(0);
    // A table without a time column is likely CSV but not confidently importable.
    const payloads = sniff('"payload","length","attack_type","label"\n"x","1","norm","norm"\n');
    expect(payloads).toBeGreaterThan(0);
    expect(payloads).toBeLessThan(0.5);
  });

  it('describes the mapping with first rows and their outcome', () => {
    const d = describeCsvMapping(
      'Time,Client IP,Path,Status,Staus2\n2024-01-01T00:00:00Z,1.2.3.4,/p,abc,q\nnot-a-time,1.2.3.5,/q,200,r\n',
      { tz: 'UTC', map: { Staus2: 'label' } },
    );
    expect(d.delimiter).toBe(',');
    expect(d.hasHeader).toBe(true);
    expect(d.columns.map((c) => [c.name, c.field, c.mappedBy])).toEqual([
      ['Time', 'timestamp', 'header'],
      ['Client IP', 'ip', 'header'],
      ['Path', 'url', 'header'],
      ['Status', 'status', 'header'],
      ['Staus2', 'label', 'map'],
    ]);
    expect(d.rows).toEqual([
      ['2024-01-01T00:00:00Z', '1.2.3.4', '/p', 'abc', 'q'],
      ['not-a-time', '1.2.3.5', '/q', '200', 'r'],
    ]);
    expect(d.problem).toBeNull();
    const [header, first, second] = d.preview;
    expect(header).toEqual({ lineNo: 1, reason: 'header row' });
    // A status that is not a number is kept in extra rather than lost.
    expect(first).toMatchObject({
      lineNo: 2,
      record: { status: null, srcLabel: 'q', extra: { Status: 'abc' } },
    });
    expect(second).toEqual({ lineNo: 3, reason: 'bad timestamp in column Time: not-a-time' });
  });
});

describe('csv time column choice', () => {
  const fields = (text: string): [string, string | null][] =>
    describeCsvMapping(text, { tz: 'UTC' }).columns.map((c) => [c.name, c.field]);

  it('skips a "time" column holding durations for a "date" column holding datetimes', () => {
    expect(
      fields('time,date,path\n0.250,2024-01-01T00:00:00Z,/a\n1.5,2024-01-01T00:00:01Z,/b\n'),
    ).toEqual([
      ['time', null],
      ['date', 'timestamp'],
      ['path', 'url'],
    ]);
  });

  it("maps the Kaggle copy's header, typo included", () => {
    expect(
      fields('IP,Time,URL,Staus\n10.128.2.1,[29/Nov/2017:06:58:55,GET /login.php HTTP/1.1,200\n'),
    ).toEqual([
      ['IP', 'ip'],
      ['Time', 'timestamp'],
      ['URL', 'url'],
      ['Staus', 'status'],
    ]);
  });

  it('pairs a date column with a time-of-day column', () => {
    expect(fields('Date,Time,Path\n2024-01-01,10:00:00,/a\n')).toEqual([
      ['Date', 'timestamp'],
      ['Time', 'timestamp'],
      ['Path', 'url'],
    ]);
  });
});

describeCorpus('csv corpus', () => {
  it('imports the header-less RUET OJ export, rejecting its stderr rows', async () => {
    const r = await importSource(db, corpusFile('E_csv/ruet-oj_weblog.csv'));
    expect(r).toMatchObject({ format: 'csv', lines: 16062, accepted: 15789, rejected: 273 });
    const first = db.prepare('SELECT * FROM requests WHERE line_no = 1').get() as Row;
    expect(first).toMatchObject({
      ip: '10.128.2.1',
      method: 'GET',
      path: '/login.php',
      protocol: 'HTTP/1.1',
      status: 200,
      extra: null,
    });
    expect(iso(first.ts_us)).toBe('2017-11-29T06:58:55.000Z');
    const chmod = db.prepare('SELECT reason, raw FROM rejects WHERE line_no = 950').get() as {
      reason: string;
      raw: Buffer;
    };
    expect(chmod.reason).toBe('bad timestamp in column #1: cannot');
    expect(chmod.raw.toString()).toBe("chmod:,cannot,'a.out':,No,directory,,,,,,,,,,,,,,,");
  });

  it('describes the header-less RUET OJ mapping found by content', () => {
    const head = readFileSync(corpusFile('E_csv/ruet-oj_weblog.csv')).subarray(0, 16384);
    const d = describeCsvMapping(head.toString('utf8'), { tz: 'UTC' }, 3);
    expect(d.hasHeader).toBe(false);
    expect(d.columns.slice(0, 5).map((c) => [c.name, c.field, c.mappedBy])).toEqual([
      ['column_0', 'ip', 'content'],
      ['column_1', 'timestamp', 'content'],
      ['column_2', 'url', 'content'],
      ['column_3', 'status', 'content'],
      ['column_4', null, null],
    ]);
    expect(d.columns).toHaveLength(20);
    expect(d.rows[1]!.slice(0, 4)).toEqual([
      '10.128.2.1',
      '[29/Nov/2017:06:59:02',
      'POST /process.php HTTP/1.1',
      '302',
    ]);
    expect(d.preview[1]).toMatchObject({
      lineNo: 2,
      record: { method: 'POST', path: '/process.php', status: 302 },
    });
  });

  it('maps the HttpParams header but refuses it for lacking a time column', async () => {
    const head = Buffer.from(
      '"payload","length","attack_type","label"\n"40184","5","norm","norm"\n',
    );
    expect(csvFormat.sniff(makeSniffSample(head, 'x.csv'))).toBeLessThan(0.5);
    await expect(
      importSource(db, corpusFile('B_labelled_attacks/httpparamsdataset_payload_test.csv'), {
        format: 'csv',
      }),
    ).rejects.toThrow(
      /No column gives the request time \(columns: payload, length, attack_type, label\)/,
    );
  });
});

describe('the no-time-column refusal names what the reader can use', () => {
  it('the CLI its --map flag, the app its column table, and no empty column list', () => {
    const plan = planCsvColumns([['who', 'what']], undefined);
    expect(() => assertPlanHasTime(plan)).toThrow(
      'No column gives the request time (columns: who, what). Use --map <column>=timestamp.',
    );
    expect(() => assertPlanHasTime(plan, 'app')).toThrow(
      'No column gives the request time (columns: who, what). In the column table, choose ' +
        '"timestamp" for the column that holds it.',
    );
    expect(() => assertPlanHasTime(planCsvColumns([], undefined), 'app')).toThrow(
      /^No column gives the request time: no column was found in the file\. In the column/,
    );
  });

  it('an import from the app says so too', async () => {
    const file = ws.file('no-time.csv', 'who,what\n203.0.113.9,GET\n');
    await expect(
      importSource(db, file, { format: 'csv', audience: 'app' }, { workerFile: false }),
    ).rejects.toThrow(/\(columns: who, what\)\. In the column table, choose "timestamp"/);
  });
});

describe('csv record splitting', () => {
  const cell = fc.stringMatching(/^[a,"\n ;]{0,6}$/);
  const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;

  it('round-trips any cells written with RFC 4180 quoting', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 2, maxLength: 6 }), fc.boolean(), (cells, always) => {
        const text = cells.map((v) => (always || /[",\n]/.test(v) ? quote(v) : v)).join(',');
        expect(splitCells(text, ',')).toEqual(cells);
      }),
    );
  });

  it('agrees with papaparse on arbitrary one-line text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a,"]{1,12}$/), (text) => {
        const ours = splitCells(text, ',');
        const papa = Papa.parse<string[]>(text, { delimiter: ',', newline: '\n' });
        if (papa.errors.some((e) => e.code === 'MissingQuotes')) {
          expect(ours).toMatch(/^malformed quoting/);
        } else {
          expect(ours).toEqual(papa.data[0]);
        }
      }),
    );
  });
});

describe('csv streaming', () => {
  function collect(limit = Infinity) {
    const seen = { accepted: 0, rejected: 0, lineNos: [] as number[] };
    const sink: RecordSink = {
      accept(lineNo) {
        seen.accepted++;
        seen.lineNos.push(lineNo);
      },
      reject(lineNo) {
        seen.rejected++;
        seen.lineNos.push(lineNo);
      },
    };
    return { seen, sink, shouldStop: () => seen.accepted >= limit };
  }
  const rows = (n: number): Buffer[] =>
    [Buffer.from('time,ip,ua\n')].concat(
      Array.from({ length: n }, (_, i) =>
        Buffer.from(
          `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,10.0.0.${i % 250},"a\nb"\n`,
        ),
      ),
    );

  it('counts one unit per record and numbers records by their first line', async () => {
    const { seen, sink, shouldStop } = collect();
    const units = await csvFormat.read(Readable.from(rows(500)), sink, {
      options: { tz: 'UTC' },
      shouldStop,
    });
    expect(units).toBe(501);
    expect(seen).toMatchObject({ accepted: 500, rejected: 1 });
    expect(seen.lineNos.slice(0, 4)).toEqual([1, 2, 4, 6]);
  });

  it('stops reading when asked', async () => {
    const { seen, sink, shouldStop } = collect(300);
    const units = await csvFormat.read(Readable.from(rows(5000)), sink, {
      options: { tz: 'UTC' },
      shouldStop,
    });
    expect(seen.accepted).toBeGreaterThanOrEqual(300);
    expect(seen.accepted).toBeLessThan(5000);
    expect(units).toBe(seen.accepted + seen.rejected);
  });
});

describeCorpus('sniffers of csv, w3c, alb and haproxy leave other corpus files alone', () => {
  const own: Record<string, string> = {
    'E_csv/ruet-oj_weblog.csv': 'csv',
    'D_proxy_lb_cdn/aws_alb_docs_examples.log': 'alb',
    'D_proxy_lb_cdn/lnav_haproxy_httplog_syslog.log': 'haproxy',
  };
  it.each([
    'A_access_logs/elastic-examples_apache_logs_semicomplete_2015.log',
    'A_access_logs/ocatak_apache_scanner_w3af_2016.log',
    'A_access_logs/zanbil-ir_nginx_combined_xff_2019_first10k.log',
    'B_labelled_attacks/csic2010_normalTrafficTest_every12th.txt',
    'B_labelled_attacks/httpparamsdataset_payload_test.csv',
    'C_har/mitmproxy_with-bom.har',
    'D_proxy_lb_cdn/aws_alb_docs_examples.log',
    'D_proxy_lb_cdn/lnav_caddy_json_docker-compose-prefixed.log',
    'D_proxy_lb_cdn/lnav_cloudflare_logpush.jsonl',
    'D_proxy_lb_cdn/lnav_haproxy_httplog_syslog.log',
    'E_csv/ruet-oj_weblog.csv',
    'F_openapi/oai_petstore.yaml',
  ])('%s', (rel) => {
    const head = readFileSync(corpusFile(rel)).subarray(0, 65536);
    const sample = makeSniffSample(head, rel.split('/').pop()!);
    for (const f of [csvFormat, w3cFormat, albFormat, haproxyFormat]) {
      const score = f.sniff(sample);
      if (own[rel] === f.id) expect(score).toBe(1);
      else expect(score, f.id).toBeLessThan(0.5);
    }
  });
});
