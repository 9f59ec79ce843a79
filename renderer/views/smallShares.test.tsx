// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionListItem } from '../../shared/contract/analysisApi';
import { createI18n, I18nProvider } from '../i18n/I18nContext';
import { endpointSummary } from '../testing/endpointSummary';
import { endpointColumns } from './endpoints/endpointColumns';
import { factorDetail } from './endpoints/riskFactorDetail';
import { DistributionPanel } from './session/DistributionPanel';
import { SessionHeader } from './session/SessionHeader';
import { sessionColumns } from './sessions/sessionColumns';

afterEach(cleanup);

const i18n = createI18n('en', 'UTC');

/** A long scripted session: 4,000 requests, 1 of them a login, 3,999 of them billing. */
const SESSION: SessionListItem = {
  id: 's00000000000000ab',
  keyKind: 'ip+ua',
  keyValue: '203.0.113.9',
  firstSeen: '',
  lastSeen: '',
  firstUs: 0,
  lastUs: 1e6,
  durationMs: 1000,
  requestCount: 4_000,
  matchedRequests: 4_000,
  ipCount: 1,
  firstIp: '203.0.113.9',
  userAgent: 'curl/8',
  hosts: ['shop.example'],
  user: null,
  userCount: 0,
  users: [],
  role: null,
  flows: ['Auth', 'Billing'],
  outlierCount: 0,
  attackCount: 0,
  // As the backend rounds them: to one decimal.
  flowShares: [
    { flow: 'Auth', count: 1, percent: 0 },
    { flow: 'Billing', count: 3_999, percent: 100 },
  ],
  topEndpoints: [],
  endpointCount: 2,
  matchedAttacks: 0,
  matchedOutliers: 0,
};

// Every share of a count follows one rule (Formatter.share): a part that has requests never
// reads 0%, and one short of the whole never 100%.
describe('small shares', () => {
  it('in the session header flow chips', () => {
    render(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader session={SESSION} flows={SESSION.flowShares} />
      </I18nProvider>,
    );
    const text = screen.getByTestId('session-header').textContent ?? '';
    expect(text).toContain('Auth 1 · <0.1%');
    expect(text).toContain('Billing 3,999 · >99.9%');
  });

  it('in the sessions list flows column and its title', () => {
    const c = sessionColumns(i18n).find((x) => x.id === 'flows')!;
    const { container } = render(<div>{c.render(SESSION)}</div>);
    expect(container.textContent).toContain('Auth 1 · <0.1%');
    expect(container.textContent).toContain('Billing 3,999 · >99.9%');
    expect(c.title?.(SESSION)).toContain('Auth: 1 (<0.1%)');
  });

  it('in a session distribution panel', () => {
    render(
      <I18nProvider locale="en" zone="UTC">
        <DistributionPanel
          title="Status"
          items={[
            { key: '200', label: '200', count: 3_999 },
            { key: '500', label: '500', count: 1 },
          ]}
          onShowOnly={() => {}}
        />
      </I18nProvider>,
    );
    const rows = [...screen.getByTestId('dist-Status').querySelectorAll('.dist-row .num')];
    expect(rows.map((r) => r.textContent)).toEqual(['3,999 · >99.9%', '1 · <0.1%']);
  });

  it("in the endpoints view's error share", () => {
    const c = endpointColumns(i18n, false).find((x) => x.id === 'errors')!;
    const one = endpointSummary({ requestCount: 4_000, statusMix: { '200': 3_999, '500': 1 } });
    const all = endpointSummary({ requestCount: 4_000, statusMix: { '200': 1, '404': 3_999 } });
    const none = endpointSummary({ requestCount: 4_000, statusMix: { '200': 4_000 } });
    const text = (e: typeof one): string | null =>
      render(<div>{c.render(e)}</div>).container.textContent;
    expect(text(one)).toBe('<0.1%');
    expect(text(all)).toBe('>99.9%');
    expect(text(none)).toBe('0%');
  });

  it("in the server-errors risk factor's detail", () => {
    const detail = factorDetail(
      {
        id: 'server-errors',
        weight: 4,
        detail: '',
        args: { pct: 99.96, errors: 3_999, requests: 4_000 },
      },
      i18n,
    );
    expect(detail).toContain('>99.9%');
    expect(detail).toContain('3,999');
  });
});
