import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/I18nContext';
import { verdictOf, verdictTitle } from './verdict';

const v = (
  level: 'none' | 'suspicious' | 'malicious',
  review: 'confirmed' | 'dismissed' | null = null,
) => ({
  level,
  botType: level === 'none' ? null : ('scraping' as const),
  confidence: level === 'none' ? 0 : 0.5,
  review,
});

describe('session list verdict', () => {
  it('puts the behavioural verdict first, unless dismissed; then signature findings', () => {
    expect(verdictOf({ attackCount: 0, verdict: v('malicious') })).toBe('malicious');
    expect(verdictOf({ attackCount: 3, verdict: v('suspicious') })).toBe('suspicious');
    expect(verdictOf({ attackCount: 3, verdict: v('malicious', 'dismissed') })).toBe('attack');
    expect(verdictOf({ attackCount: 0, verdict: v('malicious', 'dismissed') })).toBe('clean');
    expect(verdictOf({ attackCount: 0, verdict: v('none') })).toBe('clean');
    // Summaries from before verdicts existed.
    expect(verdictOf({ attackCount: 2 })).toBe('attack');
  });

  it('titles the cell with bot type, confidence and review', () => {
    const { t } = createI18n('en', 'UTC');
    expect(verdictTitle({ verdict: v('suspicious', 'confirmed') }, t)).toBe(
      'Suspicious · Scraping · confidence 50% · Confirmed by the investigator',
    );
    expect(verdictTitle({ verdict: v('none') }, t)).toBe('');
  });
});
