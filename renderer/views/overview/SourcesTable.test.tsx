// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../i18n/I18nContext';
import { sourceInfo } from '../../testing/sourceInfo';
import { SourcesTable } from './SourcesTable';

afterEach(cleanup);

describe('SourcesTable', () => {
  it('shows each source’s earliest and latest request, or none', () => {
    const at = (iso: string): number => Date.parse(iso) * 1000;
    const sources = [
      sourceInfo(1, 'old.log', {
        firstUs: at('2019-03-01T08:00:00Z'),
        lastUs: at('2019-03-01T09:33:20.250Z'),
      }),
      sourceInfo(2, 'empty.log', { accepted: 0, firstUs: null, lastUs: null }),
    ];
    render(
      <I18nProvider locale="en" zone="UTC">
        <SourcesTable sources={sources} onShowRejects={() => {}} onRemove={() => {}} />
      </I18nProvider>,
    );
    // One to a line (a <br> between them, so no space in the text).
    expect(screen.getAllByTestId('source-span').map((c) => c.textContent)).toEqual([
      '2019-03-01 08:00:00.000– 2019-03-01 09:33:20.250',
      '—',
    ]);
    expect(screen.getByRole('columnheader', { name: 'Requests from – to' })).toBeTruthy();
  });

  it('says the zone is for times without an offset, not how every time was read', () => {
    render(
      <I18nProvider locale="en" zone="UTC">
        <SourcesTable
          sources={[
            sourceInfo(1, 'tehran.log', { tz: 'UTC' }),
            sourceInfo(2, 'berlin.csv', { format: 'csv', tz: 'Europe/Berlin' }),
          ]}
          onShowRejects={() => {}}
          onRemove={() => {}}
        />
      </I18nProvider>,
    );
    const cells = [...screen.getByTestId('sources').querySelectorAll('tbody tr td:nth-child(2)')];
    expect(cells.map((c) => c.textContent)).toEqual([
      'combined · UTC for times without an offset',
      'csv · Europe/Berlin for times without an offset',
    ]);
    expect(cells[0]!.querySelector('[title]')!.getAttribute('title')).toBe(
      'A time with an offset (+0330, Z) was read with it; only times without one were read in UTC',
    );
  });

  it('says the zone was assumed only where lines took it, with how many; nothing where none did', () => {
    const sources = [
      sourceInfo(1, 'iis.log', { format: 'w3c', tz: 'UTC', withoutOffset: 1204 }),
      sourceInfo(2, 'one.log', { tz: 'Europe/Berlin', withoutOffset: 1 }),
      sourceInfo(3, 'offsets.log', { tz: 'UTC', withoutOffset: 0, assumedHost: 'shop.example' }),
      // Imported before the lines were counted: not known, so said as before.
      sourceInfo(4, 'old.log', { tz: 'UTC', withoutOffset: null }),
    ];
    const zoneCells = (): (string | null)[] =>
      [...screen.getByTestId('sources').querySelectorAll('tbody tr td:nth-child(2)')].map(
        (c) => c.textContent,
      );
    const { unmount } = render(
      <I18nProvider locale="en" zone="UTC">
        <SourcesTable sources={sources} onShowRejects={() => {}} onRemove={() => {}} />
      </I18nProvider>,
    );
    expect(zoneCells()).toEqual([
      'w3c · UTC assumed for 1,204 lines without an offset',
      'combined · Europe/Berlin assumed for 1 line without an offset',
      'combined · host shop.example (assumed)',
      'combined · UTC for times without an offset',
    ]);
    unmount();
    render(
      <I18nProvider locale="ja" zone="UTC">
        <SourcesTable sources={sources} onShowRejects={() => {}} onRemove={() => {}} />
      </I18nProvider>,
    );
    expect(zoneCells()).toEqual([
      'w3c · オフセットのない 1,204 行は UTC と仮定',
      'combined · オフセットのない 1 行は Europe/Berlin と仮定',
      'combined · ホスト shop.example (仮定)',
      'combined · オフセットのない時刻は UTC',
    ]);
  });

  it("names each rejected-lines button by its file, and says the status in the page's language", () => {
    render(
      <I18nProvider locale="ja" zone="UTC">
        <SourcesTable
          sources={[sourceInfo(1, 'access.log', { rejected: 2 })]}
          onShowRejects={() => {}}
          onRemove={() => {}}
        />
      </I18nProvider>,
    );
    screen.getByRole('button', { name: 'access.log の却下された 2 行を表示' });
    screen.getByText('完了');
  });
});
