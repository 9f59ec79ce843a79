import { describe, expect, it } from 'vitest';
import { fetchBatch, type BatchItem } from './batchCall';

const CALLS: BatchItem[] = [
  { name: 'getAppInfo', input: {} },
  { name: 'getCaseInfo', input: undefined },
  { name: 'getAppInfo', input: {} },
];

/** A reply whose body the test writes chunk by chunk, whenever it likes. */
function streamed() {
  let push: (text: string) => void = () => undefined;
  let end: () => void = () => undefined;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      const enc = new TextEncoder();
      push = (text) => c.enqueue(enc.encode(text));
      end = () => c.close();
    },
  });
  const sent: { url: string; init: RequestInit }[] = [];
  const fetchFn = ((url: string, init: RequestInit) => {
    sent.push({ url, init });
    return Promise.resolve(new Response(body, { status: 200 }));
  }) as unknown as typeof fetch;
  return { fetchFn, sent, push: (t: string) => push(t), end: () => end() };
}

const settledYet = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 5));
  return done;
};

describe('fetchBatch', () => {
  it('posts the calls once and settles each as its line arrives, lines split anywhere', async () => {
    const s = streamed();
    const answers = fetchBatch(s.fetchFn, 'http://h', { 'x-t': 'k' }, CALLS);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.url).toBe('http://h/api/batch');
    expect(JSON.parse(s.sent[0]!.init.body as string)).toEqual([
      { name: 'getAppInfo', input: {} },
      { name: 'getCaseInfo', input: {} },
      { name: 'getAppInfo', input: {} },
    ]);
    expect(s.sent[0]!.init.headers).toMatchObject({
      'x-t': 'k',
      'content-type': 'application/json',
    });

    s.push('{"ok":true,"value":1}\n{"ok":fa');
    expect(await answers[0]).toEqual({ ok: true, value: 1 });
    expect(await settledYet(answers[1]!)).toBe(false);
    s.push('lse,"error":{"code":"NOT_FOUND","message":"x"}}\n');
    expect(await answers[1]).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'x' } });
    expect(await settledYet(answers[2]!)).toBe(false);
    s.push('{"ok":true,"value":3}\n');
    s.end();
    expect(await answers[2]).toEqual({ ok: true, value: 3 });
  });

  it('answers the calls left with an error when the reply ends early or a line is not a result', async () => {
    const s = streamed();
    const answers = fetchBatch(s.fetchFn, '', {}, CALLS);
    s.push('[1,2]\n');
    s.end();
    const [a, b, c] = await Promise.all(answers);
    expect(a).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(b).toMatchObject({ ok: false, error: { message: 'The batch reply ended early.' } });
    expect(c).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it("gives every call the server's refusal, or the network's error", async () => {
    const refusing = (() =>
      Promise.resolve(
        new Response('{"ok":false,"error":{"code":"UNAUTHORIZED","message":"no"}}', {
          status: 401,
        }),
      )) as unknown as typeof fetch;
    for (const r of await Promise.all(fetchBatch(refusing, '', {}, CALLS)))
      expect(r).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'no' } });
    const offline = (() => Promise.reject(new Error('offline'))) as unknown as typeof fetch;
    for (const r of await Promise.all(fetchBatch(offline, '', {}, CALLS)))
      expect(r).toMatchObject({ ok: false, error: { message: 'offline' } });
  });
});
