import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from '../ingest/importSource.js';
import { rebuild } from './rebuild.js';

const ws = tempWorkspace('ss-issued-');
afterAll(() => ws.cleanup());

const entry = (
  t: string,
  path: string,
  ua: string,
  cookie: string | null,
  setCookies: string[],
) => ({
  startedDateTime: t,
  request: {
    method: 'GET',
    url: `https://a.example${path}`,
    headers: [
      { name: 'User-Agent', value: ua },
      ...(cookie ? [{ name: 'Cookie', value: cookie }] : []),
    ],
  },
  response: { status: 200, headers: setCookies.map((value) => ({ name: 'Set-Cookie', value })) },
});

describe('a login that issues two session cookies', () => {
  it('is linked by the one the requests after it present', async () => {
    const entries = [
      entry('2024-05-01T10:00:00Z', '/login', 'ua-1', null, ['JSESSIONID=J1; Path=/app', 'sid=S1']),
      entry('2024-05-01T10:00:05Z', '/me', 'ua-1', 'sid=S1', []),
      entry('2024-05-01T11:00:00Z', '/login', 'ua-2', null, ['JSESSIONID=J2', 'sid=S2']),
      entry('2024-05-01T11:00:05Z', '/me', 'ua-2', 'sid=S2; JSESSIONID=J2', []),
    ];
    const file = ws.file('two.har', JSON.stringify({ log: { version: '1.2', entries } }));
    const db = ws.openCase('two.sscase');
    await importSource(db, file, {}, { workerFile: false });
    rebuild(db);
    const s = db
      .prepare(
        `SELECT f.session_id FROM request_facts f JOIN requests r ON r.id = f.request_id ORDER BY r.line_no`,
      )
      .pluck()
      .all() as number[];
    expect(s[1]).toBe(s[0]);
    expect(s[3]).toBe(s[2]);
    expect(s[2]).not.toBe(s[0]);
    db.close();
  });
});
