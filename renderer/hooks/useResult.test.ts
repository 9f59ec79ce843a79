// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import { useResult } from './useResult';

/** A load whose answers the test gives by hand, counting the calls. */
function controlled() {
  const waiting: ((r: Result<string>) => void)[] = [];
  const load = (): Promise<Result<string>> => new Promise((resolve) => waiting.push(resolve));
  return { load, waiting };
}

describe('useResult', () => {
  afterEach(cleanup);

  it('loads each key and drops an answer for a key no longer asked for', async () => {
    const c = controlled();
    const { result, rerender } = renderHook(({ key }) => useResult(c.load, key), {
      initialProps: { key: 'a' },
    });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(c.waiting).toHaveLength(1));
    rerender({ key: 'b' });
    await waitFor(() => expect(c.waiting).toHaveLength(2));
    act(() => c.waiting[0]!({ ok: true, value: 'for a' }));
    act(() => c.waiting[1]!({ ok: true, value: 'for b' }));
    await waitFor(() => expect(result.current.value).toBe('for b'));
    expect(result.current.status).toBe('ok');
  });
});

describe('useResult with an answer already known', () => {
  afterEach(cleanup);

  it('draws it in the first render; the load answering the same result changes nothing', async () => {
    const known: Result<string> = { ok: true, value: 'known' };
    let loads = 0;
    let renders = 0;
    const { result } = renderHook(() => {
      renders++;
      return useResult(
        () => {
          loads++;
          return Promise.resolve(known);
        },
        'a',
        () => known,
      );
    });
    expect(renders).toBe(1);
    expect(result.current).toMatchObject({ status: 'ok', value: 'known' });
    await waitFor(() => expect(loads).toBe(1));
    await act(() => Promise.resolve());
    expect(result.current).toMatchObject({ status: 'ok', value: 'known' });
    expect(renders).toBe(1);
  });

  it('loads as before when nothing is known yet', async () => {
    const c = controlled();
    const { result } = renderHook(() => useResult(c.load, 'a', () => undefined));
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(c.waiting).toHaveLength(1));
    act(() => c.waiting[0]!({ ok: true, value: 'late' }));
    await waitFor(() => expect(result.current.value).toBe('late'));
  });
});
