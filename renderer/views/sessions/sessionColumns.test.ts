import { describe, expect, it } from 'vitest';
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
 * What a 1280 px window leaves the table's grid: the list page's padding (12 px a side), the
 * table's border (1 px a side) and a classic vertical scroll bar (17 px on Windows; overlay
 * scroll bars take none).
 */
const GRID_AT_1280 = 1280 - 2 * 12 - 2 - 17;

describe('sessions list columns', () => {
  it('fit a 1280 px window at their least widths: no header is cut off there', () => {
    for (const locale of ['en', 'ja'] as const) {
      const columns = sessionColumns(createI18n(locale, 'UTC'));
      const least = columns.reduce((sum, c) => sum + leastPx(c.width), 0);
      expect(least, locale).toBeLessThanOrEqual(GRID_AT_1280);
      // The last column is the one that was cut off: it is still there, with a header.
      expect(columns.at(-1)?.header, locale).toBeTruthy();
      // Each header has room for its label (and a sortable one for its arrow) at the least.
      for (const c of columns) {
        const needs = 16 + labelPx(c.header, 6.7) + (c.sortable ? 13 : 0);
        expect(leastPx(c.width), `${locale} ${c.id}`).toBeGreaterThanOrEqual(needs);
      }
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
