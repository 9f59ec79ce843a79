// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionListItem } from '../../../shared/contract/analysisApi';
import { createI18n, I18nProvider } from '../../i18n/I18nContext';
import { HIDDEN, expectShown, expectShownString } from '../../testing/hiddenChars';
import { sessionColumns } from './sessionColumns';

afterEach(cleanup);

const T0 = Date.UTC(2026, 10, 20, 9, 0) * 1000;

const SESSION: SessionListItem = {
  id: 's00000000000000cd',
  keyKind: 'cookie:sid',
  keyValue: HIDDEN.nul.raw,
  firstSeen: '',
  lastSeen: '',
  firstUs: T0,
  lastUs: T0 + 60e6,
  durationMs: 60_000,
  requestCount: 4,
  matchedRequests: 4,
  ipCount: 2,
  firstIp: `10.0.0.1\x1b`,
  userAgent: HIDDEN.esc.raw,
  hosts: [`shop\u202Eexample`, 'b.example'],
  user: HIDDEN.rlo.raw,
  userCount: 1,
  users: [HIDDEN.rlo.raw],
  role: `ad\0min`,
  flows: [],
  outlierCount: 0,
  attackCount: 0,
  flowShares: [],
  topEndpoints: [{ method: 'GET', template: HIDDEN.nul.raw, count: 4 }],
  endpointCount: 1,
  matchedAttacks: 0,
  matchedOutliers: 0,
};

const i18n = createI18n('en', 'UTC');
const columns = sessionColumns(i18n);

/** Column `id`'s cell for SESSION, rendered, and its hover title. */
function cell(id: string): { el: HTMLElement; title: string | undefined } {
  const c = columns.find((x) => x.id === id)!;
  const { container } = render(
    <I18nProvider locale="en" zone="UTC">
      <div>{c.render(SESSION)}</div>
    </I18nProvider>,
  );
  return { el: container, title: c.title?.(SESSION) };
}

describe('sessions list cells', () => {
  it('show the control characters of user, role, IP, hosts, key and endpoints', () => {
    const user = cell('user');
    expectShown(user.el, HIDDEN.rlo.shown);
    expectShownString(user.title, HIDDEN.rlo.shown);
    expectShown(cell('role').el, 'ad\\x00min');
    expectShown(cell('ips').el, '10.0.0.1\\x1B');
    const hosts = cell('host');
    expectShown(hosts.el, 'shop\\u202Eexample');
    expectShownString(hosts.title, 'shop\\u202Eexample');
    expect(hosts.title).toContain('\nb.example');
    // The first host shrinks with an ellipsis; its "+1 more" is not what is cut.
    expect(hosts.el.querySelector('.first-and-more')!.lastElementChild!.textContent).toBe(
      '+1 more',
    );
    expectShownString(cell('key').title, `cookie:sid = ${HIDDEN.nul.shown}`);
    const endpoints = cell('endpoints');
    expectShown(endpoints.el, `GET ${HIDDEN.nul.shown}`);
    expectShownString(endpoints.title, `GET ${HIDDEN.nul.shown} × 4`);
  });

  it('leave plain values as they are', () => {
    const plain = { ...SESSION, user: 'alice', hosts: ['shop.example'] };
    const c = columns.find((x) => x.id === 'user')!;
    const { container } = render(<div>{c.render(plain)}</div>);
    expect(container.textContent).toBe('alice');
    expect(container.querySelector('.hidden-char')).toBeNull();
    expect(c.title?.(plain)).toBe('alice');
  });
});
