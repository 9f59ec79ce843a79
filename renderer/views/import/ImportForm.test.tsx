// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { ASSUMED_HOST_RULE } from '../../../shared/model/hostName';
import css from '../../styles/app.css?raw';
import { initialViewState } from '../../state/viewState';
import {
  appInfo,
  caseInfo,
  combinedPreview,
  renderApp,
  stubLayout,
} from '../../testing/renderWithApi';

describe('import form file dialog', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('names its icon-only button, which fills the path and previews the file', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, mode: 'electron', canChooseFiles: true }),
        getCaseInfo: () => caseInfo(0),
        chooseFiles: () => ({ paths: ['/logs/access.log'] }),
        previewImport: (i) => combinedPreview(i.path),
      },
      { ...initialViewState(), view: 'import' },
    );
    const button = await screen.findByRole('button', { name: 'Choose a log file…' });
    expect(button.getAttribute('title')).toBe('Choose a log file…');
    fireEvent.click(button);
    await screen.findByText('Detected: Combined access log (97%)');
    expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe('/logs/access.log');
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'chooseFiles')?.input).toEqual({
        purpose: 'import',
      }),
    );
  });
});

describe('import form: several logs from the file dialog', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('previews the first and imports every one chosen, in the dialog order', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, mode: 'electron', canChooseFiles: true }),
        getCaseInfo: () => caseInfo(0),
        chooseFiles: () => ({
          paths: ['/logs/access.log', '/logs/access.log.1', 'C:\\logs\\old.log'],
        }),
        previewImport: (i) => combinedPreview(i.path),
        startImport: () => ({ importId: 'job-many' }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a log file…' }));
    await screen.findByText('Detected: Combined access log (97%)');
    // The first is previewed; the others are sniffed, each named with what it was found to be.
    expect(fake.calls.find((c) => c.name === 'previewImport')?.input).toMatchObject({
      path: '/logs/access.log',
    });
    const more = screen.getByTestId('import-more');
    expect([...more.querySelectorAll('li .mono')].map((e) => e.textContent)).toEqual([
      'access.log.1',
      'old.log',
    ]);
    const start = screen.getByTestId('import-start') as HTMLButtonElement;
    await waitFor(() => expect(start.disabled).toBe(false));
    expect(
      fake.calls
        .filter((c) => c.name === 'previewImport')
        .map((c) => (c.input as { path: string }).path),
    ).toEqual(['/logs/access.log', '/logs/access.log.1', 'C:\\logs\\old.log']);
    fireEvent.click(start);
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'startImport')?.input).toMatchObject({
        paths: ['/logs/access.log', '/logs/access.log.1', 'C:\\logs\\old.log'],
      }),
    );
  });

  it('names a chosen file that cannot be read, and starts only once it is left out', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, mode: 'electron', canChooseFiles: true }),
        getCaseInfo: () => caseInfo(0),
        chooseFiles: () => ({ paths: ['/logs/a.log', '/specs/api.yaml', '/logs/b.log'] }),
        previewImport: (i) => {
          if (i.path.endsWith('.yaml'))
            throw new AppError('UNKNOWN_FORMAT', 'api.yaml: an API description (OpenAPI 3.0.3)');
          return combinedPreview(i.path, { fileName: i.path.split('/').pop()! });
        },
        startImport: () => ({ importId: 'job-checked' }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a log file…' }));
    const more = await screen.findByTestId('import-more');
    await waitFor(() => expect(more.textContent).toContain('an API description (OpenAPI 3.0.3)'));
    await waitFor(() => expect(more.textContent).toContain('Combined access log'));
    const start = screen.getByTestId('import-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Leave api.yaml out' }));
    await waitFor(() => expect(start.disabled).toBe(false));
    fireEvent.click(start);
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'startImport')?.input).toMatchObject({
        paths: ['/logs/a.log', '/logs/b.log'],
      }),
    );
  });

  it('typing another path leaves the chosen ones out', async () => {
    renderApp(
      {
        getAppInfo: () => ({ ...appInfo, mode: 'electron', canChooseFiles: true }),
        getCaseInfo: () => caseInfo(0),
        chooseFiles: () => ({ paths: ['/logs/a.log', '/logs/b.log'] }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a log file…' }));
    await screen.findByTestId('import-more');
    fireEvent.change(screen.getByTestId('import-path'), { target: { value: '/logs/c.log' } });
    expect(screen.queryByTestId('import-more')).toBeNull();
  });
});

describe('import form: host for lines without one', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('refuses a bad host inline, sending nothing, and sends a good one with the import', async () => {
    const { fake } = renderApp(
      { getCaseInfo: () => caseInfo(0), startImport: () => ({ importId: 'job-h' }) },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/site-b/access.log' },
    });
    const field = screen.getByLabelText('Host for lines without one');
    expect(screen.getByText(/Rotated logs of one site need none/)).toBeTruthy();

    fireEvent.change(field, { target: { value: 'http://blog.example.com/' } });
    // The contract's own words, before anything is sent.
    expect(screen.getByRole('alert').textContent).toBe(ASSUMED_HOST_RULE);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const start = screen.getByTestId('import-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.submit(start.closest('form')!);
    expect(fake.calls.some((c) => c.name === 'startImport')).toBe(false);

    fireEvent.change(field, { target: { value: ' Blog.Example.com ' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(start.disabled).toBe(false);
    fireEvent.click(start);
    // As the backend receives it: parsed by the contract, so in lower case.
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'startImport')?.input).toEqual({
        paths: ['/logs/site-b/access.log'],
        tz: 'UTC',
        assumeHost: 'blog.example.com',
      }),
    );
  });
});

describe('import form: a preview whose lines name no host', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('says so by the host field until a host is given, and not for lines that name one', async () => {
    let hosts: { read: number; withoutHost: number } | null = { read: 20, withoutHost: 20 };
    renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        previewImport: (i) => combinedPreview(i.path, { hosts }),
      },
      { ...initialViewState(), view: 'import' },
    );
    const pathField = await screen.findByTestId('import-path');
    fireEvent.change(pathField, { target: { value: '/logs/site-b/access.log' } });
    fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
    const note = await screen.findByTestId('import-sample-hostless');
    expect(note.textContent).toBe(
      '20 of the first 20 requests of this file name no host: if the case holds (or will hold) logs of another site, give this file’s site here, or their requests share endpoints.',
    );
    // Part of the field's description, so it is read with the field.
    const field = screen.getByLabelText('Host for lines without one');
    const describedBy = document.getElementById(field.getAttribute('aria-describedby')!)!;
    expect(describedBy.contains(note)).toBe(true);
    fireEvent.change(field, { target: { value: 'blog.example.com' } });
    expect(screen.queryByTestId('import-sample-hostless')).toBeNull();

    fireEvent.change(field, { target: { value: '' } });
    hosts = { read: 20, withoutHost: 0 };
    fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
    await waitFor(() => expect(screen.queryByTestId('import-sample-hostless')).toBeNull());
    hosts = null;
    fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
    await screen.findByText('Detected: Combined access log (97%)');
    expect(screen.queryByTestId('import-sample-hostless')).toBeNull();
  });
});

describe('import form: options only where they apply', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('shows the log_format for nginx and the column map for CSV (chosen or detected), not for auto', async () => {
    const formats = [
      ...appInfo.formats,
      { id: 'nginx', label: 'nginx log_format', example: '' },
      { id: 'csv', label: 'CSV', example: '' },
    ];
    renderApp(
      {
        getAppInfo: () => ({ ...appInfo, formats }),
        getCaseInfo: () => caseInfo(0),
        previewImport: (i) => ({
          path: i.path,
          fileName: 'x.csv',
          sizeBytes: 10,
          gzip: false,
          format: 'csv',
          confidence: 0.9,
          scores: [{ id: 'csv', score: 0.9 }],
          lines: [],
          problem: null,
          csv: null,
          hosts: null,
        }),
      },
      { ...initialViewState(), view: 'import' },
    );
    const format = await screen.findByLabelText('Format');
    const logFormat = () => screen.queryByLabelText('log_format (nginx)');
    const columnMap = () => screen.queryByLabelText('Column map (column=field, one per line)');
    expect(logFormat()).toBeNull();
    expect(columnMap()).toBeNull();

    fireEvent.change(format, { target: { value: 'nginx' } });
    expect(logFormat()).toBeTruthy();
    expect(columnMap()).toBeNull();
    fireEvent.change(format, { target: { value: 'csv' } });
    expect(logFormat()).toBeNull();
    expect(columnMap()).toBeTruthy();
    // A value typed stays in sight whatever the format: it goes with the import.
    fireEvent.change(columnMap()!, { target: { value: 'uri=path' } });
    fireEvent.change(format, { target: { value: '' } });
    expect(columnMap()).toBeTruthy();
    fireEvent.change(columnMap()!, { target: { value: '' } });
    expect(columnMap()).toBeNull();

    // Auto-detect that finds a CSV shows the column map.
    fireEvent.change(screen.getByTestId('import-path'), { target: { value: '/logs/x.csv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
    await screen.findByText('Detected: CSV (90%)');
    expect(columnMap()).toBeTruthy();
    expect(logFormat()).toBeNull();
  });

  it('shows the previewed lines with their control characters visible, not acting', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(0),
        previewImport: (i) =>
          combinedPreview(i.path, {
            lines: ['1.2.3.4 - - "GET /\u001b[31mred HTTP/1.1" 200', 'second\u202Eline'],
          }),
      },
      { ...initialViewState(), view: 'import' },
    );
    fireEvent.change(await screen.findByTestId('import-path'), {
      target: { value: '/logs/access.log' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
    const sample = await screen.findByTestId('import-sample-lines');
    expect(sample.textContent).toContain('\\x1B[31mred');
    expect(sample.textContent).toContain('second\\u202Eline');
    expect(sample.textContent).not.toContain('\u001b');
    expect(sample.textContent).not.toContain('\u202e');
  });
});

describe('import form layout', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  /** The selector of app.css's rule that levels a checkbox with the field beside it. */
  function besideFieldSelector(): string {
    const rule = /([^{}/]*\+\s*\.check)\s*\{([^}]*)\}/.exec(css);
    if (!rule) throw new Error('app.css has no rule for a .check after a field');
    expect(rule[2]).toMatch(/align-self:\s*start/);
    return rule[1]!.trim();
  }

  it('levels the re-import checkbox with the host input, whatever the hint below it', async () => {
    renderApp({ getCaseInfo: () => caseInfo(0) }, { ...initialViewState(), view: 'import' });
    const box = await screen.findByRole('checkbox', {
      name: 'Import again even if already in the case',
    });
    const check = box.closest('label')!;
    expect(check.matches(besideFieldSelector()), check.parentElement!.outerHTML).toBe(true);
    expect(
      check.previousElementSibling!.contains(screen.getByLabelText('Host for lines without one')),
    ).toBe(true);
  });
});
