// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntryInfo } from '../../../shared/contract/auditApi';
import { initialViewState } from '../../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';

const HOSTILE = '<img src=x onerror="window.pwned=1">';

const ENTRIES: AuditEntryInfo[] = [
  {
    id: 1,
    at: '2026-11-20T09:05:07.123Z',
    action: 'import',
    details: { file: `/evidence/${HOSTILE}.log`, accepted: 5, rejected: 1 },
  },
  {
    id: 2,
    at: '2026-11-20T09:06:00.000Z',
    action: 'analysis.settings',
    details: { before: { inactivityTimeoutMin: 30 }, after: { inactivityTimeoutMin: 7 } },
  },
  {
    id: 3,
    at: '2026-11-20T09:07:00.000Z',
    action: 'detection.fp-mark',
    details: { id: 4, ruleId: 'sqli.tautology', note: '<b>ours</b>' },
  },
];

describe('audit view', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('is a top-level tab listing entries as plain text, times in the chosen zone, paged by keyset', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listAudit: (input) =>
          input?.cursor === '2'
            ? { items: ENTRIES.slice(2), nextCursor: null }
            : { items: ENTRIES.slice(0, 2), nextCursor: '2' },
      },
      { ...initialViewState(), view: 'overview' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Audit' }));
    await screen.findByText('Audit trail');

    // Default zone is UTC: the stored time, formatted like every other timestamp.
    const shown = await screen.findAllByText('2026-11-20 09:05:07.123');
    expect(shown[0]!.closest('[role="row"]')).not.toBeNull();
    // The second page's entry, then the count: while that page loads, a "loading more" row
    // also makes four rows (the header and two entries with it).
    await screen.findByText('id: 4; ruleId: sqli.tautology; note: <b>ours</b>');
    expect(screen.getAllByRole('row')).toHaveLength(4);
    // No search field for "/" to focus here: the keys' hint offers none.
    expect(screen.getByText('j/k or ↑/↓ move · Esc back')).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === 'listAudit').map((c) => c.input)).toEqual([
      { limit: 200 },
      { cursor: '2', limit: 200 },
    ]);

    expect(screen.getByText('import')).toBeTruthy();
    expect(
      screen.getByText(`file: /evidence/${HOSTILE}.log; accepted: 5; rejected: 1`),
    ).toBeTruthy();
    expect(screen.getByText('inactivityTimeoutMin: 30 → 7')).toBeTruthy();
    expect(screen.getByText('id: 4; ruleId: sqli.tautology; note: <b>ours</b>')).toBeTruthy();
    // Hostile text stays text: no element was made from it.
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('main b')).toBeNull();

    // The selected entry's details, one line each.
    const details = screen.getByTestId('audit-details');
    expect([...details.querySelectorAll('li')].map((l) => l.textContent)).toEqual([
      `file: /evidence/${HOSTILE}.log`,
      'accepted: 5',
      'rejected: 1',
    ]);
  });

  it('shows an empty trail and a failed load', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listAudit: () => ({ items: [], nextCursor: null }),
      },
      { ...initialViewState(), view: 'audit' },
    );
    await screen.findByText('No audit entries yet.');
    cleanup();
    renderApp({ getCaseInfo: () => caseInfo() }, { ...initialViewState(), view: 'audit' });
    await screen.findByText(/No fake for listAudit/);
  });
});
