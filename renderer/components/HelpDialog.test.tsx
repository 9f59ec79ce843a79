// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowRule } from '../../shared/analysis/flowRules';
import { RISK_FACTORS, RISK_WEIGHTS } from '../../shared/analysis/risk';
import { AppError } from '../../shared/contract/errors';
import type { FakeHandlers } from '../api/client';
import { en } from '../i18n/en';
import { ja } from '../i18n/ja';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp } from '../testing/renderWithApi';

afterEach(cleanup);

/** Two flow rules, as the backend's file gives them. */
const RULES: FlowRule[] = [
  { flow: 'Auth', description: 'sign-in', paths: ['/login(/|$)'], hosts: [], params: [] },
  { flow: 'AI/LLM', paths: [], hosts: ['^api\\.openai\\.com$'], params: ['^model$'] },
];

/** The app on a case's Overview, with an empty sessions list a tab away. */
function app(flowRules: FakeHandlers['flowRules'] = () => RULES): void {
  renderApp(
    {
      getCaseInfo: () => caseInfo(100),
      listSessions: () => ({ sessions: [], nextCursor: null }),
      flowRules,
    },
    { ...initialViewState(), view: 'overview' },
  );
}

const helpShown = (): HTMLElement | null => screen.queryByRole('dialog', { name: 'Help' });

describe('the help', () => {
  it('opens on "?", starts at its Close button, and lists every risk factor with its weight', async () => {
    app();
    await screen.findByTestId('overview');
    fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Help' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    // The scorer's own table, strongest first, each weight with its level.
    const rows = within(screen.getByTestId('help-risk')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(
      RISK_FACTORS.map((id) => {
        const w = RISK_WEIGHTS[id];
        return `${en[`risk.factor.${id}`]}${w} ${w >= 8 ? 'High' : w >= 4 ? 'Medium' : 'Low'}`;
      }),
    );
    expect(within(dialog).getAllByRole('row')[1]!.textContent).toBe(
      '/Go to the search box of the list shown',
    );
  });

  it('lists the business-flow rules the backend applies, as text, or why not', async () => {
    app();
    await screen.findByTestId('overview');
    fireEvent.keyDown(document.body, { key: '?' });
    const flows = await screen.findByTestId('help-flows');
    const rows = within(flows).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'Authsign-inpath /login(/|$)',
      'AI/LLMhost ^api\\.openai\\.com$parameter ^model$',
    ]);
    cleanup();
    app(() => {
      throw new AppError('INTERNAL', 'rules unreadable');
    });
    await screen.findByTestId('overview');
    fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Help' });
    await within(dialog).findByText(/rules unreadable/);
    // The rest of the help is there all the same.
    expect(within(dialog).getByTestId('help-risk')).toBeTruthy();
  });

  it('gives the built-in rules’ descriptions in the UI’s language, others as written', async () => {
    app(() => [
      { ...RULES[0]!, description: en['help.flows.about.auth'] },
      { ...RULES[1]!, description: 'our own words' },
    ]);
    await screen.findByTestId('overview');
    fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), {
      target: { value: 'ja' },
    });
    fireEvent.keyDown(document.body, { key: '?' });
    const flows = await screen.findByTestId('help-flows');
    const rows = within(flows).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('td')!.textContent)).toEqual([
      `Auth${ja['help.flows.about.auth']}`,
      'AI/LLMour own words',
    ]);
  });

  it('is not opened by "?" typed in a text box', async () => {
    app();
    await screen.findByTestId('overview');
    fireEvent.click(screen.getByRole('button', { name: 'Sessions' }));
    const search = await screen.findByRole('searchbox');
    search.focus();
    fireEvent.keyDown(search, { key: '?' });
    expect(helpShown()).toBeNull();
  });

  it('closes on Escape without going back a view, and gives the focus back', async () => {
    app();
    await screen.findByTestId('overview');
    fireEvent.click(screen.getByRole('button', { name: 'Sessions' }));
    await screen.findByTestId('sessions');
    const button = screen.getByRole('button', { name: 'Help and keyboard keys' });
    button.focus();
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Help' });
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Close' }), { key: 'Escape' });
    // The dialog's cancel (the browser's own on Escape) closes it.
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    await waitFor(() => expect(helpShown()).toBeNull());
    // Still on Sessions: Escape went to the help, not to the app's Back.
    expect(screen.getByTestId('sessions')).toBeTruthy();
    expect(document.activeElement).toBe(button);
  });
});
