import { describe, expect, it } from 'vitest';
import { userAgentCounterTool, userAgentKey } from './userAgentKey.js';

const nikto = (test: string, version = '2.1.6'): string =>
  `Mozilla/5.00 (Nikto/${version}) (Evasions:None) (Test:${test})`;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:45.0) Gecko/20100101 Firefox/45.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.21 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.21';

describe('userAgentKey', () => {
  it("reads Nikto's per-request test id as one", () => {
    expect(userAgentKey(nikto('000001'))).toBe(userAgentKey(nikto('000002')));
    // Plugin tests are named, not numbered.
    expect(userAgentKey(nikto('map_codes'))).toBe(userAgentKey(nikto('000003')));
    expect(userAgentKey(nikto('Port Check'))).toBe(
      'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:*)',
    );
  });

  it('keeps what says which run it is: the version and the evasions', () => {
    expect(userAgentKey(nikto('000001', '2.5.0'))).not.toBe(userAgentKey(nikto('000001')));
    const evading = 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:1) (Test:000001)';
    expect(userAgentKey(evading)).not.toBe(userAgentKey(nikto('000001')));
  });

  it('takes out the counter of a Nikto run whose agent prefix was changed', () => {
    const custom = (t: string): string =>
      `Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko (Evasions:None) (Test:${t})`;
    expect(userAgentKey(custom('000010'))).toBe(userAgentKey(custom('000011')));
    expect(userAgentCounterTool(custom('000010'))).toBe('Nikto');
  });

  it('leaves every other agent as it is', () => {
    for (const ua of [
      FIREFOX,
      CHROME,
      '',
      'w3af.org',
      'sqlmap/1.4.7#stable (http://sqlmap.org)',
      // A `(Test:` with no Nikto marker is not Nikto's counter.
      'Mozilla/5.0 (Test:12345) Safari/537.36',
      'Mozilla/5.0 (Nikto/2.1.6) (Evasions:None)',
    ]) {
      expect(userAgentKey(ua)).toBe(ua);
      expect(userAgentCounterTool(ua)).toBeNull();
    }
    expect(userAgentKey(FIREFOX)).not.toBe(userAgentKey(CHROME));
    expect(userAgentCounterTool(null)).toBeNull();
  });

  it('names the tool whose counter it takes out', () => {
    expect(userAgentCounterTool(nikto('000001'))).toBe('Nikto');
  });

  it('is linear on a long hostile agent', () => {
    const long = `(Nikto/${'('.repeat(200_000)}) (Test:${')'.repeat(200_000)}`;
    const t0 = performance.now();
    userAgentKey(long);
    userAgentKey(`(Evasions:x) ${'(Test:'.repeat(50_000)}`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
