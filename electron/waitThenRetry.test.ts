import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/contract/errors.js';
import { retriedAfterWait, retryAfterWaits, WaitThenRetry } from './waitThenRetry.js';

const tick = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a call run again after a wait', () => {
  it('is run again once the wait it threw ends, sync or async, and says so only in its sync part', async () => {
    let end = (): void => undefined;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const seen: boolean[] = [];
    let runs = 0;
    const answer = retryAfterWaits(() => {
      seen.push(retriedAfterWait());
      runs++;
      if (runs === 1) throw new WaitThenRetry('BUSY', 'wait', ended);
      return 'done';
    });
    // While it waits, nothing else counts as run again after a wait.
    await tick();
    expect(retriedAfterWait()).toBe(false);
    expect(runs).toBe(1);
    end();
    expect(await answer).toBe('done');
    expect(seen).toEqual([true, true]);

    let asyncRuns = 0;
    const afterAwait: boolean[] = [];
    const asyncAnswer = await retryAfterWaits(async () => {
      asyncRuns++;
      await tick(1);
      afterAwait.push(retriedAfterWait());
      if (asyncRuns === 1) throw new WaitThenRetry('BUSY', 'wait', tick(5));
      return asyncRuns;
    });
    expect(asyncAnswer).toBe(2);
    expect(afterAwait).toEqual([false, false]);
  });

  it('passes any other error on, as it was thrown', async () => {
    const err = new AppError('NOT_FOUND', 'no such session');
    await expect(
      retryAfterWaits(() => {
        throw err;
      }),
    ).rejects.toBe(err);
    await expect(retryAfterWaits(() => Promise.reject(err))).rejects.toBe(err);
    expect(retriedAfterWait()).toBe(false);
  });
});
