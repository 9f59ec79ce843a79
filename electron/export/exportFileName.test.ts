import { describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { exportFileName } from './exportFileName.js';

const CASE = '/cases/inv1.sscase';
const f = (input: unknown) => filtersSchema.parse(input);

describe('exportFileName', () => {
  it('keeps the plain names for an unfiltered export', () => {
    expect(exportFileName(CASE)).toBe('inv1-requests.csv');
    expect(exportFileName(CASE, { filters: {} })).toBe('inv1-requests.csv');
    expect(exportFileName(CASE, { table: 'endpoints', endpointFilters: {} })).toBe(
      'inv1-endpoints.csv',
    );
    expect(exportFileName('/cases/My Case.sscase', { table: 'endpoints' })).toBe(
      'My_Case-endpoints.csv',
    );
  });

  it('names the session and the time range, and hashes the other filters', () => {
    const range = f({ from: '2026-03-12T10:21:40+01:00', to: '2026-03-12T10:00:00.500Z' });
    expect(exportFileName(CASE, { filters: range })).toBe(
      'inv1-requests-20260312T092140Z-20260312T100000Z.csv',
    );
    expect(exportFileName(CASE, { filters: f({ from: '2026-03-12T09:00:00Z' }) })).toBe(
      'inv1-requests-20260312T090000Z-end.csv',
    );
    const name = exportFileName(CASE, {
      sessionId: 's0123456789abcdef',
      filters: f({ statuses: ['4xx'], users: ['alice'] }),
    });
    expect(name).toMatch(/^inv1-session-s0123456789abcdef-f[0-9a-f]{8}\.csv$/);
    // Deterministic: the same filters, in any key order, give the same name; others another.
    expect(
      exportFileName(CASE, {
        sessionId: 's0123456789abcdef',
        filters: f({ users: ['alice'], statuses: ['4xx'] }),
      }),
    ).toBe(name);
    expect(
      exportFileName(CASE, { sessionId: 's0123456789abcdef', filters: f({ users: ['bob'] }) }),
    ).not.toBe(name);
    expect(
      exportFileName(CASE, { table: 'endpoints', endpointFilters: { levels: ['High'] } }),
    ).toMatch(/^inv1-endpoints-f[0-9a-f]{8}\.csv$/);
  });

  it('never puts filter text (hostile log text) into the name', () => {
    const hostile = f({ users: ['../../etc/passwd"; rm -rf'], text: 'a\x1b[31m/b' });
    const name = exportFileName('/x/"evil\n.sscase', { filters: hostile });
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(name).toMatch(/^evil_-requests-f[0-9a-f]{8}\.csv$/);
  });
});
