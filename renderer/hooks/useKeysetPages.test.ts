// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import { useKeysetPages, type PageLike } from './useKeysetPages';

type Page = Result<PageLike<string>>;

/** A fetch whose answers the test gives by hand, per key. */
function controlled() {
  const waiting = new Map<string, (p: Page) => void>();
  const fetchFor = (key: string) => () => new Promise<Page>((resolve) => waiting.set(key, resolve));
  const answer = (key: string, items: string[]): void =>
    waiting.get(key)!({ ok: true, value: { items, nextCursor: null } });
  return { fetchFor, answer, waiting };
}

describe('keyset pages across a key change', () => {
  afterEach(cleanup);

  it('empties the rows while the new key loads, by default', async () => {
    const c = controlled();
    const { result, rerender } = renderHook(({ key }) => useKeysetPages(c.fetchFor(key), key), {
      initialProps: { key: 'a' },
    });
    await waitFor(() => expect(c.waiting.has('a')).toBe(true));
    act(() => c.answer('a', ['a1', 'a2']));
    await waitFor(() => expect(result.current.rows).toEqual(['a1', 'a2']));
    rerender({ key: 'b' });
    expect(result.current.rows).toEqual([]);
    expect(result.current.stale).toBe(false);
  });

  it('keeps the previous rows, marked stale, until the new first page arrives', async () => {
    const c = controlled();
    const { result, rerender } = renderHook(
      ({ key }) => useKeysetPages(c.fetchFor(key), key, { keepWhileLoading: true }),
      { initialProps: { key: 'a' } },
    );
    await waitFor(() => expect(c.waiting.has('a')).toBe(true));
    act(() => c.answer('a', ['a1', 'a2']));
    await waitFor(() => expect(result.current.rows).toEqual(['a1', 'a2']));
    expect(result.current.stale).toBe(false);

    rerender({ key: 'b' });
    expect(result.current.rows).toEqual(['a1', 'a2']);
    expect(result.current.stale).toBe(true);
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(c.waiting.has('b')).toBe(true));
    act(() => c.answer('b', ['b1']));
    await waitFor(() => expect(result.current.rows).toEqual(['b1']));
    expect(result.current.stale).toBe(false);
    expect(result.current.hasMore).toBe(false);
  });
});

describe('keyset pages with a first page already known', () => {
  afterEach(cleanup);

  it('draws it in the first render and keeps it (and later pages) when the load answers the same', async () => {
    const first = ['r1', 'r2'];
    const known: Page = { ok: true, value: { items: first, nextCursor: 'c1' } };
    const asked: (string | undefined)[] = [];
    let renders = 0;
    const { result } = renderHook(() => {
      renders++;
      return useKeysetPages(
        (cursor) => {
          asked.push(cursor);
          return Promise.resolve<Page>(
            cursor ? { ok: true, value: { items: ['r3'], nextCursor: null } } : known,
          );
        },
        'k',
        { initial: () => known },
      );
    });
    expect(renders).toBe(1);
    expect(result.current.rows).toEqual(['r1', 'r2']);
    expect(result.current.loading).toBe(false);
    await waitFor(() => expect(asked).toEqual([undefined]));
    expect(renders).toBe(1);
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.rows).toEqual(['r1', 'r2', 'r3']));
    expect(result.current.hasMore).toBe(false);
  });
});
