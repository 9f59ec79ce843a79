import { describe, expect, it } from 'vitest';
import { planCsvColumns, rowToRecord } from './csvFieldMap.js';

/** A reject reason names the time column as the mapping table does (CsvMappingTable.tsx). */
describe('a CSV reject names its time column as the mapping table does', () => {
  it('by its header name when the file has a header', () => {
    const plan = planCsvColumns(
      [
        ['Time', 'client_ip', 'url', 'status'],
        ['2024-10-10T13:55:36Z', '203.0.113.7', '/a', '200'],
      ],
      undefined,
    );
    expect(plan.hasHeader).toBe(true);
    expect(rowToRecord(['soon', '203.0.113.7', '/a', '200'], plan, 'UTC')).toBe(
      'bad timestamp in column Time: soon',
    );
  });

  it('as #index (from 0) when it has none', () => {
    const rows = [
      ['203.0.113.7', '2024-10-10T13:55:36Z', 'GET', '/a', '200'],
      ['203.0.113.8', '2024-10-10T13:55:37Z', 'GET', '/b', '404'],
    ];
    const plan = planCsvColumns(rows, undefined);
    expect(plan.hasHeader).toBe(false);
    expect(plan.timeColumns).toEqual([1]);
    expect(rowToRecord(['203.0.113.7', 'cannot', 'GET', '/a', '200'], plan, 'UTC')).toBe(
      'bad timestamp in column #1: cannot',
    );
    expect(rowToRecord(['203.0.113.7', '', 'GET', '/a', '200'], plan, 'UTC')).toBe(
      'no timestamp (column #1 is empty)',
    );
  });
});
