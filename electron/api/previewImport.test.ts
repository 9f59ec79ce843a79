import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { caseHandlers } from './caseHandlers.js';

const ws = tempWorkspace('ss-preview-');
afterAll(() => ws.cleanup());

// previewImport reads only the open case from ctx (none here).
const preview = (input: Parameters<typeof caseHandlers.previewImport>[0]) =>
  caseHandlers.previewImport(input, { state: { openCase: null } } as never);

describe('previewImport', () => {
  it('describes the columns of a CSV whose headers nothing recognises, so they can be mapped', async () => {
    const file = ws.file(
      'unknown-headers.csv',
      'when,who,what,code\n2024-10-10T13:55:36Z,203.0.113.9,GET /a HTTP/1.1,200\n',
    );
    const auto = await preview({ path: file });
    expect(auto.csv?.columns.map((c) => c.name)).toEqual(['when', 'who', 'what', 'code']);
    const chosen = await preview({ path: file, format: 'csv' });
    expect(chosen.csv).not.toBeNull();
  });

  it('shows no CSV table for a file that is not CSV', async () => {
    const file = ws.file(
      'access.log',
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "curl/8"\n',
    );
    const r = await preview({ path: file });
    expect(r.format).toBe('combined');
    expect(r.csv).toBeNull();
  });

  it('counts the sample requests that name no host: access logs, JSON lines and CSV', async () => {
    const line = (target: string): string =>
      `203.0.113.7 - - [10/Oct/2024:13:55:36 +0200] "GET ${target} HTTP/1.1" 200 5 "-" "curl/8"`;
    const log = ws.file(
      'hostless.log',
      [line('/'), line('/a'), line('http://own.example/x')].join('\n') + '\n',
    );
    expect((await preview({ path: log })).hosts).toEqual({ read: 3, withoutHost: 2 });
    const jsonl = ws.file(
      'named.jsonl',
      '{"time":"2024-05-01T10:00:00Z","method":"GET","host":"shop.example","path":"/"}\n',
    );
    expect((await preview({ path: jsonl })).hosts).toEqual({ read: 1, withoutHost: 0 });
    const csv = ws.file(
      'plain.csv',
      'timestamp,client_ip,method,path,status\n2024-10-10T13:55:36Z,203.0.113.9,GET,/a,200\n',
    );
    expect((await preview({ path: csv })).hosts).toEqual({ read: 1, withoutHost: 1 });
    // A HAR's entries are not whole in the sample: nothing said.
    const har = ws.file('x.har', '{"log":{"version":"1.2","entries":[]}}');
    expect((await preview({ path: har })).hosts).toBeNull();
  });
});
