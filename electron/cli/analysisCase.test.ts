import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { readSettings, readState, writeSettings, writeState } from '../analysis/settingsRepo.js';
import { openCase, type CaseDb } from '../store/openCase.js';
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
  `warning: requests were imported or removed since the analysis was made; run \`sessionscope rebuild ${kase}\`\n`;

/** Changes the case as `change` does, then reads the warning a query command prints. */
async function warningAfter(change: (db: CaseDb) => void): Promise<string> {
  const db = openCase(kase, { create: false });
  try {
    change(db);
  } finally {
    db.close();
  }
  const r = await cli('sessions', kase, '--json');
  expect(r.code).toBe(0);
  return r.err;
}

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
    expect(staleAnalysisWarning('/cases/c.sscase', 'requests')).toMatch(
      /run `sessionscope rebuild \/cases\/c\.sscase`$/,
    );
    expect(staleAnalysisWarning("/my cases/o'hara.sscase", 'version')).toMatch(
      /run `sessionscope rebuild '\/my cases\/o'\\''hara\.sscase'`$/,
    );
    expect(staleAnalysisWarning('/x\n.sscase', 'never').split('\n')).toHaveLength(1);
  });

  it('says a migration marked the analysis for a rebuild, not that requests changed', async () => {
    // As migrations 21 and 22 mark an affected case: the basis is gone, the analysis stays.
    const err = await warningAfter((db) =>
      db.prepare("DELETE FROM analysis_state WHERE key = 'analysis_basis'").run(),
    );
    expect(err).toBe(
      'warning: the analysis was made by another version of Sessionscope (or marked for a ' +
        `rebuild on upgrade); run \`sessionscope rebuild ${kase}\`\n`,
    );
  });

  it('says another version made the analysis', async () => {
    const err = await warningAfter((db) => {
      const basis = JSON.parse(readState(db, 'analysis_basis')!) as object;
      writeState(db, 'analysis_basis', JSON.stringify({ ...basis, version: '0.0.1' }));
    });
    expect(err).toMatch(/^warning: the analysis was made by another version of Sessionscope/);
  });

  it('says the settings changed since the analysis', async () => {
    const err = await warningAfter((db) =>
      writeSettings(db, { ...readSettings(db), inactivityTimeoutMin: 7 }),
    );
    expect(err).toBe(
      'warning: the analysis settings changed since the analysis was made; ' +
        `run \`sessionscope rebuild ${kase}\`\n`,
    );
  });

  it('says a case with requests has not been analysed yet', async () => {
    const err = await warningAfter((db) =>
      db.prepare("DELETE FROM analysis_state WHERE key IN ('analysis_basis', 'rebuilt_at')").run(),
    );
    expect(err).toBe(
      `warning: the case has not been analysed yet; run \`sessionscope rebuild ${kase}\`\n`,
    );
  });

  it('names requests first when they changed as well as the version', async () => {
    const err = await warningAfter((db) => {
      const basis = JSON.parse(readState(db, 'analysis_basis')!) as object;
      writeState(db, 'analysis_basis', JSON.stringify({ ...basis, version: '0.0.1' }));
      removeSource(db, 2);
    });
    expect(err).toBe(warning());
  });
});
