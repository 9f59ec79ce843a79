import { describe, expect, it } from 'vitest';
import { csvRow } from '../../../shared/export/csvCells.js';
import { EXPORT_HEADER } from '../../../shared/export/exportColumns.js';
import { isOwnExportHeader, ownExportRecord, splitExportRecord } from './csvOwnExport.js';

/** One export row with the given cells set by header name, the rest absent. */
function row(cells: Record<string, string | number | null>): string {
  return csvRow(EXPORT_HEADER.map((h) => cells[h] ?? null)).slice(0, -2);
}

describe("reading Sessionscope's own export", () => {
  it('knows the header only in its exact, documented form', () => {
    expect(isOwnExportHeader(EXPORT_HEADER)).toBe(true);
    expect(isOwnExportHeader(EXPORT_HEADER.slice(1))).toBe(false);
    expect(isOwnExportHeader(EXPORT_HEADER.map((h) => h.toUpperCase()))).toBe(false);
  });

  it('keeps an empty unquoted cell (null) apart from "" (empty text)', () => {
    expect(splitExportRecord('a,,"",b')).toEqual(['a', null, '', 'b']);
    expect(splitExportRecord('a,')).toEqual(['a', null]);
    expect(splitExportRecord('"x""y",z')).toEqual(['x"y', 'z']);
    expect(splitExportRecord('"open,z')).toBeNull();
    expect(splitExportRecord('a"b,c')).toBeNull();
  });

  it('undoes neutralization, keeps edges and JSON, and files the analysis under extra._export', () => {
    expect(row({ user_agent: '=x' })).toContain(",'=x,");
    const rec = ownExportRecord(
      row({
        id: 7,
        time: '2026-03-12T09:21:43.000825+00:00',
        line: 3,
        // Written as the exporter writes them: neutralized by csvRow.
        user_agent: "=cmd|' /C calc'!A0",
        referer: "'+x",
        query: ' padded ',
        user: '',
        latency_ms: -1.5,
        headers: '{"x-a":"=1"}',
        extra: '{"k":[1,2]}',
        analysis_session: 's0123456789abcdef',
      }),
    );
    expect(typeof rec).toBe('object');
    if (typeof rec === 'string') return;
    expect(rec.tsUs).toBe(Date.UTC(2026, 2, 12, 9, 21, 43) * 1000 + 825);
    expect(rec.userAgent).toBe("=cmd|' /C calc'!A0");
    expect(rec.referer).toBe("'+x");
    expect(rec.query).toBe(' padded ');
    expect(rec.srcUser).toBe('');
    expect(rec.srcRole).toBeNull();
    expect(rec.latencyMs).toBe(-1.5);
    expect(rec.headers).toEqual({ 'x-a': '=1' });
    expect(rec.extra).toEqual({
      k: [1, 2],
      _export: { id: 7, line: 3, analysis_session: 's0123456789abcdef' },
    });
  });

  it('refuses a row that is not what the exporter writes', () => {
    const t = '2026-03-12T09:21:43.000+00:00';
    expect(ownExportRecord(row({ time: t, status: 'abc' }))).toMatch(/status is not a number/);
    expect(ownExportRecord(row({ time: t, headers: '[1]' }))).toMatch(/headers is not a JSON/);
    expect(ownExportRecord(row({ time: 'yesterday' }))).toMatch(/bad time/);
    expect(ownExportRecord('a,b')).toMatch(/has 2 cells/);
  });
});
