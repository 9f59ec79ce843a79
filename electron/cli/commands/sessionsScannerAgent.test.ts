import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../../test/tempCase.js';
import { cli } from '../../../test/runCliCapture.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-scanner-agent-');
});
afterEach(() => ws.cleanup());

const nikto = (n: number): string =>
  `Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:${String(n).padStart(6, '0')})`;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:45.0) Gecko/20100101 Firefox/45.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';

/** One address: a Nikto run of 12 requests (a test id each) and two browsers, no cookies. */
function niktoLog(): string {
  const line = (sec: number, path: string, status: number, ua: string): string =>
    `192.0.2.200 - - [01/Mar/2024:10:00:${String(sec).padStart(2, '0')} +0000] "GET ${path} HTTP/1.1" ${status} 512 "-" "${ua}"`;
  const lines: string[] = [];
  for (let n = 1; n <= 12; n++) lines.push(line(n, `/probe${n}.php`, 404, nikto(n)));
  lines.push(line(30, '/', 200, FIREFOX), line(31, '/about', 200, CHROME));
  return lines.join('\n') + '\n';
}

interface SessionsJson {
  sessions: { id: string; keyKind: string; requestCount: number; userAgent: string | null }[];
}

describe('sessions of a scanner that numbers its requests in its user agent', () => {
  it('keys one Nikto run from one address as one ip+ua session, its agents kept as logged', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('access.log', niktoLog()), '--json')).code).toBe(
      0,
    );

    expect((await cli('sessions', casePath, '--count')).out.trim()).toBe('3');
    const { sessions } = JSON.parse(
      (await cli('sessions', casePath, '--json')).out,
    ) as SessionsJson;
    expect(sessions.map((s) => [s.keyKind, s.requestCount, s.userAgent])).toEqual([
      // The session shows its first request's agent.
      ['ip+ua', 12, nikto(1)],
      ['ip+ua', 1, FIREFOX],
      ['ip+ua', 1, CHROME],
    ]);

    // Each request keeps its own agent (evidence): every test id is still there.
    const one = JSON.parse(
      (await cli('session', casePath, sessions[0]!.id, '--limit', '50', '--json')).out,
    ) as { requests: { userAgent: string }[] };
    expect(one.requests.map((r) => r.userAgent).sort()).toEqual(
      Array.from({ length: 12 }, (_, k) => nikto(k + 1)).sort(),
    );
  });
});
