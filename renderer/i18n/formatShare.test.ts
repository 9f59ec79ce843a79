import { describe, expect, it } from 'vitest';
import { createFormatter } from './format';

describe('Formatter.share', () => {
  const fmt = createFormatter('en', 'UTC');

  it('never rounds a part with requests to 0%, nor one short of the whole to 100%', () => {
    expect(fmt.share(237, 939_788)).toBe('<0.1%');
    expect(fmt.share(6, 939_788)).toBe('<0.1%');
    expect(fmt.share(1, 2_001)).toBe('<0.1%');
    expect(fmt.share(939_787, 939_788)).toBe('>99.9%');
    expect(fmt.share(2_000, 2_001)).toBe('>99.9%');
  });

  it('shows one decimal where it is enough, and 0% and 100% only when exact', () => {
    expect(fmt.share(4_660, 939_788)).toBe('0.5%');
    expect(fmt.share(1, 1_000)).toBe('0.1%');
    expect(fmt.share(1, 3)).toBe('33.3%');
    expect(fmt.share(0, 939_788)).toBe('0%');
    expect(fmt.share(939_788, 939_788)).toBe('100%');
  });

  it('says nothing without a whole', () => {
    expect(fmt.share(5, 0)).toBe('—');
    expect(fmt.share(null, 10)).toBe('—');
    expect(fmt.share(1, undefined)).toBe('—');
  });

  it('reads the same in Japanese', () => {
    const ja = createFormatter('ja', 'UTC');
    expect(ja.share(237, 939_788)).toBe('<0.1%');
    expect(ja.share(939_787, 939_788)).toBe('>99.9%');
  });
});
