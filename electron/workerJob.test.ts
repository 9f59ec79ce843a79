import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWorkerJob } from './workerJob.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ss-worker-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker script doing what `body` says with `port` (its parentPort) and `data`. */
function script(name: string, body: string): string {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { parentPort as port, workerData as data } from 'node:worker_threads';\n${body}\n`,
  );
  return file;
}

describe('runWorkerJob', () => {
  it('passes progress on and resolves with the result', async () => {
    const seen: unknown[] = [];
    const r = await runWorkerJob<number, { type: 'step'; n: number }>({
      what: 'test',
      workerFile: script(
        'ok',
        `port.postMessage({ type: 'step', n: 1 }); port.postMessage({ type: 'step', n: 2 });
         port.postMessage({ type: 'done', result: data.x * 2 });`,
      ),
      workerData: { x: 21 },
      onAbort: () => undefined,
      onMessage: (m) => seen.push(m.n),
    });
    expect(r).toBe(42);
    expect(seen).toEqual([1, 2]);
  });

  it("rejects with the job's error code, or names the job when its worker dies", async () => {
    const job = (file: string) =>
      runWorkerJob({
        what: 'frobnicate',
        workerFile: file,
        workerData: null,
        onAbort: () => undefined,
      });
    await expect(
      job(
        script('err', `port.postMessage({ type: 'error', code: 'BAD_INPUT', message: 'nope' });`),
      ),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'nope' });
    await expect(job(script('exit', 'process.exit(3);'))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'frobnicate worker stopped unexpectedly (exit 3)',
    });
    await expect(job(script('throw', "throw new Error('boom');"))).rejects.toThrow('boom');
  });

  it("tells the worker of an abort its own way, and settles with the worker's answer", async () => {
    const ctl = new AbortController();
    const p = runWorkerJob({
      what: 'test',
      workerFile: script(
        'cancel',
        `port.on('message', () => { port.postMessage({ type: 'error', code: 'CANCELLED', message: 'stopped' }); port.close(); });
         port.postMessage({ type: 'ready' });`,
      ),
      workerData: null,
      signal: ctl.signal,
      onAbort: (worker) => worker.postMessage('cancel'),
      onMessage: () => ctl.abort(),
    });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
