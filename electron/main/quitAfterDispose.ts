import type { Event } from 'electron';

/**
 * The longest quitting waits for the backend to cancel its jobs and roll them back. Cancelling
 * is polled between rebuild steps and inside the long ones, and a rollback discards the WAL's
 * uncommitted pages, so it normally takes well under a second; past this a job is stuck, and
 * the app quits anyway rather than stay alive with no window. The case is still consistent
 * then (SQLite ignores the uncommitted transaction when the case is next opened); only the
 * orderly end (closing the case, removing an unfinished export file) is skipped.
 */
export const QUIT_WAIT_MS = 10_000;

/** The part of Electron's `app` this needs (typed against electron's own declarations). */
export interface QuittingApp {
  on(event: 'will-quit', listener: (event: Event) => void): unknown;
  quit(): void;
}

/**
 * Holds the quit (at `will-quit`: every window is closed by then, so nothing new starts) until
 * `dispose` has cancelled and rolled back what runs, or `waitMs` has passed, then quits again.
 * `dispose` gives undefined when there is nothing to wait for (no backend yet). A quit asked
 * while waiting keeps waiting; the one after is let through.
 */
export function quitAfterDispose(
  app: QuittingApp,
  dispose: () => Promise<void> | undefined,
  opts: { waitMs?: number; onProblem?: (message: string) => void } = {},
): void {
  const waitMs = opts.waitMs ?? QUIT_WAIT_MS;
  const problem = opts.onProblem ?? ((m: string) => console.error(m));
  let state: 'running' | 'disposing' | 'disposed' = 'running';
  app.on('will-quit', (event) => {
    if (state === 'disposed') return;
    if (state === 'disposing') {
      event.preventDefault();
      return;
    }
    const disposing = dispose();
    if (disposing === undefined) {
      state = 'disposed';
      return;
    }
    event.preventDefault();
    state = 'disposing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        problem(`Quitting without waiting longer: running work did not stop in ${waitMs} ms`);
        resolve();
      }, waitMs);
    });
    const done = disposing.catch((err: unknown) => {
      problem(
        `Closing the case on quit failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    void Promise.race([done, timedOut]).then(() => {
      clearTimeout(timer);
      state = 'disposed';
      app.quit();
    });
  });
}
