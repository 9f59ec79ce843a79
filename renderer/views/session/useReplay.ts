import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Replay speeds, as multiples of real time. Time-scaled rather than "one request per tick":
 * an auditor walking an incident needs its rhythm — a scripted burst of logins 50 ms apart
 * reads differently from a person clicking every few seconds — and a fixed tick would erase
 * exactly that. Two bounds keep a long incident walkable: a quiet hour between two requests
 * is shortened to MAX_WAIT_MS (the bar says so and shows the real gap), and no step is
 * shorter than MIN_STEP_MS, so every request is seen highlighted before the next one.
 */
export const REPLAY_SPEEDS = [1, 10, 60, 600] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

export const MAX_WAIT_MS = 2000;
export const MIN_STEP_MS = 100;

/** How long to show a request before moving on, given the real gap to the next one. */
export function stepDelayMs(gapUs: number, speed: number): { delayMs: number; shortened: boolean } {
  const scaled = Math.max(0, gapUs) / 1000 / speed;
  if (scaled > MAX_WAIT_MS) return { delayMs: MAX_WAIT_MS, shortened: true };
  return { delayMs: Math.max(MIN_STEP_MS, scaled), shortened: false };
}

export interface ReplayInput {
  /** The current request: the requests table's selected row. */
  index: number;
  /** Requests loaded so far (the table's keyset pages). */
  count: number;
  /** More pages exist beyond `count`. */
  hasMore: boolean;
  /** Time (µs) of the loaded request at `i`, undefined beyond the loaded rows. */
  timeAt: (i: number) => number | undefined;
  onIndex: (i: number) => void;
  /** Asks for the next page; the hook waits for `count` to grow. */
  loadMore: () => void;
}

export interface Replay {
  playing: boolean;
  speed: ReplaySpeed;
  /** True while the running step's wait was capped at MAX_WAIT_MS. */
  shortened: boolean;
  setSpeed: (s: ReplaySpeed) => void;
  toggle: () => void;
  pause: () => void;
  /** Moves one request back or forward (pausing the replay, as a manual step means "stop here"). */
  step: (delta: -1 | 1) => void;
}

/**
 * Plays a session's requests in time order by moving the selected index. The index itself is
 * owned by the caller (the view state), so the table, the timeline marker and a copied link
 * all follow the same current request; this hook only owns playing/speed and the timer.
 */
export function useReplay(input: ReplayInput): Replay {
  const { index, count, hasMore, timeAt, onIndex, loadMore } = input;
  const [wantsPlay, setWantsPlay] = useState(false);
  const [speed, setSpeed] = useState<ReplaySpeed>(10);
  // The latest callbacks, so the timer effect re-arms only when the position changes.
  const latest = useRef({ onIndex, loadMore });
  useEffect(() => {
    latest.current = { onIndex, loadMore };
  });

  const atEnd = index >= count - 1 && !hasMore;
  // Reaching the last request ends the replay for good (adjusting state while rendering, as
  // React documents), so selecting an earlier row afterwards does not resume it.
  if (wantsPlay && atEnd) setWantsPlay(false);
  const playing = wantsPlay && !atEnd;
  const here = timeAt(index);
  const there = timeAt(index + 1);
  const wait =
    here !== undefined && there !== undefined ? stepDelayMs(there - here, speed) : undefined;
  const delayMs = wait?.delayMs;

  useEffect(() => {
    if (!playing) return;
    if (delayMs === undefined) {
      // The next request is on a page not loaded yet; the effect re-runs when it arrives.
      if (index + 1 >= count && hasMore) latest.current.loadMore();
      return;
    }
    const timer = setTimeout(() => latest.current.onIndex(index + 1), delayMs);
    return () => clearTimeout(timer);
  }, [playing, index, count, hasMore, delayMs]);

  const toggle = useCallback(() => {
    if (playing) {
      setWantsPlay(false);
      return;
    }
    // Play at the end starts over: the auditor wants to watch it again.
    if (atEnd && count > 0) onIndex(0);
    setWantsPlay(count > 0);
  }, [playing, atEnd, count, onIndex]);

  const pause = useCallback(() => setWantsPlay(false), []);

  const step = useCallback(
    (delta: -1 | 1) => {
      setWantsPlay(false);
      const to = index + delta;
      if (to < 0) return;
      if (to < count) onIndex(to);
      else if (hasMore) loadMore();
    },
    [index, count, hasMore, onIndex, loadMore],
  );

  return {
    playing,
    speed,
    shortened: playing && wait?.shortened === true,
    setSpeed,
    toggle,
    pause,
    step,
  };
}
