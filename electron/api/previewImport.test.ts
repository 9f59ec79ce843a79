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

  it('says what to do in the import form, not with a CLI flag, when no column gives the time', async () => {
    const file = ws.file('no-time.csv', 'who,what\n203.0.113.9,GET\n');
    const r = await preview({ path: file, format: 'csv' });
    expect(r.csv?.problem).toBe(
      'No column gives the request time (columns: who, what). In the column table, choose ' +
        '"timestamp" for the column that holds it.',
    );
  });

  it('tells the app to choose the format in the form when no format is recognised, not --format', async () => {
    const r = await preview({ path: ws.file('notes.txt', 'dear diary\ntoday I parsed logs\n') });
    expect(r.format).toBeNull();
    expect(r.problem).toMatch(
      /^notes\.txt: not a recognised log format \(tried: .*\)\. Choose its format under "Format" in the import form\.$/,
    );
    expect(r.problem).not.toContain('--format');
  });

  it('says an empty file is empty (also when CSV was chosen), not that its format is unknown', async () => {
    const file = ws.file('empty.log', '');
    for (const format of [undefined, 'csv']) {
      const r = await preview({ path: file, ...(format ? { format } : {}) });
      expect(r).toMatchObject({ format: null, lines: [], csv: null, hosts: null });
      expect(r.problem).toBe('empty.log: the file is empty: nothing to import');
    }
  });

  it('says there is no file at a path that names none, without the system error', async () => {
    const gone = `${ws.dir}/gone.log`;
    await expect(preview({ path: gone })).rejects.toThrow(new RegExp(`^No file at ${gone}$`));
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
