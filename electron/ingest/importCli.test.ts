import { appendFileSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/corpus.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { Command } from '../cli/command.js';
import { runCli } from '../cli/runCli.js';

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function cli(...argv: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    errIsTty: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI import / info / requests / rejects / verify, end to end', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());
  const casePath = path.join(ws.dir, 'cli.sscase');
  const source = path.join(ws.dir, 'copy.log');
  copyFileSync(fixture('access/small-combined.log'), source);

  it('import --json prints the case, each source and the request count', async () => {
    const r = await cli('import', casePath, source, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      case: { path: string; uuid: string };
      sources: Record<string, unknown>[];
      requests: number;
    };
    expect(j.case.path).toBe(casePath);
    expect(j.case.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(j.sources).toEqual([
      {
        file: 'copy.log',
        sourceId: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        format: 'combined',
        lines: 5,
        accepted: 4,
        rejected: 1,
        status: 'complete',
        message: null,
        withoutHost: 4,
        hostlessPeers: [],
        withoutOffset: 0,
        // Its first and last request (13:55:36 and 13:57:12 at +0200).
        firstUs: Date.parse('2024-10-10T11:55:36Z') * 1000,
        lastUs: Date.parse('2024-10-10T11:57:12Z') * 1000,
        firstSeen: '2024-10-10T11:55:36.000Z',
        lastSeen: '2024-10-10T11:57:12.000Z',
        warning: null,
      },
    ]);
    expect(j.requests).toBe(4);
  });

  it('a second import of the same file is skipped, still exit 0', async () => {
    const r = await cli('import', casePath, source, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { sources: Record<string, unknown>[]; requests: number };
    // The entry names the source it duplicates and that source's format; its own counts are 0.
    expect(j.sources[0]).toMatchObject({
      status: 'skipped',
      sourceId: 1,
      format: 'combined',
      lines: 0,
      accepted: 0,
      rejected: 0,
      message: 'already imported as source 1 (same SHA-256); use --force to import again',
      // Nothing read this time: no span of its own (the source it duplicates has one, in info).
      firstUs: null,
      lastSeen: null,
      warning: null,
    });
    expect(j.requests).toBe(4);
    // The attempt is in the audit trail, naming the source it duplicates.
    const audit = JSON.parse(
      (await cli('audit', casePath, '--action', 'import', '--json')).out,
    ) as {
      entries: { action: string; details: Record<string, unknown> }[];
    };
    expect(audit.entries.map((e) => e.action)).toEqual(['import', 'import.skipped']);
    expect(audit.entries[1]!.details).toMatchObject({ file: source, duplicateOf: 1 });
  });

  it('info, requests and rejects report what was stored', async () => {
    const info = await cli('info', casePath, '--json');
    expect(info.code).toBe(0);
    const ij = JSON.parse(info.out) as { counts: unknown; sources: Record<string, unknown>[] };
    expect(ij.counts).toEqual({ requests: 4, sources: 1, rejects: 1 });
    expect(ij.sources[0]).toMatchObject({ lines: 5, accepted: 4, rejected: 1, status: 'complete' });

    const req = await cli('requests', casePath, '--json', '--limit', '2');
    expect(req.code).toBe(0);
    const rj = JSON.parse(req.out) as { requests: Record<string, unknown>[] };
    expect(rj.requests).toHaveLength(2);
    expect(rj.requests[0]).toMatchObject({
      time: '2024-10-10T11:55:36.000Z',
      ip: '203.0.113.7',
      method: 'GET',
      path: '/api/users/42',
      query: 'x=1',
      latencyMs: 42,
      srcUser: 'alice',
    });

    const rej = await cli('rejects', casePath, '--json');
    expect(rej.code).toBe(0);
    expect(JSON.parse(rej.out)).toEqual({
      rejects: [
        {
          sourceId: 1,
          lineNo: 4,
          reason: 'not an access log line: no [time] field',
          raw: 'this line is not a request',
          rawLength: 26,
          truncated: false,
        },
      ],
    });
  });

  it('verify reports match, then mismatch after a change, then missing', async () => {
    const ok = await cli('verify', casePath, '--json');
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.out) as { sources: { status: string }[] }).sources[0]!.status).toBe(
      'match',
    );
    appendFileSync(source, 'tampered\n');
    const changed = await cli('verify', casePath, '--json');
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.out)).toMatchObject({ sources: [{ status: 'mismatch' }] });
    rmSync(source);
    const gone = await cli('verify', casePath, '--json');
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.out)).toMatchObject({ sources: [{ status: 'missing' }] });
  });

  it('bad input exits 1 with a one-line reason and leaves the case unchanged', async () => {
    const notes = ws.file('notes.txt', 'not a log\nat all\n');
    const r = await cli('import', casePath, notes);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a recognised log format \(tried: combined/);
    expect(await cli('import', casePath, path.join(ws.dir, 'nope.log'))).toMatchObject({ code: 1 });
    expect(await cli('import', casePath, notes, '--tz', 'Nowhere/Zone')).toMatchObject({ code: 1 });
    expect(await cli('import', casePath)).toMatchObject({ code: 1 });
    expect(await cli('import', casePath, notes, '--bogus')).toMatchObject({ code: 1 });
    const info = JSON.parse((await cli('info', casePath, '--json')).out) as { counts: unknown };
    expect(info.counts).toEqual({ requests: 4, sources: 1, rejects: 1 });
  });

  it('a file that cannot be imported does not stop the others; each failure is reported', async () => {
    const batchCase = path.join(ws.dir, 'batch.sscase');
    const notes = ws.file('notes2.txt', 'not a log\nat all\n');
    const log = path.join(ws.dir, 'copy2.log');
    copyFileSync(fixture('access/small-combined.log'), log);
    const r = await cli('import', batchCase, notes, log, path.join(ws.dir, 'gone.log'), '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      sources: { file: string; status: string; error?: { code: string; message: string } }[];
      requests: number;
      error: { code: string; message: string };
    };
    expect(j.sources.map((s) => [s.file, s.status, s.error?.code])).toEqual([
      ['notes2.txt', 'failed', 'UNKNOWN_FORMAT'],
      ['copy2.log', 'complete', undefined],
      ['gone.log', 'failed', 'BAD_INPUT'],
    ]);
    expect(j.requests).toBe(4);
    expect(j.error.code).toBe('UNKNOWN_FORMAT');
    expect(r.err).toMatch(
      /2 of 3 files not imported: notes2\.txt: not a recognised .*; No file at \S*gone\.log$/,
    );
  });

  it('a new case into which nothing could be imported is not left behind', async () => {
    const empty = path.join(ws.dir, 'never.sscase');
    expect((await cli('import', empty, path.join(ws.dir, 'gone.log'))).code).toBe(1);
    expect(existsSync(empty)).toBe(false);
    expect(existsSync(`${empty}-wal`)).toBe(false);
  });

  it('warns when a file was read but no line of it became a request', async () => {
    const har = ws.file('x.har', '{"log":{"version":"1.2","entries":[]}}\n{"more":1}\n');
    const r = await cli('import', path.join(ws.dir, 'warn.sscase'), har, '--format', 'combined');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /x\.har: warning: no line was read as a request \(all 2 lines rejected[,:] [^)]+\); is the format right\?/,
    );
    // --json says it too, per file (null for a file that gave requests).
    const log = ws.file(
      'ok.log',
      '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 1\n',
    );
    const j = await cli(
      'import',
      path.join(ws.dir, 'warn2.sscase'),
      har,
      log,
      '--format',
      'combined',
      '--json',
    );
    expect(j.code).toBe(0);
    const sources = (JSON.parse(j.out) as { sources: { file: string; warning: string | null }[] })
      .sources;
    expect(
      sources.map((s) => [s.file, s.warning?.replace(/[,:] [^)]+\)/, ': …)') ?? null]),
    ).toEqual([
      ['x.har', 'no line was read as a request (all 2 lines rejected: …); is the format right?'],
      ['ok.log', null],
    ]);
  });

  it('a file all of whose lines were rejected: the warning counts them all', async () => {
    // Three lines, two rejected for one reason and one for another (none in the combined format).
    const csv = ws.file(
      'all-rejected.log',
      'no time here\nnor here\n10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" xyz 1\n',
    );
    const r = await cli('import', path.join(ws.dir, 'rej.sscase'), csv, '--format', 'combined');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /no line was read as a request \(all 3 lines rejected, 2 of them for the most common reason: [^)]+\); is the format right\?/,
    );
  });

  it('a re-import of a file whose import accepted nothing says how to import it again', async () => {
    const casePath2 = path.join(ws.dir, 'wrong.sscase');
    const csv = ws.file(
      'wrong.csv',
      'time,ip,method,url,status\n2024-01-01T00:00:00Z,10.0.0.1,GET,/,200\n',
    );
    expect((await cli('import', casePath2, csv, '--format', 'combined')).code).toBe(0);
    const hint =
      'already imported as source 1 (format combined, 0 of 2 lines accepted): remove it ' +
      `(\`sessionscope remove-source ${casePath2} 1\`) and import again, or import again with ` +
      '--force';
    // Auto-detected this time (CSV), and in text: the skip says why and what to do.
    const text = await cli('import', casePath2, csv);
    expect(text.code).toBe(0);
    expect(text.err).toBe(`${csv}: skipped, ${hint}`);
    const j = await cli('import', casePath2, csv, '--format', 'csv', '--json');
    expect(j.code).toBe(0);
    expect((JSON.parse(j.out) as { sources: unknown[] }).sources[0]).toMatchObject({
      status: 'skipped',
      sourceId: 1,
      format: 'combined',
      lines: 0,
      message: hint,
      warning: hint,
    });
    // An unknown --format is refused before the file could be skipped.
    const bogus = await cli('import', casePath2, csv, '--format', 'bogus', '--json');
    expect(bogus.code).toBe(1);
    expect(bogus.err).toMatch(/Unknown format "bogus"/);
  });

  it('--log-format selects the nginx format', async () => {
    const file = ws.file('custom.log', '10.0.0.1 [10/Oct/2024:13:55:36 +0000] 200 0.25\n');
    const r = await cli(
      'import',
      path.join(ws.dir, 'nginx.sscase'),
      file,
      '--log-format',
      '$remote_addr [$time_local] $status $request_time',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      sources: [{ format: 'nginx', lines: 1, accepted: 1 }],
    });
  });

  it('an unexpected failure exits 2', async () => {
    const boom: Command = {
      name: 'boom',
      usage: 'boom',
      summary: 'fails',
      options: {},
      run: () => Promise.reject(new Error('bug')),
    };
    const err: string[] = [];
    const code = await runCli(
      ['boom'],
      { out: () => {}, err: (s) => err.push(s), errIsTty: false },
      [boom],
    );
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/internal error/);
  });
});
