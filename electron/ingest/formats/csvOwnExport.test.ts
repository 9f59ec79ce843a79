import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRow, jsonCell, type CsvValue } from '../../../shared/export/csvCells.js';
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
  it('gives back the stored JSON columns exactly, backslashes before hidden characters included', () => {
    const time = '2026-03-12T09:21:43.000+00:00';
    const jsonRow = (headers: unknown, extra: unknown): string => {
      const cells: Record<string, CsvValue> = {
        time,
        headers: jsonCell(JSON.stringify(headers)),
        extra: jsonCell(JSON.stringify(extra)),
      };
      return csvRow(EXPORT_HEADER.map((h) => cells[h] ?? null)).slice(0, -2);
    };
    // a, backslash, U+202E, b came back with two backslashes when the export doubled them.
    const one = ownExportRecord(jsonRow({ 'x-a': 'a\\\u202eb' }, { k: '\\\u{e0041}' }));
    expect(one).toMatchObject({ headers: { 'x-a': 'a\\\u202eb' }, extra: { k: '\\\u{e0041}' } });
    // An export written before JSON cells stopped doubling backslashes still reads back.
    const before = EXPORT_HEADER.map((h) =>
      h === 'time' ? time : h === 'headers' ? '"{""k"":""a\\\\\\\\\\u202Eb""}"' : '',
    ).join(',');
    expect(ownExportRecord(before)).toMatchObject({ headers: { k: 'a\\\u202eb' } });
    const text = fc.string({
      unit: fc.constantFrom(
        '\\',
        '\\',
        'x',
        'u',
        '1',
        'B',
        'E',
        '2',
        '\x1b',
        '\x9b',
        '\u202e',
        '\u{e0041}',
        '"',
        "'",
        '=',
      ),
      maxLength: 16,
    });
    fc.assert(
      fc.property(fc.dictionary(text, text), fc.dictionary(text, text), (headers, extra) => {
        const rec = ownExportRecord(jsonRow(headers, extra));
        expect(rec).toMatchObject({ headers });
        if (typeof rec !== 'string') expect(rec.extra ?? {}).toEqual(extra);
      }),
      { numRuns: 1500 },
    );
  });
});
