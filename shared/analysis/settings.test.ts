import { describe, expect, it } from 'vitest';
import {
  analysisSettingsSchema,
  applySettingsChange,
  closestKey,
  defaultSettings,
  settingsIssueText,
  settingsPathText,
} from './settings.js';

/** The texts of what the schema refuses in `input`, as a settings file's reader sees them. */
function problems(input: unknown): string[] {
  const r = analysisSettingsSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => settingsIssueText(i, input));
}

describe('analysis settings schema', () => {
  it('refuses unknown keys at every level instead of dropping them', () => {
    expect(problems({ inactivityTimeout: 5 })).toEqual([
      'unknown setting "inactivityTimeout" (did you mean "inactivityTimeoutMin"?)',
    ]);
    expect(problems({ outliers: { zthreshold: 2 } })).toEqual([
      'unknown setting "outliers.zthreshold" (did you mean "outliers.zThreshold"?)',
    ]);
    expect(problems({ templates: { mergeMinDistinc: 4 } })).toEqual([
      'unknown setting "templates.mergeMinDistinc" (did you mean "templates.mergeMinDistinct"?)',
    ]);
    expect(problems({ verdicts: { bruteMinFailure: 3 } })).toEqual([
      'unknown setting "verdicts.bruteMinFailure" (did you mean "verdicts.bruteMinFailures"?)',
    ]);
    expect(problems({ contextParams: [{ kind: 'cookie', nmae: 'sid' }] })).toEqual([
      'contextParams[0].name is missing',
      'unknown setting "contextParams[0].nmae" (did you mean "contextParams[0].name"?)',
    ]);
    expect(problems({ colour: 'red' })).toEqual(['unknown setting "colour"']);
  });

  it('says what a value should be, by the name it was written with', () => {
    expect(problems({ inactivityTimeoutMin: '5' })).toEqual([
      'inactivityTimeoutMin must be a number',
    ]);
    expect(problems({ outliers: 3 })).toEqual(['outliers must be an object { … }']);
    expect(problems({ contextParams: [{ kind: 'header', name: 'X Bad' }] })).toEqual([
      'contextParams[0]: a header parameter names an HTTP header (letters, digits, - and _)',
    ]);
  });

  it('accepts what it writes: its own output, and an empty object (the defaults)', () => {
    const s = analysisSettingsSchema.parse({
      contextParams: [{ kind: 'cookie', name: 'tracking' }],
      outliers: { zThreshold: 2 },
    });
    expect(analysisSettingsSchema.parse(s)).toEqual(s);
    expect(analysisSettingsSchema.parse({})).toEqual(defaultSettings());
  });
});

describe('applySettingsChange', () => {
  const current = analysisSettingsSchema.parse({
    inactivityTimeoutMin: 1,
    contextParams: [{ kind: 'cookie', name: 'tracking' }],
    outliers: { minSamples: 50 },
    verdicts: { bruteMinFailures: 7 },
  });

  it('changes what the change names and keeps the rest', () => {
    const next = analysisSettingsSchema.parse(
      applySettingsChange(current, { maxSessionHours: 12, outliers: { zThreshold: 2 } }),
    );
    expect(next).toEqual({
      ...current,
      maxSessionHours: 12,
      outliers: { ...current.outliers, zThreshold: 2 },
    });
  });

  it('takes a list of context parameters whole', () => {
    const next = analysisSettingsSchema.parse(applySettingsChange(current, { contextParams: [] }));
    expect(next).toEqual({ ...current, contextParams: [] });
  });
});

describe('closestKey', () => {
  const keys = ['inactivityTimeoutMin', 'maxSessionHours', 'useDefaultParams', 'outliers'];
  it('finds a key by case, by part, or a few letters off; nothing far off', () => {
    expect(closestKey('INACTIVITYTIMEOUTMIN', keys)).toBe('inactivityTimeoutMin');
    expect(closestKey('timeout', keys)).toBe('inactivityTimeoutMin');
    expect(closestKey('maxSesionHours', keys)).toBe('maxSessionHours');
    expect(closestKey('outlires', keys)).toBe('outliers');
    expect(closestKey('colour', keys)).toBeUndefined();
    expect(closestKey('', keys)).toBeUndefined();
  });

  it('writes paths as a settings file does', () => {
    expect(settingsPathText(['contextParams', 2, 'name'])).toBe('contextParams[2].name');
    expect(settingsPathText([])).toBe('');
  });
});
