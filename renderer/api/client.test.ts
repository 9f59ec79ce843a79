// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { createClient, createFakeTransport, httpTransport, takeToken } from './client.js';

describe('fake transport', () => {
  it('answers with the handler and records the parsed input', async () => {
    const fake = createFakeTransport({
      removeSource: ({ sourceId }) => ({ removed: sourceId === 3 }),
    });
    const client = createClient(fake);
    expect(await client.call('removeSource', { sourceId: 3 })).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(fake.calls).toEqual([{ name: 'removeSource', input: { sourceId: 3 } }]);
  });

  it('refuses input the contract refuses, and calls without a fake', async () => {
    const client = createClient(createFakeTransport({}));
    const bad = await client.call('removeSource', { sourceId: -1 });
    expect(bad.ok || bad.error.code).toBe('BAD_INPUT');
    const missing = await client.call('getCaseInfo');
    expect(missing.ok || missing.error.code).toBe('NOT_FOUND');
  });

  it('turns a thrown AppError into its code and delivers events until unsubscribed', async () => {
    const fake = createFakeTransport({
      getCaseInfo: () => {
        throw new AppError('NOT_FOUND', 'No case is open');
      },
    });
    const client = createClient(fake);
    const r = await client.call('getCaseInfo');
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No case is open' } });
    const seen: string[] = [];
    const off = client.on('openLink', (p) => seen.push(p.url));
    fake.emit('openLink', { url: 'sessionscope://a' });
    off();
    fake.emit('openLink', { url: 'sessionscope://b' });
    expect(seen).toEqual(['sessionscope://a']);
  });
});

describe('browser-mode transport', () => {
  it('asks for the open case as a state: "no case open" is an answer, not a failed request', async () => {
    const sent: string[] = [];
    const fetchFake = (async (url: string) => {
      sent.push(url);
      return new Response(JSON.stringify({ ok: true, value: { case: null } }));
    }) as typeof fetch;
    const client = createClient(
      httpTransport({ fetch: fetchFake, EventSource: window.EventSource, token: 't' }),
    );
    expect(await client.call('getOpenCase')).toEqual({ ok: true, value: { case: null } });
    expect(sent).toEqual(['/api/call/getOpenCase']);
  });

  it('takes the token from the URL once and strips it from the address bar', () => {
    window.history.replaceState(null, '', '/?token=abc&x=1#h');
    const t = takeToken(window.location, window.localStorage, window.history);
    expect(t).toBe('abc');
    expect(window.location.search).toBe('?x=1');
    expect(window.location.hash).toBe('#h');
    expect(takeToken(window.location, window.localStorage, window.history)).toBe('abc');
  });

  it('posts JSON with the token header and returns the server result', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetchFake = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: { closed: true } }));
    }) as unknown as typeof fetch;
    const client = createClient(
      httpTransport({ fetch: fetchFake, EventSource: window.EventSource, token: 'tok' }),
    );
    expect(await client.call('closeCase')).toEqual({ ok: true, value: { closed: true } });
    expect(sent[0]!.url).toBe('/api/call/closeCase');
    expect((sent[0]!.init.headers as Record<string, string>)['x-sessionscope-token']).toBe('tok');
  });

  it('reports a network failure as a result, not a throw', async () => {
    const fetchFake = (async () => {
      throw new Error('offline');
    }) as unknown as typeof fetch;
    const client = createClient(
      httpTransport({ fetch: fetchFake, EventSource: window.EventSource, token: null }),
    );
    const r = await client.call('closeCase');
    expect(r.ok).toBe(false);
  });

  it('subscribes to server-sent events once per event and parses their JSON', () => {
    const sources: { url: string; listeners: Map<string, (m: MessageEvent) => void> }[] = [];
    class FakeEventSource {
      listeners = new Map<string, (m: MessageEvent) => void>();
      constructor(readonly url: string) {
        sources.push(this);
      }
      addEventListener(name: string, fn: (m: MessageEvent) => void) {
        this.listeners.set(name, fn);
      }
    }
    const client = createClient(
      httpTransport({
        fetch: (() => undefined) as unknown as typeof fetch,
        EventSource: FakeEventSource as unknown as typeof EventSource,
        token: 't k',
      }),
    );
    const seen: unknown[] = [];
    const off = client.on('importDone', (p) => seen.push(p.importId));
    client.on('importDone', () => undefined);
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('/api/events?token=t%20k');
    const fire = sources[0]!.listeners.get('importDone')!;
    fire(new MessageEvent('importDone', { data: '{"importId":"a"}' }));
    fire(new MessageEvent('importDone', { data: 'not json' }));
    off();
    fire(new MessageEvent('importDone', { data: '{"importId":"b"}' }));
    expect(seen).toEqual(['a']);
  });
});
