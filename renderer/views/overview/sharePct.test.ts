import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../i18n/format';
import { sharePct } from './sharePct';

describe('sharePct', () => {
  const fmt = createFormatter('en', 'UTC');

  it('never rounds a part with requests to 0%, nor one short of the whole to 100%', () => {
    expect(sharePct(237, 939_788, fmt)).toBe('<0.1%');
    expect(sharePct(6, 939_788, fmt)).toBe('<0.1%');
    expect(sharePct(939_787, 939_788, fmt)).toBe('>99.9%');
  });

  it('shows one decimal where it is enough, and 0% and 100% only when exact', () => {
    expect(sharePct(4_660, 939_788, fmt)).toBe('0.5%');
    expect(sharePct(1, 1_000, fmt)).toBe('0.1%');
    expect(sharePct(0, 939_788, fmt)).toBe('0%');
    expect(sharePct(939_788, 939_788, fmt)).toBe('100%');
    expect(sharePct(5, 0, fmt)).toBe('—');
  });
});
