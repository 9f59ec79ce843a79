import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../i18n/format';
import { timeTickLabel } from './timeTickLabel';

const DAY = 86_400e6;
const at = Date.UTC(2015, 4, 18, 12, 30, 15) * 1000;

describe('timeTickLabel', () => {
  it('labels by time of day, date and time, or date, as the span grows', () => {
    const fmt = createFormatter('en', 'UTC');
    expect(timeTickLabel(fmt, DAY)(at)).toBe('12:30:15');
    // Three and a half days: labels half a day apart would all but repeat as dates alone.
    expect(timeTickLabel(fmt, 3.5 * DAY)(at)).toBe('2015-05-18 12:30');
    expect(timeTickLabel(fmt, 3.5 * DAY)(at + DAY / 2)).not.toBe(timeTickLabel(fmt, 3.5 * DAY)(at));
    expect(timeTickLabel(fmt, 30 * DAY)(at)).toBe('2015-05-18');
  });

  it('writes them as the locale does', () => {
    expect(timeTickLabel(createFormatter('ja', 'UTC'), 3.5 * DAY)(at)).toBe('2015/05/18 12:30');
  });
});
