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

describe('an attack type no finding has', () => {
  it('is said on stderr by attacks, sessions, session and export, stdout staying parseable', async () => {
    const kase = `${ws.dir}/sqli.sscase`;
    const log = ws.file('b.log', line(3, "GET /s?q=1'%20union%20select%201,2--") + '\n');
    expect((await cli('import', kase, log)).code).toBe(0);
    const warning =
      'warning: no finding of this case has the type "sqlinj" (types with findings: sqli)\n';
    const sessions = await cli('sessions', kase, '--attack', 'sqlinj', '--json');
    expect(sessions.err).toBe(warning);
    expect(JSON.parse(sessions.out)).toMatchObject({ sessions: [] });
    expect((await cli('attacks', kase, '--type', 'sqlinj', '--json')).err).toBe(warning);
    const id = (
      JSON.parse((await cli('sessions', kase, '--json')).out) as { sessions: { id: string }[] }
    ).sessions[0]!.id;
    expect((await cli('session', kase, id, '--attack', 'sqlinj', '--json')).err).toBe(warning);
    const out = `${ws.dir}/x.csv`;
    expect((await cli('export', kase, '--attack', 'sqlinj', '--out', out)).err).toMatch(
      /^warning: no finding/,
    );
    // A type the case has: no warning.
    expect((await cli('sessions', kase, '--attack', 'sqli', '--json')).err).toBe('');
  });
});

describe('paging findings and a session’s requests with --cursor', () => {
  const attackLog = (): string =>
    Array.from({ length: 7 }, (_, i) =>
      line(1, `GET /s?q=${i}'%20union%20select%201,2--`).replace('10:01:00', `10:01:0${i}`),
    ).join('\n') + '\n';

  it('walks every finding and every request of the session, none twice', async () => {
    const kase = `${ws.dir}/c.sscase`;
    expect((await cli('import', kase, ws.file('a.log', attackLog()))).code).toBe(0);
    const walk = async (
      args: string[],
      items: (json: Record<string, unknown>) => { id: number }[],
    ): Promise<number[]> => {
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const r = await cli(
          ...args,
          '--limit',
          '3',
          '--json',
          ...(cursor ? ['--cursor', cursor] : []),
        );
        expect(r.code).toBe(0);
        const json = JSON.parse(r.out) as Record<string, unknown> & { nextCursor: string | null };
        seen.push(...items(json).map((x) => x.id));
        cursor = json.nextCursor;
        if (!cursor) break;
      }
      return seen;
    };
    const findings = await walk(['attacks', kase], (j) => j.items as { id: number }[]);
    expect(findings.length).toBeGreaterThanOrEqual(7);
    expect(new Set(findings).size).toBe(findings.length);

    const sessions = JSON.parse((await cli('sessions', kase, '--json')).out) as {
      sessions: { id: string; requestCount: number }[];
    };
    expect(sessions.sessions.map((s) => s.requestCount)).toEqual([7]);
    const requests = await walk(
      ['session', kase, sessions.sessions[0]!.id],
      (j) => j.requests as { id: number }[],
    );
    expect(requests).toHaveLength(7);
    expect(new Set(requests).size).toBe(7);

    // The text output says how to go on.
    const text = await cli('session', kase, sessions.sessions[0]!.id, '--limit', '3');
    expect(text.out).toMatch(/more requests: --cursor \S+/);
    for (const cmd of [
      ['attacks', kase],
      ['session', kase, sessions.sessions[0]!.id],
    ]) {
      const bad = await cli(...cmd, '--cursor', 'x;1');
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('--cursor is not a cursor from a previous page');
    }
  });
});
