import { afterAll, describe, expect, it } from 'vitest';
import { importAndRead } from '../../test/importedRows.js';
import { tempWorkspace } from '../../test/tempCase.js';

// A URL with credentials in it, in each format that carries whole URLs: the credentials are
// evidence (kept in extra.userinfo), never part of the host and so of an endpoint.
describe('credentials in a URL', () => {
  const ws = tempWorkspace('ss-userinfo-');
  afterAll(() => ws.cleanup());

  const hostAndUserinfo = (rows: Record<string, unknown>[]): unknown[] =>
    rows.map((r) => [
      r.host,
      r.path,
      r.query,
      (JSON.parse((r.extra as string | null) ?? '{}') as { userinfo?: string }).userinfo ?? null,
    ]);

  it('HAR request.url', async () => {
    const entry = (url: string) => ({
      startedDateTime: '2024-05-01T10:00:00Z',
      request: { method: 'GET', url, headers: [] },
      response: { status: 200, headers: [] },
    });
    const har = JSON.stringify({
      log: {
        version: '1.2',
        entries: [entry('https://admin:s3cret@shop.example/cart?x=1'), entry('https://b.example/')],
      },
    });
    const { requests } = await importAndRead(ws.openCase('har.sscase'), ws.file('u.har', har));
    expect(hostAndUserinfo(requests)).toEqual([
      ['shop.example', '/cart', 'x=1', 'admin:s3cret'],
      ['b.example', '/', null, null],
    ]);
  });

  it('a CSV url column', async () => {
    const csv = [
      'time,url,status',
      '2024-05-01T10:00:00Z,http://u@10.0.0.5:8080/a?b=2,200',
      '2024-05-01T10:00:01Z,/plain,200',
    ].join('\n');
    const { requests } = await importAndRead(ws.openCase('csv.sscase'), ws.file('u.csv', csv), {
      format: 'csv',
    });
    expect(hostAndUserinfo(requests)).toEqual([
      ['10.0.0.5:8080', '/a', 'b=2', 'u'],
      [null, '/plain', null, null],
    ]);
  });

  it('a JSON-lines url, beside a source field of the same name', async () => {
    const lines = [
      { time: '2024-05-01T10:00:00Z', method: 'GET', url: 'https://k:v@api.example/x?y=1' },
      { time: '2024-05-01T10:00:01Z', method: 'GET', url: 'https://t@api.example/', userinfo: 7 },
    ];
    const { requests } = await importAndRead(
      ws.openCase('jsonl.sscase'),
      ws.file('u.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n'),
    );
    expect(hostAndUserinfo(requests)).toEqual([
      ['api.example', '/x', 'y=1', 'k:v'],
      ['api.example', '/', null, 't'],
    ]);
    // The source's own field of that name is kept beside it.
    expect(JSON.parse(requests[1]!.extra as string)).toMatchObject({ userinfo_source: 7 });
  });
});
