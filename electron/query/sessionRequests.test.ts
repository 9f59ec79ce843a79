import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRequest } from '../../shared/contract/analysisApi.js';
import { baselineOf } from '../../shared/analysis/robustStats.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import {
  HUGE_PAGE_BYTES,
  sizeGroupsCapture,
  TIMEOUT_MS,
} from '../../test/fixtures/analysis/sizeGroupsCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { getRequestDetail } from './requestDetail.js';
import { listSessionRequests, sessionRequestsSql } from './sessionRequests.js';

const ws = tempWorkspace('ss-sessionrequests-');
afterAll(() => ws.cleanup());

const rows = sizeGroupsCapture();
const medianOf = (values: number[]): number => baselineOf(Float64Array.from(values)).median;
const sizes = (path: string, status: number): number[] =>
  rows.filter((r) => r.path === path && r.status === status).map((r) => r.respBytes!);

let db: CaseDb;
let requests: SessionRequest[];

beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'shop', rows);
  rebuild(db);
  const sid = db.prepare('SELECT sid FROM sessions').pluck().get() as string;
  requests = listSessionRequests(db, sid, {}, undefined, 1000).requests;
  expect(requests).toHaveLength(rows.length);
});

describe('a session’s requests with the baselines they were judged by', () => {
  it('shows a size against its endpoint and status class’s median', () => {
    const pagesMedian = medianOf(sizes('/account', 200));
    const huge = requests.find((r) => r.respBytes === HUGE_PAGE_BYTES)!;
    expect(huge.size).toEqual({
      value: HUGE_PAGE_BYTES,
      median: pagesMedian,
      z: expect.any(Number),
      outlier: true,
    });
    expect(pagesMedian).toBeGreaterThan(12_000);
    // Not the endpoint's median, which the redirects make.
    const endpointMedian = db
      .prepare("SELECT size_median FROM endpoints WHERE template = '/account'")
      .pluck()
      .get() as number;
    expect(endpointMedian).toBeLessThan(200);
    const redirect = requests.find((r) => r.path === '/account' && r.status === 302)!;
    expect(redirect.size).toMatchObject({ median: medianOf(sizes('/account', 302)) });
    expect(redirect.size!.outlier).toBe(false);
    // The request's detail reads the same columns.
    expect(getRequestDetail(db, huge.id).size).toEqual(huge.size);
  });

  it('shows a latency against its endpoint’s median, whatever its status', () => {
    const search = rows.filter((r) => r.path === '/api/search').map((r) => r.latencyMs!);
    const timeout = requests.find((r) => r.latencyMs === TIMEOUT_MS)!;
    expect(timeout.status).toBe(504);
    expect(timeout.latency).toMatchObject({ median: medianOf(search), outlier: true });
    // Its size is not judged: the 504 is alone in its class.
    expect(timeout.size).toBeNull();
    expect(getRequestDetail(db, timeout.id).latency).toEqual(timeout.latency);
  });

  it('looks each request’s size baseline up by its key', () => {
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${sessionRequestsSql('1', false)}`).all(1, 1, 0, 1, 100) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.join(' | ')).toMatch(
      /SEARCH sb USING PRIMARY KEY \(endpoint_id=\? AND status_class=\?\)/,
    );
  });
});
