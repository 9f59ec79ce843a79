import type { Event } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QUIT_WAIT_MS, quitAfterDispose, type QuittingApp } from './quitAfterDispose.js';

/** An `app` that records its will-quit listener and how often quit was asked. */
function fakeApp() {
  let listener: ((event: Event) => void) | undefined;
  const app = {
    on: (_name: 'will-quit', fn: (event: Event) => void) => (listener = fn),
    quit: vi.fn(),
  } satisfies QuittingApp;
  /** Emits will-quit; true when the listener held the quit. */
  const willQuit = (): boolean => {
    const preventDefault = vi.fn();
    listener!({ preventDefault } as unknown as Event);
    return preventDefault.mock.calls.length > 0;
  };
  return { app, willQuit };
}

/** A dispose that ends when told to. */
function pending() {
  let end!: () => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    end = res;
    fail = rej;
  });
  return { dispose: vi.fn(() => promise), end, fail };
}

afterEach(() => vi.useRealTimers());

describe('quitting waits for the backend to dispose', () => {
  it('holds the quit until dispose has ended, then quits once, letting that quit through', async () => {
    const { app, willQuit } = fakeApp();
    const d = pending();
    quitAfterDispose(app, d.dispose);
    expect(willQuit()).toBe(true);
    // A second quit (Cmd+Q again) while waiting waits too, and does not dispose twice.
    expect(willQuit()).toBe(true);
    await Promise.resolve();
    expect(app.quit).not.toHaveBeenCalled();
    d.end();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(d.dispose).toHaveBeenCalledTimes(1);
    // The quit it asks for is not held again (no loop).
    expect(willQuit()).toBe(false);
    expect(d.dispose).toHaveBeenCalledTimes(1);
  });

  it('quits without holding when there is no backend to dispose', () => {
    const { app, willQuit } = fakeApp();
    quitAfterDispose(app, () => undefined);
    expect(willQuit()).toBe(false);
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('quits anyway after the wait when a job does not stop, saying so', async () => {
    vi.useFakeTimers();
    const { app, willQuit } = fakeApp();
    const problems: string[] = [];
    quitAfterDispose(app, pending().dispose, { onProblem: (m) => problems.push(m) });
    expect(willQuit()).toBe(true);
    await vi.advanceTimersByTimeAsync(QUIT_WAIT_MS - 1);
    expect(app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(problems).toEqual([
      'Quitting without waiting longer: running work did not stop in 10000 ms',
    ]);
    expect(willQuit()).toBe(false);
  });

  it('quits when dispose fails, saying why', async () => {
    const { app, willQuit } = fakeApp();
    const problems: string[] = [];
    const d = pending();
    quitAfterDispose(app, d.dispose, { onProblem: (m) => problems.push(m) });
    expect(willQuit()).toBe(true);
    d.fail(new Error('disk gone'));
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(problems).toEqual(['Closing the case on quit failed: disk gone']);
  });
});
