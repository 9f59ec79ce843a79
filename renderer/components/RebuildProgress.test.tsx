// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { createClient, createFakeTransport } from '../api/client';
import { RebuildProgress } from './RebuildProgress';

afterEach(cleanup);

describe('rebuild progress', () => {
  it('shows the running step, cancels, and goes away when the rebuild is done', async () => {
    const fake = createFakeTransport({
      cancelRebuild: () => ({ cancelled: true }),
      rebuildStatus: () => ({ running: null }),
    });
    render(
      <ApiProvider client={createClient(fake)}>
        <RebuildProgress />
      </ApiProvider>,
    );
    expect(screen.queryByTestId('rebuild-progress')).toBeNull();
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan', index: 0, total: 4 }));
    act(() =>
      fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'sessions', index: 2, total: 4 }),
    );
    await screen.findByText('Rebuilding the analysis: sessions (3 of 4)');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');

    const cancel = screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement;
    fireEvent.click(cancel);
    await waitFor(() =>
      expect(fake.calls.map((c) => c.name)).toEqual(['rebuildStatus', 'cancelRebuild']),
    );
    await waitFor(() => expect(cancel.disabled).toBe(true));
    act(() =>
      fake.emit('rebuildDone', {
        rebuildId: 'r1',
        result: null,
        error: { code: 'CANCELLED', message: 'Rebuild cancelled; the case is unchanged' },
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('rebuild-progress')).toBeNull());
  });

  it('a page opened while a rebuild runs shows it at once, from rebuildStatus', async () => {
    const running = { rebuildId: 'r1', step: 'text index', index: 9, total: 12 };
    const fake = createFakeTransport({ rebuildStatus: () => ({ running }) });
    render(
      <ApiProvider client={createClient(fake)}>
        <RebuildProgress />
      </ApiProvider>,
    );
    await screen.findByText('Rebuilding the analysis: text index (10 of 12)');
    act(() => fake.emit('rebuildDone', { rebuildId: 'r1', result: null, error: null }));
    await waitFor(() => expect(screen.queryByTestId('rebuild-progress')).toBeNull());
  });

  it('an event heard before the status answer wins: the answer is older', async () => {
    type Status = { running: { rebuildId: string; step: string; index: number; total: number } };
    let answer: (v: Status) => void = () => undefined;
    const fake = createFakeTransport({
      rebuildStatus: () => new Promise<Status>((resolve) => (answer = resolve)),
    });
    render(
      <ApiProvider client={createClient(fake)}>
        <RebuildProgress />
      </ApiProvider>,
    );
    await waitFor(() => expect(fake.calls.map((c) => c.name)).toEqual(['rebuildStatus']));
    // The rebuild the backend was running when asked ends before its answer arrives.
    act(() => fake.emit('rebuildDone', { rebuildId: 'r1', result: null, error: null }));
    await act(async () =>
      answer({ running: { rebuildId: 'r1', step: 'scan', index: 0, total: 12 } }),
    );
    expect(screen.queryByTestId('rebuild-progress')).toBeNull();
  });
});
