import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import type { TimelineBarJson } from './timelineCmd.js';

const ws = tempWorkspace('ss-cli-timeline-');
const casePath = `${ws.dir}/t.sscase`;

/** A combined-log line at 2024-10-10 13:mm:ss UTC. */
function line(mm: number, ss: number, status: number, ip = '203.0.113.7'): string {
  const at = `10/Oct/2024:13:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')} +0000`;
  return `${ip} - - [${at}] "GET /a HTTP/1.1" ${status} 512 "-" "x"`;
}

interface TimelineJson {
  widthUs: number;
  total: number;
  caseFirstUs: number;
  caseLastUs: number;
  bars: TimelineBarJson[];
}

const T = (mm: number, ss: number) => Date.UTC(2024, 9, 10, 13, mm, ss) * 1000;

beforeAll(async () => {
  const file = ws.file(
    'a.log',
    [
      line(0, 5, 200),
      line(0, 50, 404),
      line(1, 10, 500, '198.51.100.2'),
      line(1, 11, 302),
      line(9, 59, 200, '198.51.100.2'),
    ].join('\n') + '\n',
  );
  expect((await cli('import', casePath, file, '--format', 'combined', '--json')).code).toBe(0);
});
afterAll(() => ws.cleanup());

describe('timeline', () => {
  it('gives the requests per bar and status class, with each bar’s first and last request', async () => {
    const r = await cli('timeline', casePath, '--bars', '10', '--json');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as TimelineJson;
    expect([t.widthUs, t.total, t.caseFirstUs, t.caseLastUs]).toEqual([60e6, 5, T(0, 5), T(9, 59)]);
    expect(t.bars).toHaveLength(10);
    expect(t.bars[0]).toEqual({
      startUs: T(0, 0),
      endUs: T(1, 0),
      start: '2024-10-10T13:00:00.000Z',
      end: '2024-10-10T13:01:00.000Z',
      requests: 2,
      s2xx: 1,
      s3xx: 0,
      s4xx: 1,
      s5xx: 0,
      other: 0,
      firstUs: T(0, 5),
      lastUs: T(0, 50),
      firstSeen: '2024-10-10T13:00:05.000Z',
      lastSeen: '2024-10-10T13:00:50.000Z',
    });
    expect(t.bars.map((b) => b.requests)).toEqual([2, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
    // An empty bar says so: no first or last request.
    expect(t.bars[2]).toMatchObject({ requests: 0, firstUs: null, lastSeen: null });
  });

  it('counts only what the filters match', async () => {
    const r = await cli('timeline', casePath, '--ip', '198.51.100.2', '--bars', '10', '--json');
    const t = JSON.parse(r.out) as TimelineJson;
    expect(t.total).toBe(2);
    expect(t.bars.map((b) => [b.requests, b.s5xx])).toEqual([
      [0, 0],
      [1, 1],
      ...Array.from({ length: 7 }, () => [0, 0]),
      [1, 0],
    ]);
  });

  it('prints a table with a bar of marks scaled to the busiest', async () => {
    const r = await cli('timeline', casePath, '--bars', '10');
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toMatch(/^from \(UTC\)\s+requests\s+2xx\s+3xx\s+4xx\s+5xx\s+other/);
    expect(rows[1]).toMatch(/^2024-10-10T13:00:00\.000Z\s+2\s+1\s+0\s+1\s+0\s+0\s+#{40}$/);
    expect(rows[10]).toMatch(/\s1\s+1\s+0\s+0\s+0\s+0\s+#{20}$/);
    expect(rows.at(-1)).toBe('5 requests, 10 bars of 60 s');
  });

  it('says when the range holds no request', async () => {
    const r = await cli('timeline', casePath, '--from', '2030-01-01T00:00:00Z');
    expect([r.code, r.out.trim()]).toEqual([0, 'no requests in the range']);
    const j = JSON.parse(
      (await cli('timeline', casePath, '--from', '2030-01-01T00:00:00Z', '--json')).out,
    );
    expect(j).toEqual({
      widthUs: 0,
      total: 0,
      caseFirstUs: T(0, 5),
      caseLastUs: T(9, 59),
      bars: [],
    });
  });

  it('refuses a bar count out of range', async () => {
    for (const bad of ['0', '1001', 'x']) {
      const r = await cli('timeline', casePath, '--bars', bad);
      expect(r.code, bad).toBe(1);
      expect(r.err).toMatch(/--bars/);
    }
  });
});
