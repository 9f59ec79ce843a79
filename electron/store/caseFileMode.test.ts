import { statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase } from './openCase.js';

/** A case holds the logs' cookies and tokens: however it is made, only its owner reads it. */

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-case-mode-');
});
afterEach(() => ws.cleanup());

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
const unixOnly = process.platform === 'win32' ? it.skip : it;

describe('case file mode', () => {
  unixOnly('a case made by openCase is 0600, and so are its WAL and shared-memory files', () => {
    const file = `${ws.dir}/new.sscase`;
    const db = openCase(file);
    try {
      db.prepare("INSERT INTO case_meta (key, value) VALUES ('probe', 'x')").run();
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      db.close();
    }
  });

  unixOnly('a case made by the CLI import is 0600', async () => {
    const log = ws.file(
      'access.log',
      '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 5 "-" "ua"\n',
    );
    const file = `${ws.dir}/cli.sscase`;
    expect((await cli('import', file, log)).code).toBe(0);
    expect(mode(file)).toBe('600');
  });

  unixOnly('an existing file keeps its own mode', () => {
    const file = `${ws.dir}/given.sscase`;
    writeFileSync(file, '', { mode: 0o640 });
    openCase(file).close();
    expect(mode(file)).toBe('640');
  });
});
