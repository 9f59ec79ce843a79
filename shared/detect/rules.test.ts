import { describe, expect, it } from 'vitest';
import { Detector } from './engine.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import { ATTACK_TYPES, type DetectInput } from './types.js';

const detector = new Detector();

/** Puts an example where its rule looks, the way a log would carry it. */
function inputFor(rule: Rule, example: string): DetectInput {
  const base = { host: 'good.example' };
  const nameOnly = rule.parts !== undefined && !rule.parts.includes('value');
  if (nameOnly) return { ...base, query: `${example}=1` };
  const param = rule.examples.param ?? 'q';
  if (rule.locations.includes('query'))
    return { ...base, query: `${param}=${example.replaceAll('&', '%26')}` };
  if (rule.locations.includes('path')) return { ...base, path: example };
  if (rule.locations.includes('ua')) return { ...base, userAgent: example };
  if (rule.locations.includes('response')) return { ...base, respBody: example };
  return { ...base, headers: { 'x-test': example } };
}

describe('every rule', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      it('has examples both ways and a documented type', () => {
        expect(rule.examples.match.length).toBeGreaterThan(0);
        expect(rule.examples.miss.length).toBeGreaterThan(0);
        expect(ATTACK_TYPES).toContain(rule.type);
      });
      for (const ex of rule.examples.match) {
        it(`matches ${JSON.stringify(ex)}`, () => {
          const ids = detector.detect(inputFor(rule, ex)).detections.map((d) => d.ruleId);
          expect(ids).toContain(rule.id);
        });
      }
      for (const ex of rule.examples.miss) {
        it(`does not match ${JSON.stringify(ex)}`, () => {
          const ids = detector.detect(inputFor(rule, ex)).detections.map((d) => d.ruleId);
          expect(ids).not.toContain(rule.id);
        });
      }
    });
  }
});

describe('benign text', () => {
  const benign = [
    'Please select a seat from the list below',
    'Meet me at Union Station, then select your train',
    'Tom & Jerry; cat and mouse',
    "O'Brien and O'Neil",
    'see ../README for details',
    'price 10-20 EUR (incl. VAT)',
    'C/ Mayor, 12, 3º izq.',
    'dunlap-leaud@example.com',
    'https://www.example.com/products?id=12',
    'Hello, world! How are you?',
    'a <b>bold</b> claim',
    'drop-leaf table for sale',
    'Update: delete from cart not working',
    'why is 1+1=2 and 2*2=4?',
    'rock and roll',
    'chapter 3 and 4-5=review',
    'sizes 10 or 12-14 > 5 years',
  ];
  for (const text of benign) {
    it(`raises nothing for ${JSON.stringify(text)}`, () => {
      const r = detector.detect({ query: `q=${encodeURIComponent(text)}`, host: 'shop.example' });
      expect(r.detections).toEqual([]);
    });
  }
});

describe('sqli.arithmetic-tautology outside query values', () => {
  const ids = (input: DetectInput): string[] =>
    detector.detect(input).detections.map((d) => d.ruleId);

  it('finds a probe put in a path segment, and reports where', () => {
    const path = '/index.php/-4%20OR%203%2b812-812-1=0%2b0%2b0%2b1%20--%20/users/';
    const d = detector
      .detect({ path })
      .detections.find((x) => x.ruleId === 'sqli.arithmetic-tautology');
    expect(d).toMatchObject({ location: 'path', basis: 'decoded' });
    expect(d!.fragment).toBe('/-4 OR 3+812-812-1=0');
  });

  it('finds a quoted probe inside a path, and in form bodies and cookies', () => {
    expect(ids({ path: '/app/list%27%20AND%205*2*3=10*3%20AND%20%27Qx%27=%27Qx/view' })).toContain(
      'sqli.arithmetic-tautology',
    );
    expect(ids({ body: 'user=bob&id=-2%22+or+4*3%3C(0%2B7%2B55-55)+--+' })).toContain(
      'sqli.arithmetic-tautology',
    );
    expect(ids({ cookies: 'pref=-9 OR 2+10-10-1=0+0+1' })).toContain('sqli.arithmetic-tautology');
  });

  it('leaves sums in ordinary paths and text alone', () => {
    expect(ids({ path: '/blog/2019/why-1+1=2-and-2*2=4' })).not.toContain(
      'sqli.arithmetic-tautology',
    );
    expect(ids({ path: '/docs/2019 and 2020-21=x' })).not.toContain('sqli.arithmetic-tautology');
    expect(ids({ body: 'note=Pages+10+or+12-14+%3E+5' })).not.toContain(
      'sqli.arithmetic-tautology',
    );
  });
});
