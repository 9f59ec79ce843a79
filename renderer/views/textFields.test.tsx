// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/analysis/settings';
import css from '../styles/app.css?raw';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';

/** The selectors of app.css's rule for text fields (the one naming input[type='text']). */
function textFieldSelectors(): string {
  const rule = /([^{}]*input\[type='text'\][^{}]*)\{/.exec(css);
  if (!rule) throw new Error("app.css has no rule for input[type='text']");
  return rule[1]!.trim();
}

/** Inputs a person types into: not a box to tick, a file to pick or a hidden value. */
function typedInputs(): HTMLInputElement[] {
  return [...document.querySelectorAll('input')].filter(
    (i) => !['checkbox', 'radio', 'file', 'hidden'].includes(i.type),
  );
}

describe('text fields', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('every field of the rules form and the settings is styled as a text field, typed or not', async () => {
    const settings = defaultSettings();
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listRules: () => [],
        getSettings: () => ({
          ...settings,
          contextParams: [{ kind: 'cookie', name: 'sid', names: 'session', secret: false }],
        }),
      },
      { ...initialViewState(), view: 'audit' },
    );
    const selectors = textFieldSelectors();
    fireEvent.click(await screen.findByRole('button', { name: 'Rules' }));
    await screen.findByRole('button', { name: 'Add rule' });
    const ruleInputs = typedInputs();
    expect(ruleInputs.length).toBeGreaterThan(2);
    for (const i of ruleInputs) expect(i.matches(selectors), i.outerHTML).toBe(true);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    await screen.findByRole('table', { name: 'Context parameters' });
    const settingsInputs = typedInputs();
    expect(settingsInputs.length).toBeGreaterThan(3);
    for (const i of settingsInputs) expect(i.matches(selectors), i.outerHTML).toBe(true);
  });
});
