import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { corpusFile, describeCorpus, fixture } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import { albFormat } from './alb.js';
import { makeSniffSample } from './index.js';

type Row = Record<string, unknown>;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-alb-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const iso = (us: unknown): string => new Date(Number(us) / 1000).toISOString();
const extraOf = (r: Row | undefined): Record<string, unknown> =>
  JSON.parse(r!.extra as string) as Record<string, unknown>;

const load = (path: string) => importAndRead(db, path, {}, { raw: false });

describe('alb import', () => {
  it('reads ALB and classic ELB lines, IPv6 clients, -1 times and extra fields', async () => {
    const { r, requests, rejects } = await load(fixture('alb/edge.log'));
    expect(r).toMatchObject({ format: 'alb', lines: 6, accepted: 4, rejected: 2 });
    expect(rejects).toEqual([
      { line_no: 5, reason: 'unterminated quoted field' },
      { line_no: 6, reason: 'bad timestamp: yesterday' },
    ]);
    const [h2, failed, classic, tcp] = requests;
    expect(iso(h2!.ts_us)).toBe('2024-01-02T03:04:05.678Z');
    expect(h2!.ts_us).toBe(1704164645678901);
    expect(h2).toMatchObject({
      ip: '2001:db8::5',
      method: 'POST',
      scheme: 'https',
      host: 'api.example.com',
      path: '/v1/orders',
      query: 'id=9',
      protocol: 'HTTP/2.0',
      status: 200,
      latency_ms: 123,
      req_bytes: 310,
      resp_bytes: 1024,
      user_agent: 'Mozilla "quoted" 5.0',
      request_id: 'Root=1-65930000-aaaaaaaaaaaaaaaaaaaaaaaa',
    });
    expect(extraOf(h2)).toMatchObject({
      type: 'h2',
      client_port: 52000,
      'target:port': '10.0.0.1:8080',
      target_processing_time: '0.120',
      target_status_code: '201',
      domain_name: 'api.example.com',
      matched_rule_priority: '1',
      actions_executed: 'forward',
      conn_trace_id: 'TID_1234',
      field_32: 'extra-field',
    });
    expect(failed).toMatchObject({ ip: '2001:db8::6', status: 503, latency_ms: null });
    expect(extraOf(failed)).toMatchObject({
      client_port: 40000,
      request_processing_time: '-1',
      target_processing_time: '-1',
      response_processing_time: '-1',
    });
    expect(extraOf(failed)).not.toHaveProperty('target:port');
    expect(classic).toMatchObject({
      ip: '192.168.131.39',
      status: 200,
      latency_ms: 2.471,
      resp_bytes: 57,
      host: 'www.example.com',
    });
    expect(extraOf(classic)).toMatchObject({
      type: 'classic-elb',
      elb: 'my-loadbalancer',
      'backend:port': '10.0.0.1:80',
      backend_status_code: '200',
      ssl_protocol: 'TLSv1.2',
    });
    expect(tcp).toMatchObject({ status: null, method: null, req_bytes: 82, user_agent: null });
    expect(extraOf(tcp)).toMatchObject({ request_line: '- - - ' });
  });

  it('sniffs ALB and classic ELB without claiming combined or CSV lines', () => {
    const s = (t: string) => albFormat.sniff(makeSniffSample(Buffer.from(t + '\n'), 'x.log'));
    expect(
      s(
        'http 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://e/ HTTP/1.1" "-"',
      ),
    ).toBe(1);
    expect(
      s(
        '2015-05-13T23:39:43.945958Z my-lb 192.168.131.39:2817 10.0.0.1:80 0.000086 0.001048 0.001337 200 200 0 57 "GET https://e:443/ HTTP/1.1" "-" - -',
      ),
    ).toBe(1);
    expect(s('1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 5')).toBe(0);
    expect(s('time,ip\n2024-01-01T00:00:00Z,1.2.3.4')).toBe(0);
  });
});

describeCorpus('alb corpus', () => {
  it('imports the seven AWS documentation examples', async () => {
    const { r, requests } = await load(corpusFile('D_proxy_lb_cdn/aws_alb_docs_examples.log'));
    expect(r).toMatchObject({ format: 'alb', lines: 7, accepted: 7, rejected: 0 });
    expect(requests.map((x) => extraOf(x).type)).toEqual([
      'http',
      'https',
      'h2',
      'ws',
      'wss',
      'http',
      'http',
    ]);
    const https = requests[1]!;
    expect(https).toMatchObject({
      ip: '192.168.131.39',
      scheme: 'https',
      host: 'www.example.com',
      path: '/',
      status: 200,
      latency_ms: 171, // 0.086 + 0.048 + 0.037 s
      req_bytes: 0,
      resp_bytes: 57,
      user_agent: 'curl/7.46.0',
      request_id: 'Root=1-58337281-1d84f3d73c47ec4e58577259',
    });
    expect(extraOf(https)).toMatchObject({
      ssl_cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
      domain_name: 'www.example.com',
      actions_executed: 'authenticate,forward',
    });
    expect(iso(https.ts_us)).toBe('2018-07-02T22:23:00.186Z');
    expect(extraOf(requests[2]).redirect_url).toBe('https://example.com:80/');
    const lambdaFail = requests[6]!;
    expect(lambdaFail).toMatchObject({ status: 502, latency_ms: 1 });
    expect(extraOf(lambdaFail)).toMatchObject({ error_reason: 'LambdaInvalidResponse' });
    expect(extraOf(lambdaFail)).not.toHaveProperty('target_status_code');
  });
});
