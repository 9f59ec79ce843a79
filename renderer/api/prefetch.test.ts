import { describe, expect, it } from 'vitest';
import { createClient, createFakeTransport } from './client';
import {
  arrivedPrefetch,
  callPrefetched,
  prefetch,
  prefetchAll,
  PREFETCH_TTL_MS,
  readCall,
} from './prefetch';

const S1 = 's0123456789abcdef';
/** Lets answered promises run their callbacks. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const S2 = 's0123456789abcde0';

function setup() {
  let served = 0;
  const transport = createFakeTransport({
    getSession: (input) => {
      served++;
      return { served, id: (input as { id: string }).id } as never;
    },
  });
  return { client: createClient(transport), transport, servedCount: () => served };
}

describe('prefetch / callPrefetched', () => {
  it('answers the view from the call asked for ahead, without a second call', async () => {
    const { client, transport } = setup();
    prefetch(client, 'getSession', { id: S1, filters: { methods: ['GET'], ips: ['1.2.3.4'] } });
    // Same input, keys in another order: the same call.
    const r = await callPrefetched(client, 'getSession', {
      filters: { ips: ['1.2.3.4'], methods: ['GET'] },
      id: S1,
    });
    expect(r).toEqual({ ok: true, value: { served: 1, id: S1 } });
    expect(transport.calls).toHaveLength(1);
  });

  it('uses a prefetched answer once; the next read calls again', async () => {
    const { client, transport } = setup();
    prefetch(client, 'getSession', { id: S1 });
    await callPrefetched(client, 'getSession', { id: S1 });
    const again = await callPrefetched(client, 'getSession', { id: S1 });
    expect(again).toEqual({ ok: true, value: { served: 2, id: S1 } });
    expect(transport.calls).toHaveLength(2);
  });

  it('never hands out an answer for another input', async () => {
    const { client } = setup();
    prefetch(client, 'getSession', { id: S1 });
    const other = await callPrefetched(client, 'getSession', { id: S2 });
    expect(other).toEqual({ ok: true, value: { served: 2, id: S2 } });
  });

  it('lets an answer older than the TTL expire and calls afresh', async () => {
    const { client, transport } = setup();
    let now = 1_000;
    prefetch(client, 'getSession', { id: S1 }, () => now);
    now += PREFETCH_TTL_MS + 1;
    const r = await callPrefetched(client, 'getSession', { id: S1 }, () => now);
    expect(r).toEqual({ ok: true, value: { served: 2, id: S1 } });
    expect(transport.calls).toHaveLength(2);
  });

  it('asks once for a call prefetched twice, and keeps clients apart', async () => {
    const a = setup();
    const b = setup();
    prefetch(a.client, 'getSession', { id: S1 });
    prefetch(a.client, 'getSession', { id: S1 });
    expect(a.transport.calls).toHaveLength(1);
    await callPrefetched(b.client, 'getSession', { id: S1 });
    expect(b.transport.calls).toHaveLength(1);
    expect(a.transport.calls).toHaveLength(1);
  });
});

describe('prefetchAll', () => {
  it('asks in one batch where the transport has it, and hands each answer out on its own', async () => {
    const fake = createFakeTransport({ getSession: (input) => ({ id: input.id }) as never });
    const batches: unknown[][] = [];
    const client = createClient({
      ...fake,
      callBatch: (calls) => {
        batches.push(calls.map((c) => c.name));
        return calls.map((c) => fake.call(c.name, c.input));
      },
    });
    prefetchAll(client, [
      readCall('getSession', { id: S1 }),
      readCall('getSession', { id: S2 }),
      readCall('getAppInfo', undefined),
    ]);
    // Already waiting: not asked again.
    prefetchAll(client, [readCall('getSession', { id: S1 }), readCall('getSession', { id: S2 })]);
    expect(batches).toEqual([['getSession', 'getSession', 'getAppInfo']]);
    expect(await callPrefetched(client, 'getSession', { id: S2 })).toEqual({
      ok: true,
      value: { id: S2 },
    });
    expect(await callPrefetched(client, 'getSession', { id: S1 })).toEqual({
      ok: true,
      value: { id: S1 },
    });
    // Three through the batch, none since.
    expect(fake.calls).toHaveLength(3);
  });

  it('calls one by one without a batching transport', async () => {
    const { client, transport } = setup();
    prefetchAll(client, [readCall('getSession', { id: S1 }), readCall('getSession', { id: S2 })]);
    expect(transport.calls.map((c) => (c.input as { id: string }).id)).toEqual([S1, S2]);
    expect(await callPrefetched(client, 'getSession', { id: S1 })).toMatchObject({ ok: true });
    expect(transport.calls).toHaveLength(2);
  });
});

describe('arrivedPrefetch', () => {
  it('hands out an answer only once it has arrived, ok and in time, and leaves it waiting', async () => {
    const { client, transport } = setup();
    let now = 1_000;
    const clock = () => now;
    prefetch(client, 'getSession', { id: S1 }, clock);
    // Asked, not yet answered: nothing to draw in a first render.
    expect(arrivedPrefetch(client, 'getSession', { id: S1 }, clock)).toBeUndefined();
    await settle();
    const arrived = arrivedPrefetch(client, 'getSession', { id: S1 }, clock);
    expect(arrived).toEqual({ ok: true, value: { served: 1, id: S1 } });
    expect(arrivedPrefetch(client, 'getSession', { id: S2 }, clock)).toBeUndefined();
    // Still waiting: the view's load takes the very same answer, without a call.
    expect(await callPrefetched(client, 'getSession', { id: S1 }, clock)).toBe(arrived);
    expect(transport.calls).toHaveLength(1);
    expect(arrivedPrefetch(client, 'getSession', { id: S1 }, clock)).toBeUndefined();
    prefetch(client, 'getSession', { id: S2 }, clock);
    await settle();
    now += PREFETCH_TTL_MS + 1;
    expect(arrivedPrefetch(client, 'getSession', { id: S2 }, clock)).toBeUndefined();
  });

  it('never hands out an error for a first render', async () => {
    const client = createClient(createFakeTransport({}));
    prefetch(client, 'getSession', { id: S1 });
    expect(await callPrefetched(client, 'getSession', { id: S1 })).toMatchObject({ ok: false });
    prefetch(client, 'getSession', { id: S1 });
    await settle();
    expect(arrivedPrefetch(client, 'getSession', { id: S1 })).toBeUndefined();
  });
});

describe('waiting answers', () => {
  it('asks again for a call whose answer expired unused', () => {
    const { client, transport } = setup();
    let now = 1_000;
    prefetch(client, 'getSession', { id: S1 }, () => now);
    now += PREFETCH_TTL_MS / 2;
    prefetch(client, 'getSession', { id: S1 }, () => now);
    expect(transport.calls).toHaveLength(1);
    now += PREFETCH_TTL_MS;
    prefetch(client, 'getSession', { id: S1 }, () => now);
    expect(transport.calls).toHaveLength(2);
  });

  it.each(['rebuildDone', 'importDone'] as const)(
    'drops every waiting answer at %s: the case changed under them',
    async (event) => {
      const { client, transport } = setup();
      prefetch(client, 'getSession', { id: S1 });
      await settle();
      expect(arrivedPrefetch(client, 'getSession', { id: S1 })).toBeDefined();
      if (event === 'rebuildDone') transport.emit(event, { ok: true, error: null } as never);
      else transport.emit(event, {} as never);
      expect(arrivedPrefetch(client, 'getSession', { id: S1 })).toBeUndefined();
      const r = await callPrefetched(client, 'getSession', { id: S1 });
      expect(r).toEqual({ ok: true, value: { served: 2, id: S1 } });
    },
  );
});
