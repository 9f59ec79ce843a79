// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../api/ApiContext';
import { createClient, createFakeTransport } from '../../api/client';
import { I18nProvider } from '../../i18n/I18nContext';
import { expectShown, expectShownString, HIDDEN } from '../../testing/hiddenChars';
import type { ImportedSourceInfo } from '../../../shared/contract/caseApi';
import { ImportSummary } from './ImportSummary';

afterEach(cleanup);

const source = (
  sourceId: number,
  file: string,
  accepted: number,
  rejected: number,
  unreadableParts = 0,
  hostless: {
    withoutHost: number;
    peers: { sourceId: number; file: string; withoutHost: number }[];
  } = {
    withoutHost: 0,
    peers: [],
  },
) => ({
  sourceId,
  file,
  sha256: 'ab',
  format: 'combined',
  lines: accepted + rejected,
  accepted,
  rejected,
  status: 'complete' as const,
  message: null,
  unreadableParts,
  withoutHost: hostless.withoutHost,
  hostlessPeers: hostless.peers,
  withoutOffset: 0,
  // Its requests a second apart from 2026-11-27 09:00 UTC.
  firstUs: accepted > 0 ? Date.UTC(2026, 10, 27, 9) * 1000 : null,
  lastUs: accepted > 0 ? Date.UTC(2026, 10, 27, 9) * 1000 + (accepted - 1) * 1e6 : null,
});

/** The summary of `sources`, with no rejected lines to list. */
function renderSummary(sources: ImportedSourceInfo[]): void {
  const fake = createFakeTransport({
    listRejects: () => ({ items: [], nextCursor: null }),
  });
  render(
    <ApiProvider client={createClient(fake)}>
      <I18nProvider locale="en" zone="UTC">
        <ImportSummary sources={sources} onOpenCase={() => undefined} onAnother={() => undefined} />
      </I18nProvider>
    </ApiProvider>,
  );
}

describe('import summary', () => {
  it('says which period each file covers, or none for a file that gave no request', () => {
    renderSummary([source(1, 'raw.txt', 0, 12), source(2, 'access.log', 9, 1)]);
    expect(screen.getAllByTestId('import-span').map((c) => c.textContent)).toEqual([
      '—',
      '2026-11-27 09:00:00.000– 2026-11-27 09:00:08.000',
    ]);
  });

  it('warns of a file none of whose lines became a request, and of no other', async () => {
    renderSummary([source(1, 'raw.txt', 0, 12), source(2, 'access.log', 9, 1)]);
    const alerts = await screen.findAllByRole('alert');
    // No tick beside a file that gave nothing.
    const status = [...document.querySelectorAll('tbody tr')].map(
      (r) => r.lastElementChild!.textContent,
    );
    expect(status).toEqual(['⚠', '✓']);
    expect(alerts.map((a) => a.textContent)).toEqual([
      'raw.txt: no line was read as a request: all 12 lines were rejected. Is the format right? The rejected lines below say why.',
    ]);
  });

  it('says how to import again a file skipped as a copy of a source that accepted nothing', async () => {
    const skipped = (file: string, dup: { accepted: number; poor: boolean }) => ({
      ...source(1, file, 0, 0),
      status: 'skipped' as const,
      message: 'already imported as source 1 …',
      duplicateOf: { sourceId: 1, format: 'combined', lines: 16062, ...dup },
    });
    renderSummary([
      skipped('w.csv', { accepted: 0, poor: true }),
      skipped('fine.log', { accepted: 16000, poor: false }),
    ]);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual([
      'w.csv was skipped: it is already in the case as source 1 (format combined, 0 of 16,062 ' +
        'lines accepted). To import it again (in another format, say): remove that source ' +
        '(Overview, Sources, "Remove…") and import the file again, or import it again with ' +
        '"Import again even if already in the case" ticked.',
    ]);
  });

  it('warns of a file part of which could not be read, though it gave requests', async () => {
    renderSummary([source(1, 'mid.har', 9, 3, 2), source(2, 'ok.har', 4, 1)]);
    const alerts = await screen.findAllByRole('alert');
    const status = [...document.querySelectorAll('tbody tr')].map(
      (r) => r.lastElementChild!.textContent,
    );
    expect(status).toEqual(['⚠', '✓']);
    expect(alerts.map((a) => a.textContent)).toEqual([
      'mid.har: 2 part(s) of the file could not be read (damaged or cut off). The rejected lines below give their byte ranges.',
    ]);
  });

  it('shows a file name with control characters in it visibly, in the table and the warning', async () => {
    const name = `evil${HIDDEN.rlo.raw}.log`;
    const shown = `evil${HIDDEN.rlo.shown}.log`;
    renderSummary([source(1, name, 0, 2), source(2, 'b.log', 3, 1)]);
    const [alert] = await screen.findAllByRole('alert');
    expectShownString(alert!.textContent, shown);
    expectShown(document.querySelector('tbody td')!, shown);
    expectShownString(screen.getAllByRole('option')[0]!.textContent, shown);
  });

  it('warns that files whose requests name no host share endpoints, and how to keep them apart', async () => {
    const peer = (sourceId: number, file: string, withoutHost: number) => ({
      sourceId,
      file,
      withoutHost,
    });
    renderSummary([
      // Imported with a host for its lines: nothing to say.
      source(3, 'shop.log', 5, 0),
      source(4, 'scan.log', 40, 0, 0, { withoutHost: 40, peers: [peer(1, 'apache.log', 1200)] }),
      source(5, 'export.csv', 7, 0, 0, {
        withoutHost: 7,
        peers: [
          peer(1, 'apache.log', 1200),
          peer(2, 'nginx.log', 300),
          peer(4, 'scan.log', 40),
          peer(6, 'old.log', 1),
        ],
      }),
      // The first host-less file of the case: nothing shares with it yet.
      source(6, 'first.log', 9, 0, 0, { withoutHost: 9, peers: [] }),
    ]);
    const alerts = await screen.findAllByRole('alert');
    const status = [...document.querySelectorAll('tbody tr')].map(
      (r) => r.lastElementChild!.textContent,
    );
    expect(status).toEqual(['✓', '⚠', '⚠', '✓']);
    const said = alerts.map((a) => a.textContent);
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(
      /^scan\.log: 40 request\(s\) name no host, as do requests of apache\.log \(1,200\)\. They share endpoints .*"Host for lines without one"/,
    );
    expect(said[1]).toContain(
      'export.csv: 7 request(s) name no host, as do requests of apache.log (1,200), nginx.log (300), scan.log (40), 1 more.',
    );
  });
});
