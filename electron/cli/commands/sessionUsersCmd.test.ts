import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../../test/tempCase.js';
import { cli } from '../../../test/runCliCapture.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-session-users-');
});
afterEach(() => ws.cleanup());

/** One client (ip + user agent) trying four accounts, zoe last: a credential-stuffing run. */
function stuffingLog(): string {
  return (
    ['yara', 'hugo', 'wen', 'hugo', 'zoe']
      .map(
        (u, i) =>
          `203.0.113.121 - ${u} [01/Mar/2024:10:00:0${i} +0000] "POST /login HTTP/1.1" 401 61 "-" "stuffer"`,
      )
      .join('\n') + '\n'
  );
}

interface Listed {
  id: string;
  user: string | null;
  userCount: number;
  users: string[];
}

describe('sessions and session name every user a session tried', () => {
  it('--json carries userCount and users; the text says how many more', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('a.log', stuffingLog()), '--json')).code).toBe(0);
    const list = JSON.parse((await cli('sessions', casePath, '--json')).out) as {
      sessions: Listed[];
    };
    expect(list.sessions).toHaveLength(1);
    const s = list.sessions[0]!;
    expect([s.user, s.userCount, s.users]).toEqual(['zoe', 4, ['hugo', 'wen', 'yara', 'zoe']]);
    // Found by another of its users, it still says it has four.
    const byHugo = JSON.parse(
      (await cli('sessions', casePath, '--user', 'hugo', '--json')).out,
    ) as {
      sessions: Listed[];
    };
    expect(byHugo.sessions.map((x) => [x.id, x.userCount])).toEqual([[s.id, 4]]);
    expect((await cli('sessions', casePath)).out).toContain('zoe +3');

    const detail = JSON.parse((await cli('session', casePath, s.id, '--json')).out) as {
      session: Listed;
    };
    expect(detail.session).toMatchObject({ userCount: 4, users: ['hugo', 'wen', 'yara', 'zoe'] });
    expect((await cli('session', casePath, s.id)).out).toContain('users (4): hugo, wen, yara, zoe');
  });
});

describe('session counts its requests per user, those naming none included', () => {
  it('the text has a by-user table with a (no user) row; --json carries withoutUser', async () => {
    // One client: three requests as admin, two naming no user.
    const log =
      ['admin', '-', 'admin', '-', 'admin']
        .map(
          (u, i) =>
            `203.0.113.7 - ${u} [01/Mar/2024:10:00:0${i} +0000] "GET /admin HTTP/1.1" 200 61 "-" "ua"`,
        )
        .join('\n') + '\n';
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('a.log', log), '--json')).code).toBe(0);
    const list = JSON.parse((await cli('sessions', casePath, '--json')).out) as {
      sessions: Listed[];
    };
    const id = list.sessions[0]!.id;
    const detail = JSON.parse((await cli('session', casePath, id, '--json')).out) as {
      byUser: { value: string; count: number }[];
      withoutUser: number;
    };
    expect([detail.byUser, detail.withoutUser]).toEqual([[{ value: 'admin', count: 3 }], 2]);
    const text = (await cli('session', casePath, id)).out;
    const table = text.slice(text.indexOf('\nby user\n'), text.indexOf('\nby endpoint'));
    expect(table.trim().split('\n')).toEqual([
      'by user',
      'user       count',
      'admin      3',
      '(no user)  2',
    ]);
  });
});
