import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLinear, patternProblem, PATTERN_MAX, WORK_MAX } from './linearRegex.js';

/** The built-in engine's leftmost match, for comparison on patterns both understand. */
function native(pattern: string, text: string): [number, number] | null {
  const m = new RegExp(pattern, 'i').exec(text);
  return m === null ? null : [m.index, m.index + m[0].length];
}

const CASES: [string, string][] = [
  ['union\\s+select', 'id=1 UNION   SELECT pass'],
  ['^/admin/', '/admin/users'],
  ['^/admin/', '/x/admin/'],
  ['\\.php$', '/index.php'],
  ['\\.php$', '/index.php?x'],
  ['a|ab|abc', 'xxabc'],
  ['(?:ab)+c', 'ababababc'],
  ['colou?r', 'COLOR colour'],
  ['[0-9]{4}-[0-9]{2}', 'on 2024-10-10'],
  ['x{2,3}', 'xxxxx'],
  ['x{2,}?', 'xxxxx'],
  ['a.*b', 'a1b2b3'],
  ['a.*?b', 'a1b2b3'],
  ['[^a-z]+', 'abc123def'],
  ['[\\w.-]+@[\\w-]+\\.com', 'mail: john.doe@example.com!'],
  ['\\d+', 'no digits'],
  ['(a|b)*c', 'ababx abc'],
  ['', ''],
  ['^$', ''],
  ['$', 'abc'],
  ['[]a]', 'x]'],
  ['[^]', 'x'],
  ['a{', 'a{'],
  ['\\/etc\\/passwd', '/etc/passwd'],
  ['sqlmap|nikto', 'Mozilla nikto/2.1'],
];

describe('linear regex', () => {
  it('finds what JavaScript finds, leftmost and with the same preference', () => {
    for (const [p, t] of CASES) {
      if (p === '') {
        expect(patternProblem(p)).toMatch(/empty/);
        continue;
      }
      expect(compileLinear(p).search(t), `${p} on ${t}`).toEqual(native(p, t));
    }
  });

  it('agrees with JavaScript on random patterns over a small alphabet', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '(?:ab)', '(a|b)', '1');
    const quant = fc.constantFrom('', '', '*', '+', '?', '{1,2}', '*?', '+?');
    const pattern = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map(([a, q]) => a + q).join(''));
    const anchored = fc
      .tuple(fc.constantFrom('', '', '^'), pattern, fc.constantFrom('', '', '$'))
      .map(([a, p, b]) => a + p + b);
    const text = fc.stringMatching(/^[abAB1 ]{0,12}$/);
    fc.assert(
      fc.property(anchored, text, (p, t) => {
        expect(compileLinear(p).search(t)).toEqual(native(p, t));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what cannot run in linear time, and malformed patterns, with a reason', () => {
    expect(patternProblem('(a)\\1')).toMatch(/backreference/);
    expect(patternProblem('a(?=b)')).toMatch(/lookaround/);
    expect(patternProblem('(?<!x)a')).toMatch(/lookaround/);
    expect(patternProblem('\\bword')).toMatch(/boundar/);
    expect(patternProblem('a**')).toMatch(/quantifier/);
    expect(patternProblem('(ab')).toMatch(/missing/);
    expect(patternProblem('ab)')).toMatch(/unmatched/);
    expect(patternProblem('[z-a]')).toMatch(/order/);
    expect(patternProblem('a{1,1000}')).toMatch(/100/);
    expect(patternProblem('x'.repeat(PATTERN_MAX + 1))).toMatch(/longer/);
    expect(patternProblem('(?:a+)+b')).toBeNull();
  });

  it('refuses a pattern too costly for the longest text its field gives', () => {
    // 1.7–2 s each on a 64 KiB body before (states × characters far above WORK_MAX).
    for (const p of ['([a-z0-9]{1,100}.){1,4}z', '(.?){100}(.?){100}(.?){100}!']) {
      expect(patternProblem(p)).toBeNull();
      expect(patternProblem(p, 65_536)).toMatch(
        /too costly on texts of up to 64 KiB: size \d+, at most 32/,
      );
      expect(patternProblem(p, 4096)).toMatch(/at most 512/);
    }
    // A wide counted repeat is too much for a body, fine on a 4 KiB field; `+` is fine on both.
    expect(patternProblem('[a-z0-9]{1,100}x', 65_536)).toMatch(/counted repeat/);
    expect(patternProblem('[a-z0-9]{1,100}x', 4096)).toBeNull();
    expect(patternProblem('[a-z0-9]+x', 65_536)).toBeNull();
    expect(patternProblem('union\\s+select', 65_536)).toBeNull();
    expect(patternProblem('(\\d{1,3}\\.){3}\\d{1,3}', 65_536)).toBeNull();
    expect(patternProblem('[a-z]', 10)).toBeNull();
  });

  it('costs at most the work budget on an accepted pattern, whatever the text', () => {
    // The costliest shape that fits a 64 KiB body: every state live at every character.
    const p = '(.?){15}!';
    const re = compileLinear(p);
    expect(re.states * 65_536).toBeLessThanOrEqual(WORK_MAX);
    expect(patternProblem(p, 65_536)).toBeNull();
    const t0 = Date.now();
    expect(re.search('a'.repeat(65_536))).toBeNull();
    // ~6M steps, about 0.1 s; generous for a loaded machine (it was 1.7 s at 602 states).
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('stays linear on patterns that make a backtracking engine explode', () => {
    const evil = ['(a+)+$', '(a|a)*b', '(a|aa)+$', '.*a.*a.*a.*a.*b', '(\\w+\\s?)+$', '(x+x+)+y'];
    const input = 'a'.repeat(50_000) + '!';
    for (const p of evil) {
      const re = compileLinear(p);
      const t0 = Date.now();
      re.search(input);
      re.search('x'.repeat(50_000));
      // Generous for a shared CI machine; a backtracker needs years on these.
      expect(Date.now() - t0, p).toBeLessThan(5_000);
    }
  });
});
