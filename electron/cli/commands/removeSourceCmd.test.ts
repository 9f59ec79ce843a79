import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

let ws: ReturnType<typeof tempWorkspace>;
let kase: string;
let first: string;
let second: string;

const line = (ip: string, min: number, path: string, ua: string): string =>
  `${ip} - - [01/Mar/2024:10:${String(min).padStart(2, '0')}:00 +0000] "GET ${path} HTTP/1.1" 200 512 "-" "${ua}"`;

/** Two sources of two clients: one line of each is not a request (a reject). */
const FIRST = [line('10.0.0.1', 0, '/a', 'Firefox'), line('10.0.0.1', 1, '/b', 'Firefox'), 'junk 1']
  .join('\n')
  .concat('\n');
const SECOND = [line('10.0.0.2', 0, '/x', 'curl/8'), line('10.0.0.2', 2, '/y', 'curl/8'), 'junk 2']
  .join('\n')
  .concat('\n');

interface Sessions {
  sessions: { id: string; firstIp: string; requestCount: number }[];
}
interface Info {
  counts: { requests: number; sources: number; rejects: number };
  sources: { id: number; file: string; sha256: string }[];
}
interface AuditOut {
  entries: { action: string; details: Record<string, unknown> }[];
}

async function json<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv);
  expect([r.code, r.err]).toEqual([0, '']);
  return JSON.parse(r.out) as T;
}

beforeEach(async () => {
  ws = tempWorkspace('ss-cli-remove-source-');
  kase = `${ws.dir}/c.sscase`;
  first = ws.file('first.log', FIRST);
  second = ws.file('second.log', SECOND);
  expect((await cli('import', kase, first, second)).code).toBe(0);
});
afterEach(() => ws.cleanup());

describe('remove-source', () => {
  it("removes exactly that source's requests and rejects, audited, and rebuilds the analysis", async () => {
    const info = await json<Info>('info', kase, '--json');
    expect(info.counts).toMatchObject({ requests: 4, sources: 2, rejects: 2 });
    const gone = info.sources.find((s) => s.file === second)!;
    const before = await json<Sessions>('sessions', kase, '--json');
    expect(before.sessions.map((s) => s.firstIp).sort()).toEqual(['10.0.0.1', '10.0.0.2']);

    const out = await json<unknown>('remove-source', kase, String(gone.id), '--json');
    expect(out).toEqual({
      removed: { sourceId: gone.id, file: second, sha256: gone.sha256, requests: 2, rejects: 1 },
      requests: 2,
    });

    // What is left is the other source, whole.
    const after = await json<Info>('info', kase, '--json');
    expect(after.counts).toEqual({ requests: 2, sources: 1, rejects: 1 });
    expect(after.sources.map((s) => s.file)).toEqual([first]);
    const requests = await json<{ requests: { ip: string }[] }>('requests', kase, '--json');
    expect(requests.requests.map((r) => r.ip)).toEqual(['10.0.0.1', '10.0.0.1']);
    const rejects = await json<{ rejects: { raw: string }[] }>('rejects', kase, '--json');
    expect(rejects.rejects.map((r) => r.raw)).toEqual(['junk 1']);

    // Audited as the app audits it, then the analysis rebuilt from what is left.
    const trail = await json<AuditOut>('audit', kase, '--json');
    const removal = trail.entries.findIndex((e) => e.action === 'source.remove');
    expect(trail.entries[removal]!.details).toEqual({
      sourceId: gone.id,
      file: second,
      sha256: gone.sha256,
      accepted: 2,
      rejected: 1,
    });
    expect(trail.entries.slice(removal + 1).map((e) => e.action)).toEqual(['analysis.rebuild']);
    expect(trail.entries[removal + 1]!.details).toMatchObject({ kind: 'full', requests: 2 });

    // The sessions no longer hold the removed requests, and the analysis is current: no warning.
    const sessions = await json<Sessions>('sessions', kase, '--json');
    expect(sessions.sessions.map((s) => [s.firstIp, s.requestCount])).toEqual([['10.0.0.1', 2]]);
    const endpoints = await json<{ endpoints: { template: string }[] }>(
      'endpoints',
      kase,
      '--json',
    );
    expect(endpoints.endpoints.map((e) => e.template).sort()).toEqual(['/a', '/b']);
  });

  it('lets the file be imported again (not skipped as already in the case)', async () => {
    const info = await json<Info>('info', kase, '--json');
    const id = info.sources.find((s) => s.file === second)!.id;
    expect((await cli('remove-source', kase, String(id))).code).toBe(0);
    const again = await json<{ sources: { status: string; accepted: number }[] }>(
      'import',
      kase,
      second,
      '--json',
    );
    expect(again.sources).toMatchObject([{ status: 'complete', accepted: 2 }]);
    expect((await json<Info>('info', kase, '--json')).counts.requests).toBe(4);
  });

  it('says in one line what it removed and how many requests remain', async () => {
    const r = await cli('remove-source', kase, '1');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe(`removed source 1 (${first}): 2 requests, 1 rejects; 2 requests remain\n`);
  });

  it('does not re-derive an analysis a source without requests did not change', async () => {
    const onlyJunk = ws.file('junk.log', 'junk 3\njunk 4\n');
    expect((await cli('import', kase, onlyJunk, '--format', 'combined')).code).toBe(0);
    const id = (await json<Info>('info', kase, '--json')).sources.find(
      (s) => s.file === onlyJunk,
    )!.id;
    const out = await json<{ removed: { requests: number; rejects: number } }>(
      'remove-source',
      kase,
      String(id),
      '--json',
    );
    expect(out.removed).toMatchObject({ requests: 0, rejects: 2 });
    const actions = (await json<AuditOut>('audit', kase, '--json')).entries.map((e) => e.action);
    expect(actions.at(-1)).toBe('source.remove');
    // Still current: the query commands print no warning (json() checks stderr is empty).
    await json<Sessions>('sessions', kase, '--json');
  });

  it('refuses an unknown id (exit 1), naming the ones there are, and changes nothing', async () => {
    const trail = await json<AuditOut>('audit', kase, '--json');
    const r = await cli('remove-source', kase, '99', '--json');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'sessionscope remove-source: no source 99 in this case (its sources: 1, 2; see `sessionscope info`)\n',
    );
    // With --json, stdout holds the error a script reads (runCli.ts).
    expect(JSON.parse(r.out)).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'no source 99 in this case (its sources: 1, 2; see `sessionscope info`)',
      },
    });
    expect((await json<Info>('info', kase, '--json')).counts.requests).toBe(4);
    expect(await json<AuditOut>('audit', kase, '--json')).toEqual(trail);
  });

  it('refuses an id that is not a positive integer, and a missing one, as usage', async () => {
    for (const bad of ['x', '0', '1.5', '1e3', '01x']) {
      const r = await cli('remove-source', kase, bad);
      expect([bad, r.code]).toEqual([bad, 1]);
      expect(r.err).toContain('is not a source id');
    }
    const none = await cli('remove-source', kase);
    expect([none.code, none.err]).toEqual([
      1,
      'sessionscope remove-source: usage: sessionscope remove-source <case> <source-id> [--json]\n',
    ]);
    const missing = await cli('remove-source', `${ws.dir}/none.sscase`, '1');
    expect(missing.code).toBe(1);
  });
});
