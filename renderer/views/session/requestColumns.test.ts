import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/I18nContext';
import { sessionRequest } from '../../testing/sessionRequest';
import { outlierTitle } from './requestColumns';

const i18n = createI18n('en', 'UTC');

describe('an outlier request’s hover title', () => {
  // A size outlier answered in ordinary time.
  const r = sessionRequest(0, 0, {
    latencyMs: 62,
    respBytes: 23_188,
    latency: { value: 62, median: 40, z: 1.2, outlier: false },
    size: { value: 23_188, median: 5_880, z: 6.6, outlier: true },
  });

  it('is on the measure that is off, not on the other', () => {
    expect(outlierTitle(r, i18n, 'latency')).toBeUndefined();
    expect(outlierTitle(r, i18n, 'size')).toBe('23,188 bytes vs median 5,880 bytes, z 6.6');
    // The row's title names every measure that is off.
    expect(outlierTitle(r, i18n)).toBe(outlierTitle(r, i18n, 'size'));
  });
});
