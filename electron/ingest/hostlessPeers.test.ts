import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { removeSource } from '../store/sourcesRepo.js';
import { importSource } from './importSource.js';
import { importWarning } from './importWarnings.js';

/*
 * Two sites' host-less logs in one case share endpoints (an endpoint is method + host + path).
 * The import counts the requests of a file that name no host and names the case's other
 * sources that have such requests too, so the CLI and the app can warn at import.
 */

const line = (ip: string, s: number, target: string): string =>
  `${ip} - - [10/Oct/2024:13:55:${String(s).padStart(2, '0')} +0000] "GET ${target} HTTP/1.1" 200 5 "-" "ua"`;
// Site A: no line names a host.
const SITE_A = [line('203.0.113.7', 1, '/'), line('203.0.113.7', 2, '/about')].join('\n') + '\n';
// Site B: one line of three names its host (a proxy's absolute URL).
const SITE_B =
  [
    line('198.51.100.2', 3, '/'),
    line('198.51.100.2', 4, 'http://cdn.example.net/app.js'),
    line('198.51.100.2', 5, '/login'),
  ].join('\n') + '\n';
// Every line names its host.
const HOSTED = line('192.0.2.1', 6, 'http://api.example.org/v1') + '\n';

const local = { workerFile: false } as const;

describe('sources whose requests name no host', () => {
  const ws = tempWorkspace('ss-hostless-');
  afterAll(() => ws.cleanup());
  const siteA = ws.file('a-access.log', SITE_A);
  const siteB = ws.file('b-access.log', SITE_B);
  const hosted = ws.file('proxy.log', HOSTED);

  it('names the other host-less sources of the case, counted as they were imported', async () => {
    const db = ws.openCase('peers.sscase');
    const a = await importSource(db, siteA, {}, local);
    expect(a).toMatchObject({ withoutHost: 2, hostlessPeers: [] });
    expect(importWarning(db, a)).toBeNull();

    const h = await importSource(db, hosted, {}, local);
    expect(h).toMatchObject({ withoutHost: 0, hostlessPeers: [] });
    expect(importWarning(db, h)).toBeNull();

    const b = await importSource(db, siteB, {}, local);
    expect(b.withoutHost).toBe(2);
    expect(b.hostlessPeers).toEqual([
      { sourceId: a.sourceId, file: 'a-access.log', withoutHost: 2 },
    ]);
    expect(importWarning(db, b)).toBe(
      `2 of its requests name no host, as do requests of a-access.log (source ${a.sourceId}, 2 requests): ` +
        'their requests share endpoints (one GET / for every site, with one risk score and latency ' +
        'baseline); if they are from different sites, remove this source ' +
        `(\`sessionscope remove-source ${db.name} ${b.sourceId}\`) and import it again with ` +
        '--assume-host <its host> (in the app: "Host for lines without one"); ' +
        'rotated logs of one site need nothing',
    );
  });

  it('says nothing of a file imported with a host for its lines, nor of it to others', async () => {
    const db = ws.openCase('assumed.sscase');
    await importSource(db, siteA, { assumeHost: 'shop.example.com' }, local);
    const b = await importSource(db, siteB, {}, local);
    expect(b).toMatchObject({ withoutHost: 2, hostlessPeers: [] });
    const c = await importSource(
      db,
      ws.file('c.log', line('1.2.3.4', 9, '/')),
      { assumeHost: 'blog.example.com' },
      local,
    );
    expect(c).toMatchObject({ withoutHost: 0, hostlessPeers: [] });
    expect(importWarning(db, c)).toBeNull();
  });

  it('leaves out removed sources and the same file imported again', async () => {
    const db = ws.openCase('removed.sscase');
    const a = await importSource(db, siteA, {}, local);
    const again = await importSource(db, siteA, { force: true }, local);
    expect(again.status).toBe('complete');
    expect(again.hostlessPeers).toEqual([]);
    removeSource(db, a.sourceId);
    const b = await importSource(db, siteB, {}, local);
    expect(b.hostlessPeers.map((p) => p.sourceId)).toEqual([again.sourceId]);
  });

  it('counts from the requests a source imported before the count was recorded', async () => {
    const db = ws.openCase('legacy.sscase');
    const a = await importSource(db, siteA, {}, local);
    await importSource(db, hosted, {}, local);
    db.exec("UPDATE audit_log SET details = json_remove(details, '$.withoutHost')");
    const b = await importSource(db, siteB, {}, local);
    expect(b.hostlessPeers).toEqual([
      { sourceId: a.sourceId, file: 'a-access.log', withoutHost: 2 },
    ]);
  });

  it('CLI: warns on stderr when host-less files are imported together, and --json carries it', async () => {
    const casePath = path.join(ws.dir, 'cli.sscase');
    const r = await cli('import', casePath, siteA, siteB);
    expect(r.code).toBe(0);
    const warnings = r.err.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^.*b-access\.log: warning: 2 of its requests name no host, as do requests of a-access\.log \(source 1, 2 requests\): their requests share endpoints .*--assume-host/,
    );

    const json = path.join(ws.dir, 'cli-json.sscase');
    const out = JSON.parse((await cli('import', json, siteA, siteB, hosted, '--json')).out) as {
      sources: {
        file: string;
        withoutHost: number;
        hostlessPeers: unknown[];
        warning: string | null;
      }[];
    };
    expect(out.sources.map((s) => [s.file, s.withoutHost, s.hostlessPeers])).toEqual([
      ['a-access.log', 2, []],
      ['b-access.log', 2, [{ sourceId: 1, file: 'a-access.log', withoutHost: 2 }]],
      ['proxy.log', 0, []],
    ]);
    expect(out.sources.map((s) => s.warning !== null)).toEqual([false, true, false]);

    // With a host for each site's lines, nothing to warn of.
    const apart = path.join(ws.dir, 'cli-apart.sscase');
    await cli('import', apart, siteA, '--assume-host', 'shop.example.com');
    const r2 = await cli('import', apart, siteB, '--assume-host', 'blog.example.com');
    expect(r2.code).toBe(0);
    expect(r2.err).not.toContain('warning');
  });
});
