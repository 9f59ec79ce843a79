// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../../../shared/contract/analysisApi';
import { I18nProvider } from '../../i18n/I18nContext';
import { SessionDistributions } from './SessionDistributions';

afterEach(cleanup);

/** The review's session: 1,853 requests, 1,615 of them as admin, the rest naming no user. */
const DETAIL: SessionDetail = {
  session: {
    id: 's00000000000000cd',
    keyKind: 'ip+ua',
    keyValue: '10.0.0.1',
    firstSeen: '',
    lastSeen: '',
    firstUs: 0,
    lastUs: 1e6,
    durationMs: 1000,
    requestCount: 1853,
    matchedRequests: 1853,
    ipCount: 1,
    firstIp: '10.0.0.1',
    userAgent: 'curl/8',
    hosts: ['shop.example'],
    user: 'admin',
    userCount: 1,
    users: ['admin'],
    role: null,
    flows: [],
    outlierCount: 0,
    attackCount: 0,
  },
  flows: [],
  byMethod: [{ value: 'GET', count: 1853 }],
  byStatus: [{ value: 200, count: 1853 }],
  byIp: [{ value: '10.0.0.1', count: 1853 }],
  byEndpoint: [],
  byUser: [{ value: 'admin', count: 1615 }],
  withoutUser: 238,
};

function renderPanels(detail: SessionDetail, locale: 'en' | 'ja' = 'en'): void {
  render(
    <I18nProvider locale={locale} zone="UTC">
      <SessionDistributions detail={detail} onShowOnly={() => {}} />
    </I18nProvider>,
  );
}

const rows = (panel: HTMLElement): string[] =>
  [...panel.querySelectorAll('.dist-row')].map((r) =>
    [r.querySelector('.dist-value')!.textContent, r.querySelector('.num')!.textContent].join(' '),
  );

describe('the Users panel of a session', () => {
  it('gives shares of the session’s requests, with a row for those naming no user', () => {
    renderPanels(DETAIL);
    const users = screen.getByTestId('dist-Users');
    expect(rows(users)).toEqual(['admin 1,615 · 87.2%', '(no user) 238 · 12.8%']);
    // Counted as Methods is: out of 1,853.
    expect(rows(screen.getByTestId('dist-Methods'))).toEqual(['GET 1,853 · 100%']);
    // The row without a user cannot become a filter; a user can. Muted: not a user's name.
    expect(within(users).getAllByRole('button')).toHaveLength(1);
    expect(within(users).getByText('(no user)').closest('.dist-value')!.className).toContain(
      'muted',
    );
  });

  it('puts the requests without a user where their count ranks them', () => {
    renderPanels(
      {
        ...DETAIL,
        byUser: [
          { value: 'admin', count: 1000 },
          { value: 'bob', count: 100 },
        ],
        withoutUser: 753,
      },
      'ja',
    );
    expect(rows(screen.getByTestId('dist-ユーザー')).map((r) => r.split(' ')[0])).toEqual([
      'admin',
      '（ユーザーなし）',
      'bob',
    ]);
  });

  it('shows no such row when every request names a user, and still 100% for one user', () => {
    renderPanels({ ...DETAIL, byUser: [{ value: 'admin', count: 1853 }], withoutUser: 0 });
    expect(rows(screen.getByTestId('dist-Users'))).toEqual(['admin 1,853 · 100%']);
  });

  it('is out of the session’s requests even from a backend that does not count the rest', () => {
    const { withoutUser: _, ...older } = DETAIL;
    renderPanels(older);
    expect(rows(screen.getByTestId('dist-Users'))).toEqual(['admin 1,615 · 87.2%']);
  });
});
