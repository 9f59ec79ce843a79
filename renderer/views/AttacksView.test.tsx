// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';

const LONG = `/api/v1/${'very-long-segment-'.repeat(40)}<img src=x>`;

describe('attacks by endpoint', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('cuts a long endpoint in its cell, whole in the title, as text', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        listAttacks: () => ({
          types: [
            { type: 'xss', requests: 4, detections: 4, engine: 4, sourceLabel: 0, custom: 0 },
          ],
          groups: [
            {
              type: 'xss',
              method: 'GET',
              endpoint: LONG,
              requests: 4,
              detections: 4,
              rules: ['xss.js-sink', 'xss.js-uri'],
              exampleRequestId: 7,
            },
          ],
          items: [],
          nextCursor: null,
        }),
      },
      { ...initialViewState(), view: 'attacks' },
    );
    const link = await screen.findByRole('button', { name: LONG });
    // One line with an ellipsis (.text-clip) in a cell that cannot widen the table
    // (.cell-clip), so the Requests and Rules columns stay on the panel.
    expect(link.title).toBe(LONG);
    expect(link.classList.contains('text-clip')).toBe(true);
    expect(link.closest('td')!.classList.contains('cell-clip')).toBe(true);
    expect(screen.getByText('xss.js-sink, xss.js-uri')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });
});
