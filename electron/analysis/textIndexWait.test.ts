import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { TAIL_ENDED, textIndexBuilding, waitForTextIndex } from './textIndexWait.js';

/** Raises flag[TAIL_ENDED] from another thread after `ms` (this one is blocked meanwhile). */
function raiseLater(flag: Int32Array, ms: number): Worker {
  return new Worker(
    `const { workerData } = require('node:worker_threads');
     setTimeout(() => { Atomics.store(workerData, ${TAIL_ENDED}, 1); Atomics.notify(workerData, ${TAIL_ENDED}); }, ${ms});`,
    { eval: true, workerData: flag },
  );
}

describe('waiting for a text index built after the answer', () => {
  it('waits until the worker raises its flag, for that case only', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const forget = textIndexBuilding('/cases/a.sscase', flag);
    expect(waitForTextIndex('/cases/b.sscase')).toBe(false);
    const w = raiseLater(flag, 150);
    const t0 = performance.now();
    expect(waitForTextIndex('/cases/../cases/a.sscase')).toBe(true);
    expect(performance.now() - t0).toBeGreaterThan(100);
    // Raised already: no wait.
    expect(waitForTextIndex('/cases/a.sscase', 1)).toBe(true);
    forget();
    expect(waitForTextIndex('/cases/a.sscase')).toBe(false);
    await w.terminate();
  });

  it('gives up after its timeout (a stalled worker: the exact test then)', () => {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const forget = textIndexBuilding('/cases/c.sscase', flag);
    expect(waitForTextIndex('/cases/c.sscase', 30)).toBe(false);
    forget();
  });
});
