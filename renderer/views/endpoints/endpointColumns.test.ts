import { describe, expect, it } from 'vitest';
import { RISK_FACTORS } from '../../../shared/analysis/risk';
import type { EndpointSummary } from '../../../shared/contract/analysisApi';
import { createI18n } from '../../i18n/I18nContext';
import { endpointColumns, factorName, riskText } from './endpointColumns';

/** A grid track's least width in px: '90px', or a minmax()'s minimum. */
function leastPx(track: string): number {
  const m = /^(?:minmax\(\s*)?(\d+(?:\.\d+)?)px\b/.exec(track);
  if (!m) throw new Error(`no least width in px: ${track}`);
  return Number(m[1]);
}

/**
 * What a 1440 px window leaves the table's grid: the list page's padding (12 px a side), the
 * table's border (1 px a side) and a classic vertical scroll bar (17 px on Windows; overlay
 * scroll bars take none).
 */
const GRID_AT_1440 = 1440 - 2 * 12 - 2 - 17;

/**
 * A year-first time with milliseconds ("2026-03-12 23:34:26.123"): 23 characters of the 12 px
 * monospace font (183 px with the cell's padding in DejaVu Sans Mono, the widest of the list).
 */
const TIME_PX = 184;

describe('endpoint inventory columns', () => {
  it('fit a 1440 px window at their least widths, spec column included', () => {
    for (const locale of ['en', 'ja'] as const) {
      for (const withSpec of [true, false]) {
        const columns = endpointColumns(createI18n(locale, 'UTC'), withSpec);
        const least = columns.reduce((sum, c) => sum + leastPx(c.width), 0);
        expect(least, `${locale} ${withSpec}`).toBeLessThanOrEqual(GRID_AT_1440);
        // The last column is the one that was cut off: it is still there, with a header.
        expect(columns.at(-1)?.id).toBe('lastSeen');
        expect(columns.at(-1)?.header, locale).toBeTruthy();
      }
    }
  });

  it('keep room for a whole method: a CORS preflight’s "OPTIONS" was cut to "OPTI…"', () => {
    for (const locale of ['en', 'ja'] as const) {
      const method = endpointColumns(createI18n(locale, 'UTC'), true).find(
        (c) => c.id === 'method',
      );
      // ~7.23 px a letter of the table's monospace (Chromium), and the cell's 8 px a side.
      expect(leastPx(method!.width), locale).toBeGreaterThanOrEqual(16 + 7.23 * 'OPTIONS'.length);
    }
  });

  it('keep room for whole timestamps, milliseconds included', () => {
    const columns = endpointColumns(createI18n('en', 'UTC'), true);
    for (const id of ['firstSeen', 'lastSeen']) {
      const c = columns.find((x) => x.id === id);
      expect(leastPx(c!.width), id).toBeGreaterThanOrEqual(TIME_PX);
    }
  });
});

describe('riskText', () => {
  const base = { risk: { score: 1, level: 'Low', factors: [] } } as unknown as EndpointSummary;

  it('says that no factor was found for a score without any', () => {
    expect(riskText(base, createI18n('en', 'UTC'))).toBe('Risk 1 Low\nno risk factor found');
    expect(riskText(base, createI18n('ja', 'UTC'))).toBe('リスク 1 低\nリスク要因は見つかりません');
  });

  it('lists the factors, one a line, when there are some', () => {
    const e = {
      risk: {
        score: 6,
        level: 'Medium',
        factors: [{ id: 'bola', weight: 6, detail: 'object id in the path: {id}' }],
      },
    } as unknown as EndpointSummary;
    expect(riskText(e, createI18n('en', 'UTC'))).toBe(
      'Risk 6 Medium\nobject id in the path (BOLA) (6): object id in the path: {id}',
    );
  });

  it('names every risk factor in both languages, an unknown one by its id', () => {
    for (const locale of ['en', 'ja'] as const) {
      const { t } = createI18n(locale, 'UTC');
      const names = RISK_FACTORS.map((id) => factorName(id, t));
      // A name of its own for each, not the id (t gives the key back for a missing string).
      expect(new Set(names).size, locale).toBe(RISK_FACTORS.length);
      for (const [k, id] of RISK_FACTORS.entries())
        expect(names[k], id).not.toContain('risk.factor');
    }
    expect(factorName('bola', createI18n('ja', 'UTC').t)).toBe('パス内のオブジェクト ID（BOLA）');
    expect(factorName('new-factor', createI18n('en', 'UTC').t)).toBe('new-factor');
  });
});
