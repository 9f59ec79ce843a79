// @vitest-environment happy-dom
import { act, renderHook } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_WAIT_MS, MIN_STEP_MS, stepDelayMs, useReplay } from './useReplay';

const S = 1e6;

/** A session's request times (µs), as loaded pages: `loaded` of them now, the rest later. */
function harness(times: number[], loaded = times.length) {
  const loadMore = vi.fn();
  const hook = renderHook(
    (p: { loaded: number }) => {
      const [index, setIndex] = useState(0);
      const replay = useReplay({
        index,
        count: p.loaded,
        hasMore: p.loaded < times.length,
        timeAt: (i) => (i < p.loaded ? times[i] : undefined),
        onIndex: setIndex,
        loadMore,
      });
      return { index, setIndex, replay };
    },
    { initialProps: { loaded } },
  );
  return { ...hook, loadMore };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('stepDelayMs', () => {
  it('scales the real gap by the speed, within the floor and the cap', () => {
    expect(stepDelayMs(10 * S, 10)).toEqual({ delayMs: 1000, shortened: false });
    expect(stepDelayMs(1000, 600)).toEqual({ delayMs: MIN_STEP_MS, shortened: false });
    expect(stepDelayMs(3600 * S, 60)).toEqual({ delayMs: MAX_WAIT_MS, shortened: true });
  });
});

describe('useReplay', () => {
  it('plays in time order, waiting each real gap divided by the speed', () => {
    const { result } = harness([0, 5 * S, 6 * S, 26 * S]);
    act(() => result.current.replay.toggle());
    expect(result.current.replay.playing).toBe(true);
    // Speed 10×: 5 s → 500 ms.
    act(() => vi.advanceTimersByTime(499));
    expect(result.current.index).toBe(0);
    act(() => vi.advanceTimersByTime(1));
    expect(result.current.index).toBe(1);
    // 1 s → 100 ms.
    act(() => vi.advanceTimersByTime(100));
    expect(result.current.index).toBe(2);
    // 20 s → 2000 ms, the cap, flagged as shortened.
    expect(result.current.replay.shortened).toBe(false);
    act(() => result.current.replay.setSpeed(1));
    expect(result.current.replay.shortened).toBe(true);
    act(() => vi.advanceTimersByTime(MAX_WAIT_MS));
    expect(result.current.index).toBe(3);
    // The last request ends the replay.
    expect(result.current.replay.playing).toBe(false);
    act(() => vi.advanceTimersByTime(10_000));
    expect(result.current.index).toBe(3);
  });

  it('pauses, and does not resume by itself after the end when a row is picked', () => {
    const { result } = harness([0, S, 2 * S]);
    act(() => result.current.replay.toggle());
    act(() => result.current.replay.toggle());
    act(() => vi.advanceTimersByTime(5000));
    expect(result.current.index).toBe(0);
    act(() => result.current.replay.toggle());
    // One act per step: each step's timer is armed by the render that shows the step.
    act(() => vi.advanceTimersByTime(100));
    act(() => vi.advanceTimersByTime(100));
    expect(result.current.index).toBe(2);
    act(() => result.current.setIndex(0));
    act(() => vi.advanceTimersByTime(5000));
    expect(result.current.index).toBe(0);
    // Play at the end starts over from the first request.
    act(() => result.current.setIndex(2));
    act(() => result.current.replay.toggle());
    expect(result.current.index).toBe(0);
    expect(result.current.replay.playing).toBe(true);
  });

  it('steps back and forward, which pauses a running replay', () => {
    const { result } = harness([0, S, 2 * S]);
    act(() => result.current.replay.step(-1));
    expect(result.current.index).toBe(0);
    act(() => result.current.replay.step(1));
    act(() => result.current.replay.step(1));
    expect(result.current.index).toBe(2);
    act(() => result.current.replay.step(1));
    expect(result.current.index).toBe(2);
    act(() => result.current.replay.step(-1));
    act(() => result.current.replay.toggle());
    act(() => result.current.replay.step(-1));
    expect(result.current.replay.playing).toBe(false);
    act(() => vi.advanceTimersByTime(5000));
    expect(result.current.index).toBe(0);
  });

  it('asks for the next page at the end of the loaded rows and goes on when it arrives', () => {
    const { result, rerender, loadMore } = harness([0, S, 2 * S, 3 * S], 2);
    act(() => result.current.replay.toggle());
    act(() => vi.advanceTimersByTime(MIN_STEP_MS));
    expect(result.current.index).toBe(1);
    expect(loadMore).toHaveBeenCalled();
    expect(result.current.replay.playing).toBe(true);
    rerender({ loaded: 4 });
    act(() => vi.advanceTimersByTime(MIN_STEP_MS));
    expect(result.current.index).toBe(2);
  });
});
