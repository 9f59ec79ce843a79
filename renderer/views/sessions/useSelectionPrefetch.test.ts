// @vitest-environment happy-dom
import { cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, createFakeTransport } from '../../api/client';
import { PREFETCH_TTL_MS } from '../../api/prefetch';
import { SELECTED_PREFETCH_MS, useSelectionPrefetch } from './useSelectionPrefetch';

const A = 's0123456789abcdef';
const B = 's0123456789abcde0';

function setup() {
  const fake = createFakeTransport();
  const batches: string[] = [];
  const client = createClient({
    ...fake,
    callBatch: (calls) => {
      const ids = new Set(
        calls.map((c) => {
          const input = c.input as {
            id?: string;
            sessionId?: string;
            filters?: { sessionId?: string };
          };
          return input.id ?? input.sessionId ?? input.filters?.sessionId;
        }),
      );
      batches.push([...ids].join(','));
      return calls.map(() => Promise.resolve({ ok: true, value: {} }));
    },
  });
  return { client, batches };
}

describe('useSelectionPrefetch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("asks for a row's opening answers once it has stayed selected, not for rows passed over", () => {
    const { client, batches } = setup();
    const { rerender } = renderHook(({ id }) => useSelectionPrefetch(client, id, {}), {
      initialProps: { id: A as string | undefined },
    });
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS - 1);
    rerender({ id: B });
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS - 1);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    // One batch: the timeline, the first requests page, the detail and the verdict of B.
    expect(batches).toEqual([B]);
    rerender({ id: undefined });
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS * 2);
    expect(batches).toEqual([B]);
  });

  it('a click on the selected row asks again only once its answer has expired', async () => {
    const { client, batches } = setup();
    const { result } = renderHook(() => useSelectionPrefetch(client, A, {}));
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS);
    expect(batches).toEqual([A]);
    result.current(A);
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS);
    expect(batches).toEqual([A]);
    await vi.advanceTimersByTimeAsync(PREFETCH_TTL_MS + 1);
    result.current(A);
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS);
    expect(batches).toEqual([A, A]);
  });

  it('asks at once for a row clicked, however quick the second click of a double click', () => {
    const { client, batches } = setup();
    const { result } = renderHook(() => useSelectionPrefetch(client, A, {}));
    result.current(B, 'pointer');
    expect(batches).toEqual([B]);
    // A's pending ask is dropped: the click moved the selection away from it.
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS * 2);
    expect(batches).toEqual([B]);
  });

  it('asks nothing once unmounted (the session opened, the list hidden)', () => {
    const { client, batches } = setup();
    const { unmount } = renderHook(() => useSelectionPrefetch(client, A, {}));
    unmount();
    vi.advanceTimersByTime(SELECTED_PREFETCH_MS * 2);
    expect(batches).toEqual([]);
  });
});
