// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { appInfo, caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { initialViewState } from '../../state/viewState';

const PREVIEW = {
  path: '/logs/access.log',
  fileName: 'access.log',
  sizeBytes: 1000,
  gzip: false,
  format: 'combined',
  confidence: 0.97,
  scores: [{ id: 'combined', score: 0.97 }],
  lines: ['<script>alert(1)</script> - - [20/Nov/2026:09:00:00 +0000] "GET / HTTP/1.1" 200 1'],
  problem: null,
  csv: null,
  hosts: null,
};

/** A file imported whole: `lines` lines, every one a request. */
function importedSource(sourceId: number, file: string, lines: number) {
  return {
    sourceId,
    file,
    sha256: 'ab',
    format: 'combined',
    lines,
    accepted: lines,
    rejected: 0,
    status: 'complete' as const,
    message: null,
    unreadableParts: 0,
    withoutHost: 0,
    hostlessPeers: [],
    withoutOffset: 0,
    firstUs: null,
    lastUs: null,
  };
}

describe('import flow', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('detects the format, imports with progress, rebuilds, and shows the summary with rejects', async () => {
    let rebuilt = 0;
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        previewImport: () => PREVIEW,
        startImport: () => ({ importId: 'job-1' }),
        rebuild: () => {
          rebuilt++;
          return { requests: 9, endpoints: 2, sessions: 1, outliers: 0 };
        },
        listRejects: () => ({
          items: [
            {
              id: 1,
              sourceId: 7,
              lineNo: 3,
              reason: 'no [time] field',
              raw: '<img src=x onerror=alert(1)>',
              rawLength: 28,
              truncated: false,
            },
          ],
          nextCursor: null,
        }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/access.log' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
    await screen.findByText('Detected: Combined access log (97%)');
    // The sample line is shown as text, never as markup.
    expect(document.querySelector('script')).toBeNull();

    fireEvent.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-progress');
    expect(fake.calls.find((c) => c.name === 'startImport')?.input).toEqual({
      paths: ['/logs/access.log'],
      tz: 'UTC',
    });

    act(() =>
      fake.emit('importProgress', {
        importId: 'job-1',
        file: 'access.log',
        fileIndex: 0,
        fileCount: 1,
        phase: 'parsing',
        bytesDone: 500,
        bytesTotal: 1000,
        lines: 5,
        accepted: 4,
        rejected: 1,
        linesPerSec: 1234,
        etaSec: 2,
      }),
    );
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByTestId('progress-bytes').textContent).toBe('500 / 1,000 bytes');
    screen.getByText('1,234 lines/s');
    screen.getByText('2.0s left');

    act(() =>
      fake.emit('importDone', {
        importId: 'job-1',
        result: {
          sources: [
            {
              sourceId: 7,
              file: 'access.log',
              sha256: 'ab',
              format: 'combined',
              lines: 10,
              accepted: 9,
              rejected: 1,
              status: 'complete',
              message: null,
              unreadableParts: 0,
              withoutHost: 0,
              hostlessPeers: [],
              withoutOffset: 0,
              firstUs: null,
              lastUs: null,
            },
          ],
        },
        error: null,
      }),
    );
    await screen.findByTestId('import-summary');
    expect(rebuilt).toBe(1);
    // In the table and, selected, whole below it: text both times.
    expect(await screen.findAllByText('<img src=x onerror=alert(1)>')).toHaveLength(2);
    expect(document.querySelector('img')).toBeNull();
  });

  it('says the import is kept when only its analysis was cancelled', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        startImport: () => ({ importId: 'job-4' }),
        rebuild: () => {
          throw new AppError('CANCELLED', 'Rebuild cancelled; the case is unchanged');
        },
        rebuildStatus: () => ({ running: null }),
        listRejects: () => ({ items: [], nextCursor: null }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/access.log' },
    });
    fireEvent.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-progress');
    const source = importedSource(7, 'access.log', 10);
    act(() =>
      fake.emit('importDone', { importId: 'job-4', result: { sources: [source] }, error: null }),
    );
    const note = await screen.findByTestId('analysis-cancelled');
    expect(note.textContent).toContain('The import is kept');
    expect(screen.queryByText(/the case is unchanged/i)).toBeNull();
    await screen.findByTestId('import-summary');
  });

  it("while the analysis runs: one Cancel (the rebuild's), no summary title yet", async () => {
    let finish: () => void = () => undefined;
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        startImport: () => ({ importId: 'job-3' }),
        rebuild: () =>
          new Promise((resolve) => {
            finish = () => resolve({ requests: 9, endpoints: 2, sessions: 1, outliers: 0 });
          }),
        rebuildStatus: () => ({ running: null }),
        listRejects: () => ({ items: [], nextCursor: null }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/access.log' },
    });
    fireEvent.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-progress');
    const source = importedSource(7, 'access.log', 10);
    act(() =>
      fake.emit('importDone', { importId: 'job-3', result: { sources: [source] }, error: null }),
    );
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r', step: 'scan', index: 0, total: 19 }));
    await screen.findByTestId('rebuild-progress');
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    expect(screen.queryByText('Import summary')).toBeNull();
    await act(async () => finish());
    act(() => fake.emit('rebuildDone', { rebuildId: 'r', result: null, error: null }));
    await screen.findByTestId('import-summary');
    screen.getByText('Import summary');
  });

  it('keeps one Cancel from the import to the analysis, before its first step too', async () => {
    let answer: (cancelled: boolean) => void = () => undefined;
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        startImport: () => ({ importId: 'job-5' }),
        // The rebuild runs until it is cancelled.
        rebuild: () => new Promise(() => undefined),
        rebuildStatus: () => ({ running: null }),
        cancelRebuild: () => new Promise((resolve) => (answer = (c) => resolve({ cancelled: c }))),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/access.log' },
    });
    fireEvent.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-progress');
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    const source = importedSource(7, 'access.log', 10);
    act(() =>
      fake.emit('importDone', { importId: 'job-5', result: { sources: [source] }, error: null }),
    );
    // Imported, the rebuild asked for, no step of it heard yet: still one Cancel.
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'rebuild')).toBe(true));
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const cancels = (): number => fake.calls.filter((c) => c.name === 'cancelRebuild').length;
    await waitFor(() => expect(cancels()).toBe(1));
    // The cancel got there before the rebuild call: asked again at the rebuild's first step.
    await act(async () => answer(false));
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r', step: 'scan', index: 0, total: 19 }));
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    await waitFor(() => expect(cancels()).toBe(2));
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r', step: 'next', index: 1, total: 19 }));
    expect(cancels()).toBe(2);
  });

  it('does not carry a forced format over to the next file', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        startImport: () => ({ importId: 'job-4' }),
        rebuild: () => ({ requests: 1, endpoints: 1, sessions: 1, outliers: 0 }),
        listRejects: () => ({ items: [], nextCursor: null }),
      },
      { ...initialViewState(), view: 'import' },
    );
    const formatSelect = (): HTMLSelectElement =>
      [...document.querySelectorAll('select')].find((el) =>
        [...el.options].some((o) => o.value === 'combined'),
      )!;
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/a.log' },
    });
    fireEvent.change(formatSelect(), { target: { value: 'combined' } });
    fireEvent.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-progress');
    const source = importedSource(1, 'a.log', 1);
    act(() =>
      fake.emit('importDone', { importId: 'job-4', result: { sources: [source] }, error: null }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Import another file' }));
    await screen.findByTestId('import-path');
    expect(formatSelect().value).toBe('');
  });

  it('cancels, and says the case is unchanged', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        startImport: () => ({ importId: 'job-2' }),
        cancelImport: () => ({ cancelled: true }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/x.log' },
    });
    fireEvent.click(screen.getByTestId('import-start'));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'cancelImport')).toBe(true));
    act(() =>
      fake.emit('importDone', {
        importId: 'job-2',
        result: null,
        error: { code: 'CANCELLED', message: 'cancelled' },
      }),
    );
    await screen.findByText('Import cancelled. The case is unchanged.');
  });

  it('refuses a malformed column map before anything is sent', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({
          ...appInfo,
          formats: [...appInfo.formats, { id: 'csv', label: 'CSV', example: '' }],
        }),
        getCaseInfo: () => caseInfo(0),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/x.csv' },
    });
    // The column map is the CSV format's: chosen, it shows.
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'csv' } });
    fireEvent.change(screen.getByPlaceholderText(/client_ip=ip/), {
      target: { value: 'ok=ip\nbroken' },
    });
    expect((screen.getByTestId('import-start') as HTMLButtonElement).disabled).toBe(true);
    screen.getByText('Invalid input: 2');
    expect(fake.calls.some((c) => c.name === 'startImport')).toBe(false);
  });
});
