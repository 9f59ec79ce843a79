import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { importSource } from './importSource.js';

const ws = tempWorkspace('ss-har-sessions-');
afterAll(() => ws.cleanup());

type Pair = [string, string];

function entry(
  t: string,
  path: string,
  ua: string,
  reqHeaders: Pair[],
  respHeaders: Pair[],
  cookies: { req?: Pair[]; resp?: Pair[] } = {},
): Record<string, unknown> {
  const list = (pairs: Pair[] = []) => pairs.map(([name, value]) => ({ name, value }));
  return {
    startedDateTime: t,
    time: 10,
    request: {
      method: 'GET',
      url: `https://shop.example${path}`,
      httpVersion: 'HTTP/1.1',
      headers: list([['User-Agent', ua], ...reqHeaders]),
      cookies: list(cookies.req),
    },
    response: {
      status: 200,
      headers: list(respHeaders),
      cookies: list(cookies.resp),
      content: { size: 0, mimeType: 'text/html' },
    },
  };
}

describe('HAR logins and the requests after them, one session', () => {
  it('links a key issued in response.cookies only, or quoted, to the requests presenting it', async () => {
    const entries = [
      // The cookie only in the parsed lists, on both sides.
      entry('2024-05-01T11:00:00.000Z', '/login', 'ua-a', [], [], { resp: [['sid', 'BBB222']] }),
      entry('2024-05-01T11:00:05.000Z', '/a/me', 'ua-a', [], [], { req: [['sid', 'BBB222']] }),
      // A quoted value in Set-Cookie and in Cookie.
      entry('2024-05-01T12:00:00.000Z', '/login', 'ua-b', [], [['Set-Cookie', 'sid="Q123"']]),
      entry('2024-05-01T12:00:05.000Z', '/b/me', 'ua-b', [['Cookie', 'sid="Q123"']], []),
      entry('2024-05-01T12:00:09.000Z', '/b/cart', 'ua-b', [['Cookie', 'sid=Q123']], []),
    ];
    const file = ws.file('logins.har', JSON.stringify({ log: { version: '1.2', entries } }));
    const db = ws.openCase('logins.sscase');
    const r = await importSource(db, file, {}, { workerFile: false });
    expect(r).toMatchObject({ accepted: 5, rejected: 0 });
    rebuild(db);
    const rows = db
      .prepare(
        `SELECT r.path, f.session_id AS session FROM request_facts f
         JOIN requests r ON r.id = f.request_id ORDER BY r.line_no`,
      )
      .all() as { path: string; session: number }[];
    const session = (i: number): number => rows[i]!.session;
    expect(rows.map((x) => x.path)).toEqual(['/login', '/a/me', '/login', '/b/me', '/b/cart']);
    expect(session(1)).toBe(session(0));
    expect([session(3), session(4)]).toEqual([session(2), session(2)]);
    expect(session(2)).not.toBe(session(0));
    db.close();
  });
});
