import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { listSources } from '../store/sourcesRepo.js';
import { importSource } from './importSource.js';

// Two sites' nginx/Apache logs: neither line names a host. Site A answers an attack on `/`
// with 200; site B serves `/` plainly, with different latency.
const SITE_A = [
  `203.0.113.7 - - [10/Oct/2024:13:55:36 +0000] "GET /?id=1'%20OR%20'1'='1 HTTP/1.1" 200 512 "-" "sqlmap/1.7"`,
  `203.0.113.7 - - [10/Oct/2024:13:55:37 +0000] "GET /about HTTP/1.1" 200 100 "-" "curl/8"`,
].join('\n');
const SITE_B = [
  `198.51.100.2 - - [10/Oct/2024:14:00:00 +0000] "GET / HTTP/1.1" 200 2048 "-" "Mozilla/5.0"`,
  // A proxy log's absolute URL names its host: that host stays.
  `198.51.100.2 - - [10/Oct/2024:14:00:01 +0000] "GET http://cdn.example.net/app.js HTTP/1.1" 200 9 "-" "Mozilla/5.0"`,
].join('\n');

function endpoints(db: CaseDb): string[] {
  return (
    db.prepare('SELECT method, host, template, request_count AS n FROM endpoints').all() as {
      method: string;
      host: string;
      template: string;
      n: number;
    }[]
  )
    .map((e) => `${e.method} ${e.host || '-'} ${e.template} ×${e.n}`)
    .sort();
}

describe('assuming a host for lines that name none', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());
  const siteA = ws.file('a-access.log', SITE_A + '\n');
  const siteB = ws.file('b-access.log', SITE_B + '\n');

  it('without it, two sites share `GET /`; with it, each site has its own endpoints', async () => {
    const merged = ws.openCase('merged.sscase');
    await importSource(merged, siteA, {}, { workerFile: false });
    await importSource(merged, siteB, {}, { workerFile: false });
    rebuild(merged);
    expect(endpoints(merged)).toContain('GET - / ×2');

    const apart = ws.openCase('apart.sscase');
    await importSource(apart, siteA, { assumeHost: 'shop.example.com' }, { workerFile: false });
    await importSource(apart, siteB, { assumeHost: ' Blog.Example.COM ' }, { workerFile: false });
    rebuild(apart);
    expect(endpoints(apart)).toEqual([
      'GET blog.example.com / ×1',
      'GET cdn.example.net /app.js ×1',
      'GET shop.example.com / ×1',
      'GET shop.example.com /about ×1',
    ]);
    // The request that names its own host kept it; the others got the assumed one.
    const hosts = apart
      .prepare(
        'SELECT source_id AS s, line_no AS l, host FROM requests ORDER BY source_id, line_no',
      )
      .all();
    expect(hosts).toEqual([
      { s: 1, l: 1, host: 'shop.example.com' },
      { s: 1, l: 2, host: 'shop.example.com' },
      { s: 2, l: 1, host: 'blog.example.com' },
      { s: 2, l: 2, host: 'cdn.example.net' },
    ]);
  });

  it('is recorded with the source: stored options, the audit entry, the source list', async () => {
    const db = ws.openCase('recorded.sscase');
    await importSource(db, siteA, { assumeHost: '10.0.0.5:8080' }, { workerFile: false });
    await importSource(db, siteB, {}, { workerFile: false });
    const stored = db
      .prepare('SELECT parser_options FROM sources ORDER BY id')
      .pluck()
      .all() as string[];
    expect(stored.map((s) => (JSON.parse(s) as { assumeHost: unknown }).assumeHost)).toEqual([
      '10.0.0.5:8080',
      null,
    ]);
    const imports = listAudit(db).filter((a) => a.action === 'import');
    expect(imports.map((a) => (a.details.options as { assumeHost: unknown }).assumeHost)).toEqual([
      '10.0.0.5:8080',
      null,
    ]);
    expect(listSources(db).map((s) => s.assumedHost)).toEqual(['10.0.0.5:8080', null]);

    // A skipped re-import records what it asked for, which is not what the source was read with.
    const again = await importSource(
      db,
      siteA,
      { assumeHost: 'other.example.com', tz: 'Asia/Tokyo' },
      { workerFile: false },
    );
    expect(again.status).toBe('skipped');
    const skipped = listAudit(db).filter((a) => a.action === 'import.skipped');
    expect(skipped.map((a) => a.details)).toEqual([
      expect.objectContaining({
        duplicateOf: 1,
        tz: 'Asia/Tokyo',
        assumeHost: 'other.example.com',
      }),
    ]);
  });

  it('refuses what is not a host, before the case is touched', async () => {
    const db = ws.openCase('refused.sscase');
    for (const bad of [
      '',
      'two words',
      'http://shop.example.com',
      'a/b',
      '10.0.0.300',
      'x:99999',
    ]) {
      const err = await importSource(db, siteA, { assumeHost: bad }, { workerFile: false }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, bad).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('BAD_INPUT');
      expect((err as AppError).message).toMatch(/a host name or IP address/);
    }
    expect(db.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(0);
  });

  it('CLI: --assume-host per import, shown by info --json and endpoints', async () => {
    const casePath = path.join(ws.dir, 'cli.sscase');
    expect((await cli('import', casePath, siteA, '--assume-host', 'Shop.Example.com')).code).toBe(
      0,
    );
    expect((await cli('import', casePath, siteB, '--assume-host', 'blog.example.com')).code).toBe(
      0,
    );
    const info = JSON.parse((await cli('info', casePath, '--json')).out) as {
      sources: { tz: string; assumedHost: string | null }[];
    };
    expect(info.sources.map((s) => [s.tz, s.assumedHost])).toEqual([
      ['UTC', 'shop.example.com'],
      ['UTC', 'blog.example.com'],
    ]);
    const ep = JSON.parse((await cli('endpoints', casePath, '--json')).out) as {
      endpoints: { method: string; host: string; template: string }[];
    };
    expect(ep.endpoints.filter((e) => e.template === '/').map((e) => e.host)).toEqual(
      expect.arrayContaining(['shop.example.com', 'blog.example.com']),
    );
    expect(ep.endpoints.filter((e) => e.template === '/')).toHaveLength(2);
    const audit = JSON.parse(
      (await cli('audit', casePath, '--action', 'import', '--json')).out,
    ) as { entries: { details: { options: { assumeHost: string | null } } }[] };
    expect(audit.entries.map((e) => e.details.options.assumeHost)).toEqual([
      'shop.example.com',
      'blog.example.com',
    ]);

    // A source imported without one says null, not a missing field.
    const plain = path.join(ws.dir, 'plain.sscase');
    expect((await cli('import', plain, siteA)).code).toBe(0);
    const plainInfo = JSON.parse((await cli('info', plain, '--json')).out) as {
      sources: Record<string, unknown>[];
    };
    expect(plainInfo.sources[0]).toHaveProperty('assumedHost', null);
  });

  it('CLI: a bad --assume-host exits 1 with the reason, creating no case', async () => {
    const casePath = path.join(ws.dir, 'never.sscase');
    const r = await cli('import', casePath, siteA, '--assume-host', 'not a host');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /--assume-host "not a host": a host name or IP address, optionally with :port/,
    );
    expect(existsSync(casePath)).toBe(false);
  });
});
