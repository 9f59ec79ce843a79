// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../shared/contract/analysisApi';
import { I18nProvider } from '../../i18n/I18nContext';
import { HIDDEN, expectShown, expectShownString } from '../../testing/hiddenChars';
import { DistributionPanel } from './DistributionPanel';
import { usersInOrder } from '../sessions/usersTitle';
import { SessionHeader } from './SessionHeader';

afterEach(cleanup);

const T0 = Date.UTC(2026, 10, 20, 9, 0) * 1000;

const SESSION: SessionSummary = {
  id: 's00000000000000cd',
  keyKind: 'cookie:sid',
  keyValue: HIDDEN.nul.raw,
  firstSeen: '',
  lastSeen: '',
  firstUs: T0,
  lastUs: T0 + 1e6,
  durationMs: 1000,
  requestCount: 2,
  matchedRequests: 2,
  ipCount: 1,
  firstIp: '10.0.0.1',
  userAgent: HIDDEN.esc.raw,
  hosts: ['shop.example'],
  user: HIDDEN.rlo.raw,
  userCount: 1,
  users: [HIDDEN.rlo.raw],
  role: `ad\u200Bmin`,
  flows: [],
  outlierCount: 0,
  attackCount: 0,
};

/** The header field labelled `label`: its value. */
function field(label: string): HTMLElement {
  const name = screen.getByText(label, { selector: '.hlabel' });
  return name.parentElement!.querySelector('.hvalue')!;
}

describe('session header', () => {
  it('shows the control characters of its log values, in the fields and their titles', () => {
    render(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader session={SESSION} flows={[]} />
      </I18nProvider>,
    );
    const ua = field('User agent');
    expectShown(ua, HIDDEN.esc.shown);
    expectShownString(ua.title, HIDDEN.esc.shown);
    expect(screen.getByTestId('session-header').querySelector('b')).toBeNull();
    const user = field('User');
    expectShown(user, HIDDEN.rlo.shown);
    expectShownString(user.title, HIDDEN.rlo.shown);
    expect(user.querySelector('.hidden-char')!.getAttribute('title')).toBe('U+202E');
    expectShown(field('Role'), 'ad\\u200Bmin');
    const key = field('Key');
    expectShown(key, `cookie:sid = ${HIDDEN.nul.shown}`);
    expectShownString(key.title, HIDDEN.nul.shown);
  });

  it('shows them in a distribution’s values, titles and “show only” labels', () => {
    const picked: string[] = [];
    render(
      <I18nProvider locale="en" zone="UTC">
        <DistributionPanel
          title="Users"
          items={[{ key: HIDDEN.rlo.raw, label: HIDDEN.rlo.raw, count: 3 }]}
          onShowOnly={(item) => picked.push(item.key)}
        />
      </I18nProvider>,
    );
    const value = screen.getByTestId('dist-Users').querySelector('.dist-value')!;
    expectShown(value, HIDDEN.rlo.shown);
    expectShownString(value.getAttribute('title'), HIDDEN.rlo.shown);
    const pick = screen.getByRole('button', { name: `Show only ${HIDDEN.rlo.shown}` });
    expectShownString(pick.title, HIDDEN.rlo.shown);
    // The filter it sets is the value as logged.
    pick.click();
    expect(picked).toEqual([HIDDEN.rlo.raw]);
  });

  it('lists a session’s users, the last one first, and counts the rest', () => {
    render(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader
          session={{
            ...SESSION,
            user: 'zoe',
            userCount: 4,
            users: ['hugo', 'wen', 'yara', 'zoe'],
          }}
          flows={[]}
        />
      </I18nProvider>,
    );
    const users = field('Users (4)');
    expect(users.textContent).toBe('zoe, hugo+2 more');
    expect(users.title).toBe('4 users in the session:\nhugo\nwen\nyara\nzoe');
  });

  it('lists the user the filter names first, then the rest as without it', () => {
    const stuffing = {
      ...SESSION,
      user: 'zoe',
      userCount: 4,
      users: ['hugo', 'wen', 'yara', 'zoe'],
    };
    const { rerender } = render(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader session={stuffing} flows={[]} usersFilter={['yara']} />
      </I18nProvider>,
    );
    expect(field('Users (4)').textContent).toBe('yara, zoe+2 more');
    // The title lists them all, by name, as without the filter.
    expect(field('Users (4)').title).toBe('4 users in the session:\nhugo\nwen\nyara\nzoe');
    // Two filtered users, in the filter's order; one the session does not have is not named.
    rerender(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader session={stuffing} flows={[]} usersFilter={['wen', 'nobody', 'hugo']} />
      </I18nProvider>,
    );
    expect(field('Users (4)').textContent).toBe('wen, hugo+2 more');
  });

  it('names a filtered user the session does not list when it certainly has that user', () => {
    // 40 users, 10 named: the one filter user matched some of its requests, so it is one of them.
    const many = {
      ...SESSION,
      requestCount: 40,
      matchedRequests: 1,
      user: 'u09',
      userCount: 40,
      users: Array.from({ length: 10 }, (_, i) => `u0${i}`),
    };
    expect(usersInOrder(many, ['u33'])).toEqual(['u33', 'u09', ...many.users.slice(0, 9)]);
    // Not where no request matched, nor where the filter names several (which one is unknown).
    expect(usersInOrder({ ...many, matchedRequests: 0 }, ['u33'])[0]).toBe('u09');
    expect(usersInOrder(many, ['u33', 'u34'])[0]).toBe('u09');
    // Without a filter: the last one seen, then the others by name.
    expect(usersInOrder(many)).toEqual(['u09', ...many.users.slice(0, 9)]);
  });

  it('counts in proper plurals, and says what the flows count under filters', () => {
    const { rerender } = render(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader
          session={{ ...SESSION, requestCount: 1, matchedRequests: 1, outlierCount: 1 }}
          flows={[]}
        />
      </I18nProvider>,
    );
    expect(field('Verdict').textContent).toBe(
      'No verdict · 1 request · 0 with attacks · 1 outlier',
    );
    expect(screen.queryByText('Flows', { selector: '.hlabel' })).not.toBeNull();
    rerender(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader
          session={{ ...SESSION, requestCount: 4, matchedRequests: 2 }}
          flows={[{ flow: 'Auth', count: 2, percent: 100 }]}
        />
      </I18nProvider>,
    );
    expect(field('Verdict').textContent).toBe(
      'No verdict · 4 requests (2 match the filters) · 0 with attacks · 0 outliers',
    );
    expect(field('Flows of matching requests').textContent).toBe('Auth 2 · 100%');
    rerender(
      <I18nProvider locale="en" zone="UTC">
        <SessionHeader session={{ ...SESSION, requestCount: 10, matchedRequests: 1 }} flows={[]} />
      </I18nProvider>,
    );
    expect(field('Verdict').textContent).toBe(
      'No verdict · 10 requests (1 matches the filters) · 0 with attacks · 0 outliers',
    );
  });
});
