// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionVerdictDetail } from '../../../shared/contract/verdictApi';
import { ApiProvider } from '../../api/ApiContext';
import { createClient, createFakeTransport, type FakeHandlers } from '../../api/client';
import { createI18n, I18nProvider } from '../../i18n/I18nContext';
import type { Locale } from '../../i18n/format';
import { reasonLine, SessionVerdict } from './SessionVerdict';
import type { VerdictReason } from '../../../shared/verdicts/types';

const SID = 's00000000000000ab';

const VERDICT: SessionVerdictDetail = {
  sessionId: SID,
  level: 'malicious',
  botType: 'account_takeover',
  confidence: 0.94,
  reasons: [
    {
      detector: 'ip_rotation',
      value: 15,
      threshold: 5,
      baseline: 2,
      direction: 'above',
      ratio: 7.5,
      strong: false,
    },
    {
      detector: 'brute',
      value: 17,
      threshold: 10,
      baseline: null,
      direction: 'above',
      ratio: null,
      strong: true,
      scope: 'ip',
    },
    {
      detector: 'bad_user_agent',
      value: 1,
      threshold: 1,
      baseline: 0.004,
      direction: 'above',
      ratio: 250,
      detail: 'scanner',
      strong: true,
    },
  ],
  review: null,
};

function show(handlers: FakeHandlers, locale: Locale = 'en') {
  const fake = createFakeTransport(handlers);
  let reviewed = 0;
  render(
    <ApiProvider client={createClient(fake)}>
      <I18nProvider locale={locale} zone="UTC">
        <SessionVerdict sessionId={SID} onReviewed={() => reviewed++} />
      </I18nProvider>
    </ApiProvider>,
  );
  return { fake, reviewed: () => reviewed };
}

describe('session verdict panel', () => {
  afterEach(cleanup);

  it('shows level, bot type, confidence and each reason with value, baseline and how far off', async () => {
    show({ getSessionVerdict: () => VERDICT });
    expect((await screen.findByTestId('verdict-level')).textContent).toBe('Malicious');
    expect(screen.getByTestId('session-verdict').textContent).toContain('Account takeover');
    expect(screen.getByTestId('session-verdict').textContent).toContain('confidence 94%');
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'IP rotation 15 vs ≤ 2 — 7.5× above',
      'Per IP: Failed logins 17 (threshold 10, no baseline)',
      'User agent scanner (0.4% of sessions)',
    ]);
  });

  it('speaks Japanese too', async () => {
    show({ getSessionVerdict: () => VERDICT }, 'ja');
    expect((await screen.findByTestId('verdict-level')).textContent).toBe('悪意あり');
    expect(screen.getAllByRole('listitem')[0]!.textContent).toBe(
      'IP ローテーション 15(通常 ≤ 2、7.5 倍高い)',
    );
  });

  it('confirm sends the note, shows the review, and undo clears it', async () => {
    let current: SessionVerdictDetail = VERDICT;
    const { fake, reviewed } = show({
      getSessionVerdict: () => current,
      reviewVerdict: (input) => {
        current = {
          ...current,
          review:
            input.decision === 'clear'
              ? null
              : {
                  decision: input.decision === 'confirm' ? 'confirmed' : 'dismissed',
                  note: input.note ?? null,
                  at: '2026-11-25T10:00:00.000Z',
                  level: current.level,
                  botType: current.botType,
                },
        };
        return current;
      },
    });
    fireEvent.change(await screen.findByLabelText('Note (optional)'), {
      target: { value: '<img src=x onerror=alert(1)> seen in VPN logs' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const review = await screen.findByTestId('verdict-review');
    expect(review.textContent).toContain('Confirmed by the investigator');
    expect(review.textContent).toContain('<img src=x onerror=alert(1)> seen in VPN logs');
    expect(document.querySelector('img')).toBeNull();
    expect(fake.calls.find((c) => c.name === 'reviewVerdict')?.input).toEqual({
      sessionId: SID,
      decision: 'confirm',
      note: '<img src=x onerror=alert(1)> seen in VPN logs',
    });
    expect(reviewed()).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Undo review' }));
    await waitFor(() => expect(screen.queryByTestId('verdict-review')).toBeNull());
    expect(screen.getByRole('button', { name: 'Dismiss' })).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === 'reviewVerdict').at(-1)?.input).toEqual({
      sessionId: SID,
      decision: 'clear',
    });
  });

  it('takes no review while a rebuild holds the case, and says why', async () => {
    const { fake } = show({ getSessionVerdict: () => VERDICT });
    const confirm = (await screen.findByRole('button', { name: 'Confirm' })) as HTMLButtonElement;
    expect(confirm.disabled).toBe(false);
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r', step: 'scan', index: 0, total: 3 }));
    await waitFor(() => expect(confirm.disabled).toBe(true));
    expect((screen.getByRole('button', { name: 'Dismiss' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(
      screen.getByText('A rebuild is running: this can be changed when it has finished.'),
    ).toBeTruthy();
    act(() =>
      fake.emit('rebuildDone', {
        rebuildId: 'r',
        result: { requests: 1, endpoints: 1, sessions: 1, outliers: 0 },
        error: null,
      }),
    );
    await waitFor(() => expect(confirm.disabled).toBe(false));
    expect(screen.queryByText(/A rebuild is running/)).toBeNull();
  });

  it('offers no review buttons without a verdict, and shows a failed review as an error', async () => {
    show({ getSessionVerdict: () => ({ ...VERDICT, level: 'none', botType: null, reasons: [] }) });
    await screen.findByText('No behavioural detector fired.');
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
    cleanup();

    show({ getSessionVerdict: () => VERDICT });
    fireEvent.click(await screen.findByRole('button', { name: 'Dismiss' }));
    // No reviewVerdict handler in the fake: it answers NOT_FOUND.
    expect((await screen.findByRole('alert')).textContent).toContain('Not found');
  });
});

describe('reason lines', () => {
  it('gives no ratio against a value of 0 below its baseline', () => {
    const { t } = createI18n('en', 'UTC');
    const line = reasonLine(
      {
        detector: 'regular_intervals',
        strong: false,
        value: 0,
        baseline: 0.373,
        threshold: 0.2,
        ratio: 373.5,
        direction: 'below',
      } satisfies VerdictReason,
      t,
    );
    expect(line).toBe('Interval variation 0 vs ≥ 0.373');
  });
});
