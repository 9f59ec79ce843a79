// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initialViewState } from '../state/viewState';
import type { FakeTransport } from '../api/client';
import { caseInfo, renderApp } from '../testing/renderWithApi';

afterEach(cleanup);

function overview(analysisCurrent: boolean | undefined): FakeTransport {
  return renderApp(
    {
      getCaseInfo: () => ({ ...caseInfo(100), analysisCurrent }),
      requestHistogram: () => ({
        total: 0,
        buckets: [],
        widthUs: 60e6,
        caseFirstUs: null,
        caseLastUs: null,
      }),
      flowTotals: () => [],
    },
    { ...initialViewState(), view: 'overview' },
  ).fake;
}

describe('case overview', () => {
  it('says when the analysis shown is out of date, beside the button that rebuilds it', async () => {
    overview(false);
    expect(
      await screen.findByText(/^The analysis shown was not made from this case’s requests/),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rebuild analysis' })).toBeTruthy();
  });

  it('says nothing of it while a rebuild runs (one after an import brings it up to date)', async () => {
    const fake = overview(false);
    await screen.findByText(/^The analysis shown/);
    act(() =>
      fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan requests', index: 0, total: 19 }),
    );
    expect(screen.queryByText(/^The analysis shown/)).toBeNull();
  });

  it('asks for the top flows again once a rebuild is done', async () => {
    const fake = overview(true);
    await screen.findByRole('button', { name: 'Rebuild analysis' });
    const flowCalls = () => fake.calls.filter((c) => c.name === 'flowTotals').length;
    await waitFor(() => expect(flowCalls()).toBe(1));
    act(() => fake.emit('rebuildDone', { rebuildId: 'r1', result: null, error: null }));
    await waitFor(() => expect(flowCalls()).toBe(2));
  });

  it('says nothing of it when the analysis is current, or not known', async () => {
    for (const current of [true, undefined]) {
      overview(current);
      await screen.findByRole('button', { name: 'Rebuild analysis' });
      expect(screen.queryByText(/^The analysis shown/)).toBeNull();
      cleanup();
    }
  });
});
