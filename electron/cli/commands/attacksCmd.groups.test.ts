import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

/** `attacks` cuts its list of groups (30 in text, 200 in --json) and says so. */

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-attack-groups-');
});
afterEach(() => ws.cleanup());

// Path names the templating keeps as they are (no ids or numbers to fold).
const NAMES = Array.from(
  { length: 34 },
  (_, i) => `page${String.fromCharCode(97 + (i % 26))}${'x'.repeat(Math.floor(i / 26))}`,
);

const line = (i: number, path: string): string =>
  `10.0.0.${(i % 200) + 1} - - [01/Mar/2024:10:00:${String(i % 60).padStart(2, '0')} +0000] ` +
  `"GET /${path}?q=1'%20union%20select%20password%20from%20users-- HTTP/1.1" 200 512 "-" "Firefox"`;

describe('attacks with more groups than it lists', () => {
  it('says how many more there are in text, and counts them all in --json', async () => {
    const kase = `${ws.dir}/many.sscase`;
    const log = ws.file('a.log', NAMES.map((n, i) => line(i, n)).join('\n') + '\n');
    expect((await cli('import', kase, log)).code).toBe(0);

    const json = JSON.parse((await cli('attacks', kase, '--json')).out) as {
      groups: unknown[];
      groupsTotal: number;
    };
    expect(json.groupsTotal).toBe(NAMES.length);
    expect(json.groups).toHaveLength(NAMES.length);

    const text = (await cli('attacks', kase)).out;
    expect(text).toContain(`… and ${NAMES.length - 30} more groups (--json for up to 200)`);
  });

  it('says nothing more when every group is listed', async () => {
    const kase = `${ws.dir}/few.sscase`;
    const log = ws.file(
      'a.log',
      NAMES.slice(0, 3)
        .map((n, i) => line(i, n))
        .join('\n') + '\n',
    );
    expect((await cli('import', kase, log)).code).toBe(0);
    expect((await cli('attacks', kase)).out).not.toContain('more group');
  });
});
