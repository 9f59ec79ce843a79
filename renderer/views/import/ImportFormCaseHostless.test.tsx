// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseHostless, SampleHosts } from '../../../shared/contract/caseApi';
import { initialViewState } from '../../state/viewState';
import { caseInfo, combinedPreview, renderApp, stubLayout } from '../../testing/renderWithApi';

/*
 * Two sites' host-less requests merge into one set of endpoints. The host field says so when
 * the case already holds requests without a host (from earlier sources): exactly when a file
 * without hosts of its own would merge with them.
 */

function renderForm(preview: { hosts: SampleHosts | null; caseHostless?: CaseHostless }) {
  renderApp(
    {
      getCaseInfo: () => caseInfo(0),
      previewImport: (i) => combinedPreview(i.path, preview),
    },
    { ...initialViewState(), view: 'import' },
  );
}

async function detect(): Promise<void> {
  fireEvent.change(await screen.findByTestId('import-path'), {
    target: { value: '/logs/site-b/access.log' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Detect format' }));
}

const A = { sourceId: 1, file: 'a.log', withoutHost: 12_000 };
const B = { sourceId: 3, file: 'b\u001b.log', withoutHost: 300 };
const C = { sourceId: 4, file: 'c.log', withoutHost: 45 };

describe('import form: the case already holds requests without a host', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('says how many and from which sources, until a host is given', async () => {
    renderForm({
      hosts: { read: 20, withoutHost: 20 },
      caseHostless: { requests: 12_345, sources: [A, B, C] },
    });
    await detect();
    const note = await screen.findByTestId('import-case-hostless');
    expect(note.textContent).toBe(
      'This case already holds 12,345 requests without a host (from a.log, b\\x1B.log and 1 more): set “Host for lines without one” so that this file’s requests do not merge with them.',
    );
    const field = screen.getByLabelText('Host for lines without one');
    const describedBy = document.getElementById(field.getAttribute('aria-describedby')!)!;
    expect(describedBy.contains(note)).toBe(true);
    fireEvent.change(field, { target: { value: 'blog.example.com' } });
    expect(screen.queryByTestId('import-case-hostless')).toBeNull();
  });

  it('one request, from one source; also when the sample cannot tell (a HAR)', async () => {
    renderForm({ hosts: null, caseHostless: { requests: 1, sources: [{ ...A, withoutHost: 1 }] } });
    await detect();
    expect((await screen.findByTestId('import-case-hostless')).textContent).toBe(
      'This case already holds 1 request without a host (from a.log): set “Host for lines without one” so that this file’s requests do not merge with it.',
    );
  });

  it('says nothing when the case holds none, or when every sampled line names its host', async () => {
    renderForm({ hosts: { read: 5, withoutHost: 5 }, caseHostless: { requests: 0, sources: [] } });
    await detect();
    await screen.findByTestId('import-sample-hostless');
    expect(screen.queryByTestId('import-case-hostless')).toBeNull();
    cleanup();
    renderForm({ hosts: { read: 5, withoutHost: 0 }, caseHostless: { requests: 9, sources: [A] } });
    await detect();
    await screen.findByText('Detected: Combined access log (97%)');
    expect(screen.queryByTestId('import-case-hostless')).toBeNull();
  });
});
