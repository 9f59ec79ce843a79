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
  ];
  for (const text of benign) {
    it(`raises nothing for ${JSON.stringify(text)}`, () => {
      const r = detector.detect({ query: `q=${encodeURIComponent(text)}`, host: 'shop.example' });
      expect(r.detections).toEqual([]);
    });
  }
});
