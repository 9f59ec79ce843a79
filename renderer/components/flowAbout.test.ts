import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ja } from '../i18n/ja';
import flowsFile from '../../resources/flows.json';
import { flowAboutKey } from './flowAbout';

/** The built-in rules file the backend reads (electron/analysis/flowRulesFile.ts). */
const BUILT_IN: { flow: string; description?: string }[] = flowsFile.rules;

describe('flowAboutKey', () => {
  it('translates the description of every built-in rule, in the file’s own words', () => {
    // Fails when the file's wording changes and the translations were not brought along.
    expect(BUILT_IN.length).toBeGreaterThanOrEqual(7);
    for (const r of BUILT_IN) {
      const key = flowAboutKey(r.flow, r.description ?? '');
      expect(key, r.flow).not.toBeNull();
      expect(en[key!]).toBe(r.description);
      expect(ja[key!]).not.toBe(en[key!]);
    }
  });

  it('leaves a description in other words, or of another flow, as it is given', () => {
    expect(flowAboutKey('Auth', 'sign-in')).toBeNull();
    expect(flowAboutKey('Custom', en['help.flows.about.auth'])).toBeNull();
    expect(flowAboutKey('__proto__', '')).toBeNull();
    expect(flowAboutKey('toString', '')).toBeNull();
  });
});
