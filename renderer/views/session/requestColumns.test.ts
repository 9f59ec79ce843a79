// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/I18nContext';
import { sessionRequest } from '../../testing/sessionRequest';
import { labelPx } from '../sessions/sessionColumns';
import { outlierTitle, requestColumns, sizeBaselineClass } from './requestColumns';

const i18n = createI18n('en', 'UTC');

describe('an outlier request’s hover title', () => {
  // A size outlier answered in ordinary time.
  const r = sessionRequest(0, 0, {
    latencyMs: 62,
    respBytes: 23_188,
    latency: { value: 62, median: 40, z: 1.2, outlier: false },
    size: { value: 23_188, median: 5_880, z: 6.6, outlier: true },
  });

  it('is on the measure that is off, not on the other', () => {
    expect(outlierTitle(r, i18n, 'latency')).toBeUndefined();
    expect(outlierTitle(r, i18n, 'size')).toBe(
      '23,188 bytes vs median 5,880 bytes of 2xx responses on this endpoint, z 6.6',
    );
    // The row's title names every measure that is off.
    expect(outlierTitle(r, i18n)).toBe(outlierTitle(r, i18n, 'size'));
  });

  it('names the status class whose median a size is judged by: the request’s own', () => {
    // Since migration 18 a size is judged among its endpoint's responses of its status class.
    const at = (status: number | null): string | undefined =>
      outlierTitle({ ...r, status }, i18n, 'size');
    expect(at(404)).toBe(
      '23,188 bytes vs median 5,880 bytes of 4xx responses on this endpoint, z 6.6',
    );
    expect(at(503)).toContain('of 5xx responses on this endpoint');
    expect(at(302)).toContain('of 3xx responses on this endpoint');
    expect(at(101)).toContain('of 1xx responses on this endpoint');
    expect(at(null)).toBe(
      '23,188 bytes vs median 5,880 bytes of responses without a status on this endpoint, z 6.6',
    );
    expect(at(999)).toContain('of responses with a status outside 1xx–5xx on this endpoint');
    expect(at(0)).toContain('outside 1xx–5xx');
    // In Japanese too, with the same figures.
    const ja = createI18n('ja', 'UTC');
    expect(outlierTitle({ ...r, status: 404 }, ja, 'size')).toBe(
      '23,188 バイト (このエンドポイントの 4xx 応答の中央値 5,880 バイト、z 6.6)',
    );
    expect(outlierTitle({ ...r, status: null }, ja, 'size')).toContain('ステータスのない応答');
    // The latency is judged per endpoint, whatever the status: its title names no class.
    expect(outlierTitle({ ...r, latency: { ...r.latency!, outlier: true } }, i18n, 'latency')).toBe(
      '62 ms vs median 40 ms, z 1.2',
    );
  });

  it('classes a status as the analysis does (outliersGroups.ts statusClass)', () => {
    expect([200, 299, 300, 404, 599, 100].map(sizeBaselineClass)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '5xx',
      '1xx',
    ]);
    expect([null, -1].map(sizeBaselineClass)).toEqual(['none', 'none']);
    expect([0, 99, 600, 999].map(sizeBaselineClass)).toEqual(['other', 'other', 'other', 'other']);
  });
});

describe('the session’s requests table', () => {
  afterEach(cleanup);
  const column = (id: string) => requestColumns(i18n).find((c) => c.id === id)!;
  const cell = (id: string, r: ReturnType<typeof sessionRequest>): string =>
    render(column(id).render(r) as ReactElement).container.textContent ?? '';

  it('shows latency by the app’s one rule, in the cell and its hover title', () => {
    const r = sessionRequest(0, 0, {
      latencyMs: 8668.4,
      latency: { value: 8668.4, median: 3.532, z: 9.1, outlier: true },
    });
    expect(cell('latency', r)).toBe('8,668');
    expect(cell('latency', { ...r, latencyMs: 0.01 })).toBe('0.01');
    expect(cell('latency', { ...r, latencyMs: 15.05 })).toBe('15');
    expect(column('latency').title!(r)).toBe('8,668 ms vs median 3.53 ms, z 9.1');
  });

  it('shows a NUL in what was asked visibly, in the cell and its title', () => {
    const r = sessionRequest(0, 0, { path: '/nul\0byte', query: 'a=\x01' });
    expect(cell('request', r)).toBe('/nul\\x00byte?a=\\x01');
    expect(column('request').title!(r)).toBe('/nul\\x00byte?a=\\x01');
  });

  it('shows each request’s own user: a session may try several accounts', () => {
    const ids = requestColumns(i18n).map((c) => c.id);
    expect(ids.indexOf('user')).toBe(ids.indexOf('ip') + 1);
    const r = sessionRequest(0, 0, { user: 'hugo\u202Eexe' });
    expect(cell('user', r)).toBe('hugo\\u202Eexe');
    expect(column('user').title!(r)).toBe('hugo\\u202Eexe');
    expect(cell('user', { ...r, user: null })).toBe('—');
  });

  it('leaves each header and value whole in its least width, in either language', () => {
    /** A grid track's least width in px: '90px', or a minmax()'s minimum. */
    const leastPx = (track: string): number => Number(/^(?:minmax\()?(\d+)px/.exec(track)![1]);
    for (const locale of ['en', 'ja'] as const) {
      const columns = requestColumns(createI18n(locale, 'UTC'));
      // A cell pads 8 px a side; a Latin header letter is at most ~6.7 px, a Japanese 13 px
      // ("ステータス" and "サイズ (バイト)" were cut to "ステ…" and "サイズ (…").
      for (const c of columns) {
        expect(leastPx(c.width), `${locale} ${c.id}`).toBeGreaterThanOrEqual(
          16 + labelPx(c.header, 6.7),
        );
      }
      // The table's monospace is ~7.23 px a letter (measured in Chromium): the longest IPv4 address
      // and a CORS preflight's method whole.
      const least = (id: string): number => leastPx(columns.find((c) => c.id === id)!.width);
      expect(least('ip'), locale).toBeGreaterThanOrEqual(16 + 7.23 * '255.255.255.255'.length);
      expect(least('method'), locale).toBeGreaterThanOrEqual(16 + 7.23 * 'OPTIONS'.length);
    }
  });
});
