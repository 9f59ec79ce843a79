import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../../test/tempCase.js';
import type { CliIO } from '../command.js';
import { runCli } from '../runCli.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-verify-');
});
afterEach(() => ws.cleanup());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    errIsTty: false,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

interface Entry {
  action: string;
  at: string;
  details: {
    outcome: string;
    sources: number;
    match: number;
    mismatch: number;
    missing: number;
    results: { status: string; sha256: string; actualSha256: string | null }[];
  };
}

async function verifyEntries(casePath: string): Promise<Entry[]> {
  const r = await cli('audit', casePath, '--action', 'verify', '--json');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { entries: Entry[] }).entries;
}

const LOG = '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /login HTTP/1.1" 200 512 "-" "curl"\n';

describe('verify command audit', () => {
  it('records each run with its outcome: match, then mismatch, then missing', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    const log = ws.file('access.log', LOG);
    expect((await cli('import', casePath, log)).code).toBe(0);
    expect(await verifyEntries(casePath)).toEqual([]);

    expect(await cli('verify', casePath)).toMatchObject({ code: 0, err: '' });
    appendFileSync(log, 'tampered\n');
    // Exit 1 with the one-line reason on stderr, as for any other failure.
    expect(await cli('verify', casePath)).toMatchObject({
      code: 1,
      err: `sessionscope verify: 1 of 1 sources do not match what was imported: source 1 (${log}) has changed: it is longer than the ${LOG.length} bytes imported\n`,
    });
    rmSync(log);
    const missing = await cli('verify', casePath, '--json');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `sessionscope verify: 1 of 1 sources do not match what was imported: source 1 (${log}) is missing\n`,
    );
    expect(JSON.parse(missing.out)).toMatchObject({ sources: [{ status: 'missing' }] });

    const entries = await verifyEntries(casePath);
    expect(entries.map((e) => e.details.outcome)).toEqual(['match', 'failed', 'failed']);
    const [ok, changed, gone] = entries.map((e) => e.details);
    expect(ok).toMatchObject({ sources: 1, match: 1, mismatch: 0, missing: 0 });
    expect(ok!.results[0]!.actualSha256).toBe(ok!.results[0]!.sha256);
    expect(changed).toMatchObject({ match: 0, mismatch: 1, missing: 0 });
    expect(changed!.results[0]!.actualSha256).not.toBe(changed!.results[0]!.sha256);
    expect(gone).toMatchObject({ match: 0, mismatch: 0, missing: 1 });
    expect(gone!.results[0]).toMatchObject({ status: 'missing', actualSha256: null });
  });

  it('says a FIFO at a source’s path is not a regular file, without reading (it blocked)', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    const log = ws.file('access.log', LOG);
    expect((await cli('import', casePath, log)).code).toBe(0);
    rmSync(log);
    execFileSync('mkfifo', [log]);
    const r = await cli('verify', casePath, '--json');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `sessionscope verify: 1 of 1 sources do not match what was imported: source 1 (${log}): a FIFO (named pipe) is there, not a regular file; it was not read\n`,
    );
    expect(JSON.parse(r.out)).toMatchObject({
      sources: [{ status: 'not_a_file', actualSha256: null }],
    });
    const [entry] = await verifyEntries(casePath);
    expect(entry!.details).toMatchObject({ outcome: 'failed', notAFile: 1, missing: 0 });
  });

  it('finds a file imported by a relative path from another folder (the path is kept absolute)', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    mkdirSync(path.join(ws.dir, 'logs'));
    ws.file('logs/access.log', LOG);
    const before = process.cwd();
    try {
      process.chdir(ws.dir);
      expect((await cli('import', casePath, 'logs/access.log')).code).toBe(0);
      mkdirSync(path.join(ws.dir, 'elsewhere'));
      process.chdir(path.join(ws.dir, 'elsewhere'));
      const r = await cli('verify', casePath, '--json');
      expect(r.code).toBe(0);
      const results = (JSON.parse(r.out) as { sources: { file: string; status: string }[] })
        .sources;
      expect(results).toEqual([
        expect.objectContaining({ file: path.join(ws.dir, 'logs/access.log'), status: 'match' }),
      ]);
    } finally {
      process.chdir(before);
    }
  });
});
