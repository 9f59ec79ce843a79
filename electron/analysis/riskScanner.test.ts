import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { runCli } from '../cli/runCli.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';

/**
 * A scanner's user agent fingerprints the client, not a payload: its 2xx answers are
 * 'scanner-probed' (3), not 'succeeded-attack' (9); payloads and custom rules stay attacks.
 */
const ua = {
  scanner: 'Mozilla/5.0 (compatible; w3af.org)',
  browser:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
};
const line = (i: number, req: string, status: number, agent: string): string =>
  `10.0.0.${i} - - [22/Dec/2016:10:00:0${i} +0300] "${req} HTTP/1.1" ${status} 100 "-" "${agent}"`;
const log = [
  line(1, 'GET /DVWA/dvwa/css/help.css', 200, ua.scanner),
  line(2, 'GET /DVWA/dvwa/css/help.css', 200, ua.scanner),
  line(3, "GET /search?q=1'%20or%201=1--", 200, ua.browser),
  line(4, 'GET /custom/page?x=zzmarkerzz', 200, ua.browser),
  line(5, 'GET /scanned/page?x=zzmarkerzz', 200, ua.scanner),
].join('\n');

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

beforeAll(async () => {
  ws = tempWorkspace();
  const caseFile = path.join(ws.dir, 'case.sscase');
  db = ws.openCase();
  await importSource(db, ws.file('access.log', log + '\n'));
  db.close();
  let out = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (out += t), errIsTty: false };
  const code = await runCli(
    [
      'rules',
      caseFile,
      'add',
      '--kind',
      'detect',
      '--field',
      'query',
      '--contains',
      'zzmarkerzz',
      '--type',
      'scanner',
    ],
    io,
  );
  expect(code, out).toBe(0);
  db = ws.openCase();
  rebuild(db);
}, 60_000);
afterAll(() => ws.cleanup());

const risk = (template: string): { score: number; level: string; ids: string[] } => {
  const r = db
    .prepare('SELECT score, level, factors FROM endpoint_risk WHERE template = ?')
    .get(template) as { score: number; level: string; factors: string };
  const ids = (JSON.parse(r.factors) as { id: string }[]).map((f) => f.id);
  return { score: r.score, level: r.level, ids };
};

describe('scanner fingerprints in the risk score', () => {
  it('scores a file a scanner fetched with a 2xx as probed (3, Low), not as an attack', () => {
    expect(risk('/DVWA/dvwa/css/help.css')).toEqual({
      score: 3,
      level: 'Low',
      ids: ['scanner-probed'],
    });
  });

  it('keeps a SQL injection answered 2xx at 9', () => {
    expect(risk('/search')).toMatchObject({ score: 9, level: 'High', ids: ['succeeded-attack'] });
  });

  it("counts the investigator's own rule as an attack, whatever its type and the client", () => {
    expect(risk('/custom/page')).toMatchObject({ score: 9, ids: ['succeeded-attack'] });
    expect(risk('/scanned/page')).toMatchObject({ score: 9, ids: ['succeeded-attack'] });
  });
});
