import { describe, expect, it } from 'vitest';
import { foldAscii } from './decode.js';
import { Detector } from './engine.js';
import { RULES } from './rules/index.js';

/**
 * No rule may backtrack catastrophically. Each rule's pattern is run, without the engine's
 * length bounds, on 100k-character near-misses built from its own examples and from runs of
 * the characters rules key on; a super-linear pattern takes minutes or hours on these, a
 * linear one milliseconds. The budget is deliberately generous (shared CI machines).
 */

const N = 100_000;
const BUDGET_MS_PER_RULE = 5_000;

function repeatTo(unit: string, n = N): string {
  if (unit === '') return '';
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

const GENERIC_UNITS = [
  'a',
  '1',
  ' ',
  "'",
  '"',
  '(',
  ')',
  '<',
  '<a ',
  '.',
  './',
  '../',
  '/',
  '\\',
  '%',
  '%25',
  '{',
  '{{',
  '${',
  '$',
  '=',
  '\t',
  '\r\n',
  ';',
  '|',
  '*)(',
  ':',
  '://',
  'or 1',
  "' or ",
  'union ',
  'select ',
  '<!--#',
  'javascript',
  '\x00',
  'etc/',
  '@',
];

function adversarialInputs(examples: readonly string[]): string[] {
  const out: string[] = [];
  for (const ex of examples) {
    const f = foldAscii(ex);
    out.push(repeatTo(f.slice(0, -1)));
    out.push(repeatTo(f.slice(0, Math.ceil(f.length / 2))));
    out.push(f.slice(0, -1) + repeatTo(' '));
    out.push(repeatTo('a') + f.slice(0, -1));
  }
  for (const u of GENERIC_UNITS) out.push(repeatTo(u));
  return out;
}

describe('regex safety', () => {
  for (const rule of RULES) {
    it(`${rule.id} stays linear on 100k-character near-misses`, () => {
      const inputs = adversarialInputs(rule.examples.match);
      const t0 = Date.now();
      let matched = 0;
      for (const s of inputs) if (rule.pattern.exec(s)) matched++;
      const ms = Date.now() - t0;
      expect(ms, `${rule.id} took ${Math.round(ms)} ms`).toBeLessThan(BUDGET_MS_PER_RULE);
      expect(matched).toBeLessThanOrEqual(inputs.length);
    });
  }

  it('the whole engine bounds what it reads from huge hostile requests', () => {
    const detector = new Detector();
    const big = repeatTo("'%27<a (select ../");
    const t0 = Date.now();
    const r = detector.detect({
      path: '/' + big,
      query: `a=${big}&${big}=1`,
      body: big,
      cookies: `c=${big}`,
      headers: { 'x-a': big, [big.slice(0, 1000)]: 'x' },
      userAgent: big,
      referer: big,
      respBody: big,
    });
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(10_000);
    expect(r.notes.some((n) => n.flag === 'truncated')).toBe(true);
    // Fragments are capped, so a stored finding never carries the whole hostile value.
    for (const d of r.detections) expect(d.fragment.length).toBeLessThanOrEqual(200);
  });
});
