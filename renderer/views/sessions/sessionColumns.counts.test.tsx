// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionListItem } from '../../../shared/contract/analysisApi';
import { createI18n, I18nProvider } from '../../i18n/I18nContext';
import { sessionColumns } from './sessionColumns';

afterEach(cleanup);

const T0 = Date.UTC(2026, 2, 12, 3, 23) * 1000;

/** The demo's credential-stuffing session: four accounts tried, zoe last; two of four matched. */
const STUFFING: SessionListItem = {
  id: 's7025080d252241f4',
  keyKind: 'ip+ua',
  keyValue: '203.0.113.121',
  firstSeen: '',
  lastSeen: '',
  firstUs: T0,
  lastUs: T0 + 3_114e6,
  durationMs: 3_114_000,
  requestCount: 4,
  matchedRequests: 2,
  ipCount: 1,
  firstIp: '203.0.113.121',
  userAgent: 'Mozilla/5.0',
  hosts: ['api.acme.example'],
  user: 'zoe.costa69@inbox.example',
  userCount: 4,
  users: [
    'hugo_costa67@example.com',
    'wen_haddad83@mail.example',
    'yara_kowalski62@example.org',
    'zoe.costa69@inbox.example',
  ],
  role: null,
  flows: ['Auth'],
  outlierCount: 0,
  attackCount: 0,
  flowShares: [{ flow: 'Auth', count: 2, percent: 100 }],
  topEndpoints: [{ method: 'POST', template: '/api/v1/auth/login', count: 2 }],
  endpointCount: 1,
  matchedAttacks: 0,
  matchedOutliers: 0,
};

const i18n = createI18n('en', 'UTC');
const columns = sessionColumns(i18n);
const column = (id: string) => columns.find((c) => c.id === id)!;

function cellText(id: string, s: SessionListItem): string {
  const { container } = render(
    <I18nProvider locale="en" zone="UTC">
      <div>{column(id).render(s)}</div>
    </I18nProvider>,
  );
  return container.textContent ?? '';
}

describe('sessions list: a session with several users', () => {
  it('shows the last user and how many more, and names them all in the title', () => {
    expect(cellText('user', STUFFING)).toBe('zoe.costa69@inbox.example+3 more');
    expect(column('user').title?.(STUFFING)).toBe(
      [
        '4 users in the session:',
        'hugo_costa67@example.com',
        'wen_haddad83@mail.example',
        'yara_kowalski62@example.org',
        'zoe.costa69@inbox.example',
      ].join('\n'),
    );
  });

  it('counts the users it does not name', () => {
    const many = { ...STUFFING, userCount: 25 };
    expect(cellText('user', many)).toBe('zoe.costa69@inbox.example+24 more');
    expect(column('user').title?.(many)?.split('\n').at(-1)).toBe('+21 more');
  });

  it('shows one user alone', () => {
    const one = { ...STUFFING, userCount: 1, users: ['zoe.costa69@inbox.example'] };
    expect(cellText('user', one)).toBe('zoe.costa69@inbox.example');
    expect(column('user').title?.(one)).toBe('zoe.costa69@inbox.example');
  });
});

describe('sessions list under filters', () => {
  it('says the flows and top endpoints are of the matching requests', () => {
    expect(column('flows').title?.(STUFFING)).toBe(
      'Of the 2 requests that match the filters:\nAuth: 2 (100%)',
    );
    expect(column('endpoints').title?.(STUFFING)).toBe(
      'Of the 2 requests that match the filters:\nPOST /api/v1/auth/login × 2',
    );
    expect(column('flows').headerTitle).toMatch(/under filters, of those that match/);
    expect(column('endpoints').headerTitle).toMatch(/under filters, of the requests that match/);
  });

  it('lists them without that line when every request counts', () => {
    const all = {
      ...STUFFING,
      matchedRequests: 4,
      flowShares: [{ flow: 'Auth' as const, count: 4, percent: 100 }],
    };
    expect(column('flows').title?.(all)).toBe('Auth: 4 (100%)');
  });
});

describe('sessions list column widths', () => {
  it('share the room by fr, the endpoints most: no text column has a fixed maximum', () => {
    for (const c of columns.filter((x) => x.width.startsWith('minmax('))) {
      expect(c.width, c.id).toMatch(/^minmax\(\d+px, [\d.]+fr\)$/);
    }
    const fr = (id: string): number => Number(/([\d.]+)fr\)$/.exec(column(id).width)![1]);
    for (const small of ['key', 'role']) {
      for (const other of ['user', 'ips', 'host', 'flows']) {
        expect(fr(small), `${small} < ${other}`).toBeLessThan(fr(other));
      }
    }
    for (const other of ['user', 'ips', 'host', 'flows']) {
      expect(fr(other), other).toBeLessThan(fr('endpoints'));
    }
    // The longest IPv4 address whole at the least (the table's monospace: 7.23 px a character,
    // measured in Chromium; at 7.2, 124 px cut "100.108.116.113" to "100.108.116.1…").
    expect(Number(/^minmax\((\d+)px/.exec(column('ips').width)![1])).toBeGreaterThanOrEqual(
      16 + 7.23 * '255.255.255.255'.length,
    );
  });
});

describe('sessions list filtered by a user', () => {
  it('shows the user the filter names, not the last one seen', () => {
    const filtered = sessionColumns(i18n, ['hugo_costa67@example.com']).find(
      (c) => c.id === 'user',
    )!;
    const { container } = render(
      <I18nProvider locale="en" zone="UTC">
        <div>{filtered.render(STUFFING)}</div>
      </I18nProvider>,
    );
    expect(container.textContent).toBe('hugo_costa67@example.com+3 more');
  });
});
