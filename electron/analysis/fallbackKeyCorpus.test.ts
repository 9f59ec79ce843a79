import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { userAgentKey } from '../../shared/analysis/userAgentKey.js';
import { CORPUS_DIR, describeCorpus } from '../../test/corpus.js';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';

const DEMO = fileURLToPath(new URL('../../resources/demo/demo-capture.jsonl', import.meta.url));

const ws = tempWorkspace('ss-fallback-key-');
afterAll(() => ws.cleanup());

describe('the ip+ua fallback key on the demo capture (a Nikto run of 640 requests)', () => {
  it('keys the Nikto run from 192.0.2.200 as one session, not one per test id', async () => {
    const casePath = `${ws.dir}/demo.sscase`;
    expect((await cli('import', casePath, DEMO, '--json')).code).toBe(0);
    const count = async (...f: string[]): Promise<number> =>
      Number((await cli('sessions', casePath, ...f, '--count')).out.trim());
    // Was 640 one-request sessions (641 with --attack scanner).
    expect(await count('--ip', '192.0.2.200')).toBe(1);
    expect(await count('--attack', 'scanner')).toBeLessThan(5);
  }, 60_000);
});

describeCorpus('the ip+ua fallback key on real logs (shared corpus)', () => {
  it('reads every line of every corpus log as it is: no real agent there is normalised', () => {
    let lines = 0;
    for (const dir of ['A_access_logs', 'B_labelled_attacks', 'C_har', 'D_proxy_lb_cdn', 'E_csv']) {
      for (const name of readdirSync(path.join(CORPUS_DIR, dir))) {
        for (const line of readFileSync(path.join(CORPUS_DIR, dir, name), 'latin1').split('\n')) {
          lines++;
          // Line by line is a superset of agent by agent: no agent in a line that keeps it changes.
          if (userAgentKey(line) !== line) expect.fail(`${dir}/${name}: ${line.slice(0, 300)}`);
        }
      }
    }
    expect(lines).toBeGreaterThan(100_000);
  });

  it('finds a few agents in each whole scan of Acunetix, Netsparker and w3af: no counter to take out', () => {
    for (const tool of ['acunetix', 'netsparker', 'w3af']) {
      const text = readFileSync(
        path.join(CORPUS_DIR, `A_access_logs/ocatak_apache_scanner_${tool}_2016.log`),
        'latin1',
      );
      const agents = new Set<string>();
      let lines = 0;
      for (const line of text.split('\n')) {
        // The last quoted field, in a line that may be wrapped in one more pair of quotes.
        const ua = /"([^"]*)""?\r?$/.exec(line)?.[1];
        if (ua === undefined) continue;
        lines++;
        agents.add(ua);
      }
      expect(lines, tool).toBeGreaterThan(3000);
      expect(agents.size, tool).toBeLessThanOrEqual(5);
    }
  });
});
