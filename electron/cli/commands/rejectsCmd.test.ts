import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-rejects-');
});
afterEach(() => ws.cleanup());

describe('rejects --json', () => {
  it('gives the stored bytes in base64 when they are not UTF-8, so none is lost', async () => {
    const good = '203.0.113.7 - - [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 512 "-" "x"';
    const latin1 = Buffer.from('caf\xe9 \xff\xfe not a log line', 'latin1');
    const file = ws.file(
      'mixed.log',
      Buffer.concat([Buffer.from(`${good}\n`), latin1, Buffer.from('\nplain junk \u00e9\n')]),
    );
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, file, '--format', 'combined', '--json')).code).toBe(0);
    const out = await cli('rejects', casePath, '--json');
    expect(out.code).toBe(0);
    const { rejects } = JSON.parse(out.out) as {
      rejects: { lineNo: number; raw: string; rawLength: number; rawBase64?: string }[];
    };
    expect(rejects.map((r) => r.lineNo)).toEqual([2, 3]);
    const [bad, plain] = rejects;
    expect(bad!.raw).toContain('\ufffd');
    expect(Buffer.from(bad!.rawBase64!, 'base64')).toEqual(latin1);
    expect(bad!.rawLength).toBe(latin1.length);
    // Valid UTF-8: `raw` is the bytes exactly, and no base64 is added.
    expect(plain).toMatchObject({ raw: 'plain junk \u00e9' });
    expect(plain).not.toHaveProperty('rawBase64');
  });
});
