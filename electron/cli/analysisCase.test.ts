import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase } from '../store/openCase.js';
import { removeSourceAudited } from '../store/sourceRemoval.js';
import { removeSource } from '../store/sourcesRepo.js';
import { staleAnalysisWarning } from './analysisCase.js';

let ws: ReturnType<typeof tempWorkspace>;
let kase: string;

const line = (ip: string, min: number, path: string): string =>
  `${ip} - - [01/Mar/2024:10:${String(min).padStart(2, '0')}:00 +0000] "GET ${path}?id=1' OR 1=1-- HTTP/1.1" 200 512 "-" "Firefox"`;

beforeEach(async () => {
  ws = tempWorkspace('ss-cli-stale-');
  kase = `${ws.dir}/c.sscase`;
  const a = ws.file('a.log', [line('10.0.0.1', 0, '/a'), line('10.0.0.1', 1, '/b')].join('\n'));
  const b = ws.file('b.log', line('10.0.0.2', 5, '/c') + '\n');
  expect((await cli('import', kase, a, b)).code).toBe(0);
});
afterEach(() => ws.cleanup());

/** Removes a source as the app does: the analysis is left as it was. */
function removeBehindTheAnalysis(sourceId: number): void {
  const db = openCase(kase, { create: false });
  try {
    removeSource(db, sourceId);
  } finally {
    db.close();
  }
}

const warning = (): string =>
  `warning: the analysis is older than the case's requests; run \`sessionscope rebuild ${kase}\`\n`;

describe('a query command on a case whose analysis is out of date', () => {
  it('warns once on stderr; stdout is the same parseable JSON as before', async () => {
    const before = await cli('sessions', kase, '--json');
    expect([before.code, before.err]).toEqual([0, '']);
    removeBehindTheAnalysis(2);
    const r = await cli('sessions', kase, '--json');
    expect([r.code, r.err]).toEqual([0, warning()]);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(before.out));
    // Rebuilt, the warning is gone.
    expect((await cli('rebuild', kase)).code).toBe(0);
    const after = await cli('sessions', kase, '--json');
    expect([after.code, after.err]).toEqual([0, '']);
  });

  it('warns in sessions, session, endpoints, attacks and export, text or --json', async () => {
    const sessions = JSON.parse((await cli('sessions', kase, '--json')).out) as {
      sessions: { id: string }[];
    };
    const id = sessions.sessions[0]!.id;
    const runs = (json: string[]): string[][] => [
      ['sessions', kase, ...json],
      ['sessions', kase, '--count', ...json],
      ['session', kase, id, ...json],
      ['endpoints', kase, ...json],
      ['attacks', kase, ...json],
      ['export', kase, '--out', `${ws.dir}/r.csv`, ...json],
      ['export', kase, '--endpoints', '--out', `${ws.dir}/e.csv`, ...json],
    ];
    const all = [...runs([]), ...runs(['--json'])];
    for (const argv of all) {
      const r = await cli(...argv);
      expect([argv, r.code, r.err]).toEqual([argv, 0, '']);
    }
    removeBehindTheAnalysis(2);
    for (const argv of all) {
      const r = await cli(...argv);
      expect([argv, r.code, r.err]).toEqual([argv, 0, warning()]);
      if (argv.includes('--json')) expect(() => JSON.parse(r.out) as unknown).not.toThrow();
    }
  });

  it('warns after a removal through the shared audited removal (as the app removes)', async () => {
    const db = openCase(kase, { create: false });
    try {
      removeSourceAudited(db, 1);
    } finally {
      db.close();
    }
    expect((await cli('endpoints', kase, '--json')).err).toBe(warning());
  });

  it('does not warn on a case with no requests that was never analysed', async () => {
    const empty = `${ws.dir}/empty.sscase`;
    openCase(empty).close();
    const r = await cli('sessions', empty, '--json');
    expect([r.code, r.err, JSON.parse(r.out)]).toEqual([0, '', { sessions: [], nextCursor: null }]);
  });

  it('names the case as one shell word in the command to run', () => {
    expect(staleAnalysisWarning('/cases/c.sscase')).toMatch(
      /run `sessionscope rebuild \/cases\/c\.sscase`$/,
    );
    expect(staleAnalysisWarning("/my cases/o'hara.sscase")).toMatch(
      /run `sessionscope rebuild '\/my cases\/o'\\''hara\.sscase'`$/,
    );
    expect(staleAnalysisWarning('/x\n.sscase').split('\n')).toHaveLength(1);
  });
});
