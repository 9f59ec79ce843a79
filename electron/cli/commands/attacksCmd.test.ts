import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

/** What `attacks` says when it lists nothing: the reason, not always "rebuild first". */

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-attacks-');
});
afterEach(() => ws.cleanup());

const line = (i: number, req: string): string =>
  `10.0.0.${i} - - [01/Mar/2024:10:0${i}:00 +0000] "${req} HTTP/1.1" 200 512 "-" "Firefox"`;

describe('attacks command with nothing to list', () => {
  it('tells an analysed case without findings from one not analysed yet', async () => {
    const kase = `${ws.dir}/clean.sscase`;
    const log = ws.file('a.log', [line(1, 'GET /home'), line(2, 'GET /about')].join('\n') + '\n');
    expect((await cli('import', kase, log)).code).toBe(0);
    expect((await cli('attacks', kase)).out.trim()).toBe('No attacks were detected in this case.');

    const attacked = `${ws.dir}/sqli.sscase`;
    const sqli = ws.file('b.log', line(3, "GET /s?q=1'%20union%20select%201,2--") + '\n');
    expect((await cli('import', attacked, sqli)).code).toBe(0);
    expect((await cli('attacks', attacked, '--type', 'xss')).out.trim()).toBe(
      'No findings of type xss in this case.',
    );

    const raw = ws.openCase('raw.sscase');
    seedSource(raw, 'raw', [{ tsUs: Date.UTC(2024, 2, 1) * 1000, path: '/x' }]);
    raw.close();
    expect((await cli('attacks', `${ws.dir}/raw.sscase`)).out).toMatch(
      /^No detections\. Run the analysis rebuild first/,
    );
  });
});
