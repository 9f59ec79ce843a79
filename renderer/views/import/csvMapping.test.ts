import { describe, expect, it } from 'vitest';
import type { CsvMappingInfo } from '../../../shared/contract/caseApi';
import { chosenTarget, keyForColumn, withColumnTarget } from './csvMapping';

function csv(names: string[], hasHeader: boolean, fields: (string | null)[]): CsvMappingInfo {
  return {
    delimiter: ',',
    hasHeader,
    columns: names.map((name, index) => ({
      index,
      name,
      field: fields[index] ?? null,
      mappedBy: fields[index] ? 'header' : null,
    })),
    rows: [],
    preview: [],
    problem: null,
    targets: { timestamp: '', ip: '', status: '', extra: '' },
  };
}

describe('column map text for the CSV mapping table', () => {
  it('keys by header name, by index without a header, and by index for a duplicate name', () => {
    const withHeader = csv(['when', 'Client IP', 'when'], true, [null, 'ip', null]);
    expect(keyForColumn(withHeader, 1)).toBe('Client IP');
    expect(keyForColumn(withHeader, 2)).toBe('2');
    const bare = csv(['column_0', 'column_1'], false, ['ip', 'timestamp']);
    expect(keyForColumn(bare, 1)).toBe('1');
  });

  it('a loosely spelled line in the text names the same column, and is replaced, not duplicated', () => {
    const c = csv(['when', 'Client IP', 'code'], true, [null, 'ip', 'status']);
    const typed = 'client_ip=extra\nbroken line\nwhen=timestamp';
    expect(chosenTarget(c, 1, typed)).toBe('extra');
    expect(chosenTarget(c, 2, typed)).toBe('status');
    expect(withColumnTarget(typed, c, 1, 'ip')).toBe('broken line\nwhen=timestamp\nClient IP=ip');
  });
});
