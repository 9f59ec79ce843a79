// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
