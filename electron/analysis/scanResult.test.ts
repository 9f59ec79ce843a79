import { describe, expect, it } from 'vitest';
import { fallbackKey } from './scanResult.js';

const nikto = (test: string): string => `Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:${test})`;

describe('fallbackKey (client IP + user agent)', () => {
  it("gives one Nikto run from one IP one key, whatever each request's test id", () => {
    expect(fallbackKey('192.0.2.200', nikto('000001'))).toBe(
      fallbackKey('192.0.2.200', nikto('000002')),
    );
    expect(fallbackKey('192.0.2.200', nikto('000001'))).not.toBe(
      fallbackKey('192.0.2.201', nikto('000002')),
    );
  });

  it('keeps two real browsers from one IP apart', () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:45.0) Gecko/20100101 Firefox/45.0';
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0';
    expect(fallbackKey('10.0.0.1', firefox)).not.toBe(fallbackKey('10.0.0.1', edge));
    expect(fallbackKey('10.0.0.1', null)).not.toBe(fallbackKey('10.0.0.1', firefox));
  });
});
