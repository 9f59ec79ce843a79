// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvMappingInfo, ImportPreview } from '../../../shared/contract/caseApi';
import { App } from '../../App';
import { createClient, type FakeHandlers } from '../../api/client';
import { initialViewState } from '../../state/viewState';
import {
  appInfo,
  caseInfo,
  fakeAppTransport,
  renderApp,
  stubLayout,
} from '../../testing/renderWithApi';

const TARGETS = {
  timestamp: 'request time',
  ip: 'client IP address',
  url: 'path or request line',
  status: 'HTTP status code',
  resp_bytes: 'response size in bytes',
  extra: 'keep in extra only',
};

const ROWS = [
  ['203.0.113.9', '[10/Oct/2024:13:55:36', 'GET /a HTTP/1.1', '<b>512</b>'],
  ['203.0.113.10', '[10/Oct/2024:13:55:37', 'GET /b HTTP/1.1', '64'],
];

const AUTO: (string | null)[] = ['ip', 'timestamp', 'url', null];

/**
 * A backend stand-in for a header-less CSV: columns are auto-mapped by content, the `map`
 * (keyed by index) overrides them, and a mapping without a timestamp is reported as a problem.
 */
function preview(path: string, map: Record<string, string> = {}): ImportPreview {
  const fields = AUTO.map((f, i) => map[String(i)] ?? f);
  const columns: CsvMappingInfo['columns'] = fields.map((field, i) => ({
    index: i,
    name: `column_${i}`,
    field: field === 'extra' ? null : field,
    mappedBy: map[String(i)] ? 'map' : field ? 'content' : null,
  }));
  const hasTime = fields.includes('timestamp');
  return {
    path,
    fileName: path.split('/').pop() ?? path,
    sizeBytes: 120,
    gzip: false,
    format: 'csv',
    confidence: 0.9,
    scores: [{ id: 'csv', score: 0.9 }],
    lines: ROWS.map((r) => r.join(',')),
    problem: null,
    csv: {
      delimiter: ',',
      hasHeader: false,
      columns,
      rows: ROWS,
      preview: [],
      problem: hasTime ? null : 'No column gives the request time (columns: 0, 1, 2, 3).',
      targets: TARGETS,
    },
    hosts: null,
  };
}

const handlers: FakeHandlers = {
  getCaseInfo: () => caseInfo(0),
  previewImport: (i) => preview(i.path, i.map),
  startImport: () => ({ importId: 'job-csv' }),
};

function startButton(): HTMLButtonElement {
  return screen.getByTestId('import-start') as HTMLButtonElement;
}

async function detect(path: string): Promise<void> {
  fireEvent.change(await screen.findByTestId('import-path'), { target: { value: path } });
  fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
  await screen.findByTestId('csv-mapping');
}

describe('CSV column mapping on the import form', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('shows one select per column with the detected fields and the first rows as text', async () => {
    renderApp(handlers, { ...initialViewState(), view: 'import' });
    await detect('/logs/export.csv');
    const selects = [0, 1, 2, 3].map(
      (i) => screen.getByTestId(`csv-map-${i}`) as HTMLSelectElement,
    );
    expect(selects.map((s) => s.value)).toEqual(['ip', 'timestamp', 'url', 'extra']);
    expect(Array.from(selects[3]!.options).map((o) => o.textContent)).toContain('extra (unmapped)');
    // A hostile cell is text, not markup.
    screen.getByText('<b>512</b>');
    expect(document.querySelector('.csv-mapping b')).toBeNull();
    expect(startButton().disabled).toBe(false);
  });

  it('a select change becomes the startImport map (and the text field shows it)', async () => {
    const { fake } = renderApp(handlers, { ...initialViewState(), view: 'import' });
    await detect('/logs/export.csv');
    fireEvent.change(screen.getByTestId('csv-map-3'), { target: { value: 'resp_bytes' } });
    expect((screen.getByPlaceholderText(/client_ip=ip/) as HTMLTextAreaElement).value).toBe(
      '3=resp_bytes',
    );
    // The backend is asked again with the new map before Start is allowed.
    await waitFor(() =>
      expect(
        fake.calls.some(
          (c) =>
            c.name === 'previewImport' &&
            (c.input as { map?: Record<string, string> }).map?.['3'] === 'resp_bytes',
        ),
      ).toBe(true),
    );
    await waitFor(() => expect(startButton().disabled).toBe(false));
    screen.getByText('by your map');
    fireEvent.click(startButton());
    await screen.findByTestId('import-progress');
    expect(fake.calls.find((c) => c.name === 'startImport')?.input).toEqual({
      paths: ['/logs/export.csv'],
      tz: 'UTC',
      map: { '3': 'resp_bytes' },
    });
  });

  it("shows the preview's problem and keeps Start disabled until the mapping is fixed", async () => {
    const { fake } = renderApp(handlers, { ...initialViewState(), view: 'import' });
    await detect('/logs/export.csv');
    fireEvent.change(screen.getByTestId('csv-map-1'), { target: { value: 'extra' } });
    expect((await screen.findByTestId('csv-problem')).textContent).toContain(
      'No column gives the request time',
    );
    expect(startButton().disabled).toBe(true);
    fireEvent.submit(startButton().closest('form')!);
    expect(fake.calls.some((c) => c.name === 'startImport')).toBe(false);

    // Mapping the time to another column resolves it; the text keeps one line per column.
    fireEvent.change(screen.getByTestId('csv-map-1'), { target: { value: 'timestamp' } });
    await waitFor(() => expect(screen.queryByTestId('csv-problem')).toBeNull());
    await waitFor(() => expect(startButton().disabled).toBe(false));
    expect((screen.getByPlaceholderText(/client_ip=ip/) as HTMLTextAreaElement).value).toBe(
      '1=timestamp',
    );
  });

  it('typing in the column-map field moves the table too (one source of truth)', async () => {
    renderApp(handlers, { ...initialViewState(), view: 'import' });
    await detect('/logs/export.csv');
    fireEvent.change(screen.getByPlaceholderText(/client_ip=ip/), {
      target: { value: 'column_0=resp_bytes' },
    });
    expect((screen.getByTestId('csv-map-0') as HTMLSelectElement).value).toBe('resp_bytes');
    // The table then rewrites that column's line rather than adding a second one.
    fireEvent.change(screen.getByTestId('csv-map-0'), { target: { value: 'ip' } });
    expect((screen.getByPlaceholderText(/client_ip=ip/) as HTMLTextAreaElement).value).toBe('0=ip');
  });
});

describe('dropping a file on the import form', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('uploads it through the same path as the file input, then previews it', async () => {
    const fake = fakeAppTransport({
      getAppInfo: () => ({ ...appInfo, canUpload: true }),
      ...handlers,
    });
    const uploads: { name: string; text: string }[] = [];
    const client = createClient({
      ...fake,
      upload: async (file, fileName) => {
        uploads.push({ name: fileName, text: await file.text() });
        return { ok: true, value: { path: `/uploads/${fileName}` } };
      },
    });
    render(<App client={client} initialView={{ ...initialViewState(), view: 'import' }} />);
    const zone = await screen.findByTestId('import-drop');
    const file = new File(
      ['203.0.113.9,[10/Oct/2024:13:55:36,GET /a HTTP/1.1,200\n'],
      'dropped.csv',
    );
    fireEvent.dragEnter(zone, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(zone.className).toContain('drop-over');
    fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files: [file] } });
    await screen.findByTestId('csv-mapping');
    expect(uploads).toEqual([
      { name: 'dropped.csv', text: '203.0.113.9,[10/Oct/2024:13:55:36,GET /a HTTP/1.1,200\n' },
    ]);
    expect(zone.className).not.toContain('drop-over');
    expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe(
      '/uploads/dropped.csv',
    );
    expect(fake.calls.find((c) => c.name === 'previewImport')?.input).toMatchObject({
      path: '/uploads/dropped.csv',
    });
  });

  it('takes several files: previews the first, imports every one left, in the order dropped', async () => {
    const fake = fakeAppTransport({
      getAppInfo: () => ({ ...appInfo, canUpload: true }),
      ...handlers,
    });
    const uploads: string[] = [];
    const client = createClient({
      ...fake,
      upload: (_file, fileName) => {
        uploads.push(fileName);
        return Promise.resolve({ ok: true, value: { path: `/uploads/${fileName}` } });
      },
    });
    render(<App client={client} initialView={{ ...initialViewState(), view: 'import' }} />);
    const zone = await screen.findByTestId('import-drop');
    const files = ['access.csv', 'access.1.csv', 'access.2.csv.gz'].map(
      (name) => new File(['203.0.113.9,[10/Oct/2024:13:55:36,GET /a HTTP/1.1,200\n'], name),
    );
    fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files } });
    await screen.findByTestId('csv-mapping');
    expect(uploads).toEqual(['access.csv', 'access.1.csv', 'access.2.csv.gz']);
    // The first is previewed; the others are listed, to go with it (each sniffed too).
    expect(fake.calls.find((c) => c.name === 'previewImport')?.input).toMatchObject({
      path: '/uploads/access.csv',
    });
    const more = screen.getByTestId('import-more');
    expect(more.textContent).toContain('access.1.csv');
    expect(more.textContent).toContain('access.2.csv.gz');
    // One is left out; Start imports the rest, the previewed one first.
    fireEvent.click(screen.getByRole('button', { name: 'Leave access.1.csv out' }));
    expect(screen.getByTestId('import-more').textContent).not.toContain('access.1.csv');
    await waitFor(() => expect(startButton().disabled).toBe(false));
    fireEvent.click(startButton());
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'startImport')?.input).toMatchObject({
        paths: ['/uploads/access.csv', '/uploads/access.2.csv.gz'],
      }),
    );
  });

  it('offers none of the files when one fails to upload, and says which', async () => {
    const fake = fakeAppTransport({
      getAppInfo: () => ({ ...appInfo, canUpload: true }),
      ...handlers,
    });
    const client = createClient({
      ...fake,
      upload: (_file, fileName) =>
        Promise.resolve(
          fileName === 'b.csv'
            ? { ok: false, error: { code: 'BAD_INPUT', message: 'b.csv: upload too large' } }
            : { ok: true, value: { path: `/uploads/${fileName}` } },
        ),
    });
    render(<App client={client} initialView={{ ...initialViewState(), view: 'import' }} />);
    const zone = await screen.findByTestId('import-drop');
    const files = ['a.csv', 'b.csv'].map((name) => new File(['x\n'], name));
    fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files } });
    expect((await screen.findByRole('alert')).textContent).toContain('b.csv: upload too large');
    expect(screen.queryByTestId('import-more')).toBeNull();
    expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe('');
    expect(startButton().disabled).toBe(true);
  });

  it('without uploads (Electron) a drop does nothing and no drop target is drawn', async () => {
    renderApp(handlers, { ...initialViewState(), view: 'import' });
    await screen.findByTestId('import-path');
    expect(screen.queryByTestId('import-drop')).toBeNull();
  });
});
