import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../../test/tempCase.js';
import { cli } from '../../../test/runCliCapture.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-hostile-');
});
afterEach(() => ws.cleanup());

/** Clears the screen (ESC[2J), a C1 CSI (U+009B, ESC[ on some terminals), a right-to-left override. */
const HOSTILE = 'x\x1b[2J\x9b2J\u202efdp.exe';
/** What a terminal must never be sent raw: C0 but LF, DEL, C1, the bidi controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('log text on the terminal', () => {
  it('sessions and session print a hostile value as visible escapes, never raw', async () => {
    const rows = [0, 5].map((sec) =>
      JSON.stringify({
        time: `2024-03-01T10:00:0${sec}Z`,
        ip: '10.0.0.1',
        method: 'GET',
        path: `/a${HOSTILE}`,
        status: 200,
        user_agent: `ua${HOSTILE}`,
        user: `u${HOSTILE}`,
        role: `r${HOSTILE}`,
        session: `k${HOSTILE}`,
      }),
    );
    const log = ws.file('hostile.jsonl', rows.join('\n') + '\n');
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, log, '--json')).code).toBe(0);

    const json = await cli('sessions', casePath, '--json');
    const listed = JSON.parse(json.out) as { sessions: { id: string; user: string }[] };
    // --json keeps the value (JSON escapes) and sends no hidden character raw either.
    expect(listed.sessions.map((s) => s.user)).toEqual([`u${HOSTILE}`]);
    expect(json.out).not.toMatch(RAW);

    const list = await cli('sessions', casePath);
    expect(list.code).toBe(0);
    expect(list.out).not.toMatch(RAW);
    expect(list.out).toContain('ux\\x1B[2J\\x9B2J\\u202Efdp.exe');

    const id = listed.sessions[0]!.id;
    const one = await cli('session', casePath, id);
    expect(one.code).toBe(0);
    expect(one.out).not.toMatch(RAW);
    // The session's key (the source's session column) is log text too.
    expect(one.out).toContain('key source:session kx\\x1B[2J\\x9B2J\\u202Efdp.exe\n');
    for (const shown of ['ux\\x1B', 'rx\\x1B', 'uax\\x1B', '/ax\\x1B[2J\\x9B2J\\u202E'])
      expect(one.out).toContain(shown);
    expect((await cli('session', casePath, id, '--json')).out).not.toMatch(RAW);
  });

  it('import prints a hostile file name as visible escapes, in its summary and its warnings', async () => {
    const row = {
      time: '2024-03-01T10:00:00Z',
      ip: '10.0.0.1',
      method: 'GET',
      path: '/',
      status: 200,
    };
    // Two host-less sources: the second's warning names the first.
    const first = ws.file(`one${HOSTILE}.jsonl`, JSON.stringify(row) + '\n');
    const second = ws.file('two.jsonl', JSON.stringify({ ...row, path: '/b' }) + '\n');
    const casePath = `${ws.dir}/c.sscase`;
    const r = await cli('import', casePath, first, second);
    expect(r.code).toBe(0);
    expect(r.err).toContain('onex\\x1B[2J\\x9B2J\\u202Efdp.exe.jsonl: jsonl, 1 lines');
    expect(r.err).toMatch(/two\.jsonl: warning: .*onex\\x1B\[2J/);
    expect(r.err).not.toMatch(RAW);
  });
});
