import { describe, expect, it } from 'vitest';
import { textIndexBuilding, textIndexPending } from './textIndexWait.js';

/** A promise and what settles it. */
function later(): { ended: Promise<void>; end: () => void } {
  let end = (): void => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { ended, end };
}

describe('waiting for a text index built after the answer', () => {
  it('is for that case only, ends with the index, and is forgotten before a waiter hears', async () => {
    const { ended, end } = later();
    textIndexBuilding('/cases/a.sscase', ended);
    expect(textIndexPending('/cases/b.sscase')).toBeNull();
    const pending = textIndexPending('/cases/../cases/a.sscase');
    expect(pending).not.toBeNull();
    // Every search waits on the one wait (one bound, from the first search).
    expect(textIndexPending('/cases/a.sscase')).toBe(pending);
    let heard: Promise<void> | null | undefined;
    void pending!.then(() => (heard = textIndexPending('/cases/a.sscase')));
    const t0 = performance.now();
    setTimeout(end, 60);
    await pending;
    expect(performance.now() - t0).toBeGreaterThan(40);
    expect(heard).toBeNull();
  });

  it('is bounded: after the bound from the first wait, searches are exact until the end', async () => {
    const { ended, end } = later();
    textIndexBuilding('/cases/c.sscase', ended, 40);
    // Registered long before the first wait: the bound counts from that wait.
    await new Promise((r) => setTimeout(r, 60));
    const pending = textIndexPending('/cases/c.sscase');
    expect(pending).not.toBeNull();
    let expired: Promise<void> | null | undefined;
    void pending!.then(() => (expired = textIndexPending('/cases/c.sscase')));
    const t0 = performance.now();
    await pending;
    expect(performance.now() - t0).toBeGreaterThan(30);
    // The search run again when the bound fires does not wait again (a stalled worker).
    expect(expired).toBeNull();
    end();
    await ended;
    expect(textIndexPending('/cases/c.sscase')).toBeNull();
  });

  it('ends with a tail that failed, and a newer tail of the case replaces an older one', async () => {
    const first = later();
    const failed = Promise.reject(new Error('worker died'));
    textIndexBuilding('/cases/d.sscase', failed);
    await failed.catch(() => undefined);
    expect(textIndexPending('/cases/d.sscase')).toBeNull();
    textIndexBuilding('/cases/e.sscase', first.ended);
    const second = later();
    textIndexBuilding('/cases/e.sscase', second.ended);
    first.end();
    await first.ended;
    // The older one's end does not forget the newer one.
    expect(textIndexPending('/cases/e.sscase')).not.toBeNull();
    second.end();
    await second.ended;
    expect(textIndexPending('/cases/e.sscase')).toBeNull();
  });
});
