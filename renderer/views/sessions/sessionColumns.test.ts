import { describe, expect, it } from 'vitest';
import { hiddenColumnIds } from '../../components/columnsThatFit';
import { createI18n } from '../../i18n/I18nContext';
import { labelPx, sessionColumns } from './sessionColumns';
import { VERDICT_LABEL } from './verdict';

/** A grid track's least width in px: '90px', or a minmax()'s minimum. */
function leastPx(track: string): number {
  const m = /^(?:minmax\(\s*)?(\d+(?:\.\d+)?)px\b/.exec(track);
  if (!m) throw new Error(`no least width in px: ${track}`);
  return Number(m[1]);
}

/**
 * What a window leaves the table's grid: the list page's padding (12 px a side), the table's
 * border (1 px a side) and a classic vertical scroll bar (17 px on Windows; overlay scroll bars
 * take none).
 */
const gridAt = (windowPx: number): number => windowPx - 2 * 12 - 2 - 17;
const GRID_AT_1280 = gridAt(1280);

describe('sessions list columns', () => {
  it('fit a 1280 px window at their least widths, the least useful giving way: no header is cut off there', () => {
    for (const locale of ['en', 'ja'] as const) {
      const columns = sessionColumns(createI18n(locale, 'UTC'));
      // Key kind, then role, give way at 1280 px; every other column is there.
      expect(hiddenColumnIds(columns, GRID_AT_1280), locale).toBe('key,role');
      const shown = columns.filter((c) => c.id !== 'key' && c.id !== 'role');
      const least = shown.reduce((sum, c) => sum + leastPx(c.width), 0);
      expect(least, locale).toBeLessThanOrEqual(GRID_AT_1280);
      // The last column is the one that was cut off: it is still there, with a header.
      expect(columns.at(-1)?.header, locale).toBeTruthy();
      // Each header has room for its label (and a sortable one for its arrow) at the least.
      for (const c of columns) {
        const needs = 16 + labelPx(c.header, 6.7) + (c.sortable ? 13 : 0);
        expect(leastPx(c.width), `${locale} ${c.id}`).toBeGreaterThanOrEqual(needs);
      }
      // At 1440 px (and 1366 px less the key) they all fit.
      expect(hiddenColumnIds(columns, gridAt(1440)), locale).toBe('');
      expect(hiddenColumnIds(columns, gridAt(1366)), locale).toBe('key');
    }
  });

  it('leave a host and an endpoint readable at their least: not cut to one letter', () => {
    const least = new Map(
      sessionColumns(createI18n('en', 'UTC')).map((c) => [c.id, leastPx(c.width)]),
    );
    // Measured in Chromium at 13 px: ~7.7 px a letter, 7.2 in the monospace font, "+1 more"
    // 57 px (after a 4 px gap); a cell pads 8 px a side.
    expect(least.get('host')).toBeGreaterThanOrEqual(16 + 7.7 * 'api.acme-demo…'.length);
    // A start time whole (sessionColumns.counts.test.tsx checks the addresses).
    expect(least.get('start')).toBeGreaterThanOrEqual(16 + 7.23 * '2026-03-12 00:00:07.250'.length);
    expect(least.get('endpoints')).toBeGreaterThanOrEqual(16 + 7.2 * 'GET /api/v1…'.length + 61);
    // The columns the investigator reads a session by never give way.
    for (const c of sessionColumns(createI18n('en', 'UTC'))) {
      if (c.id !== 'key' && c.id !== 'role') expect(c.givesWay, c.id).toBeUndefined();
    }
  });

  it('leave the verdict room for its longest label, in either language', () => {
    for (const locale of ['en', 'ja'] as const) {
      const i18n = createI18n(locale, 'UTC');
      const verdict = sessionColumns(i18n).find((c) => c.id === 'verdict')!;
      for (const key of Object.values(VERDICT_LABEL)) {
        // Shown bold: ~8.2 px a Latin letter at 13 px (measured in Chromium: 106 px).
        expect(leastPx(verdict.width), i18n.t(key)).toBeGreaterThanOrEqual(
          16 + labelPx(i18n.t(key), 8.2),
        );
      }
    }
    expect(labelPx('Nothing found', 8.2)).toBeGreaterThanOrEqual(106);
  });

  it('leave the filtered figures room for "matched/total", the total not cut off', () => {
    // 13 px digits and separators are at most ~7.5 px wide; a cell pads 8 px a side.
    const needs = (text: string): number => 16 + 7.5 * text.length;
    const least = new Map(
      sessionColumns(createI18n('en', 'UTC')).map((c) => [c.id, leastPx(c.width)]),
    );
    expect(least.get('requests')).toBeGreaterThanOrEqual(needs('1,755/2,123'));
    expect(least.get('attacks')).toBeGreaterThanOrEqual(needs('120/1,888'));
    expect(least.get('outliers')).toBeGreaterThanOrEqual(needs('149/1,234'));
  });
});
