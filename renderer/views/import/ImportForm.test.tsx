// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSUMED_HOST_RULE } from '../../../shared/model/hostName';
import { initialViewState } from '../../state/viewState';
import { appInfo, caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';

describe('import form file dialog', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('names its icon-only button, which fills the path and previews the file', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, mode: 'electron', canChooseFiles: true }),
        getCaseInfo: () => caseInfo(0),
        chooseFiles: () => ({ paths: ['/logs/access.log'] }),
        previewImport: (i) => ({
          path: i.path,
          fileName: 'access.log',
          sizeBytes: 10,
          gzip: false,
          format: 'combined',
          confidence: 0.97,
          scores: [{ id: 'combined', score: 0.97 }],
          lines: [],
          problem: null,
          csv: null,
        }),
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
