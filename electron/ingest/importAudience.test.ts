import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase } from '../store/openCase.js';
import { importSource } from './importSource.js';
import { importWarning } from './importWarnings.js';

/*
 * An import's messages say what to do in the words of who reads them: the CLI's name its
 * commands with the case's own path (quoted for a shell when it needs to be), the app's its
 * controls (the import form, the Overview's Remove… button).
 */

const line = (s: number, target: string): string =>
  `203.0.113.7 - - [10/Oct/2024:13:55:${String(s).padStart(2, '0')} +0000] "GET ${target} HTTP/1.1" 200 5 "-" "ua"`;
const local = { workerFile: false } as const;

describe('import messages for the CLI and for the app', () => {
  const ws = tempWorkspace('ss-audience-');
  afterAll(() => ws.cleanup());
  // Two sites' access logs, neither naming a host.
  const siteA = ws.file('a.log', [line(1, '/'), line(2, '/a')].join('\n') + '\n');
  const siteB = ws.file('b.log', [line(3, '/'), line(4, '/b'), line(5, '/c')].join('\n') + '\n');
  // A CSV imported as combined: none of its lines accepted.
  const csv = ws.file(
    'wrong.csv',
    'time,ip,method,url,status\n2024-01-01T00:00:00Z,10.0.0.1,GET,/,200\n',
  );

  it('a file no format recognises: the app is told to choose its format in the import form', async () => {
    const db = ws.openCase('unknown.sscase');
    const notes = ws.file('notes.txt', 'dear diary\ntoday I parsed logs\n');
    const message = async (audience?: 'cli' | 'app'): Promise<string> => {
      const err = await importSource(db, notes, audience ? { audience } : {}, local).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('UNKNOWN_FORMAT');
      return (err as AppError).message;
    };
    expect(await message('app')).toMatch(
      /\(tried: [^)]*\)\. Choose its format under "Format" in the import form\.$/,
    );
    expect(await message('app')).not.toContain('--format');
    expect(await message()).toMatch(/Use --format to choose one\.$/);
  });

  it('a skipped re-import: the CLI names the command with the case path, the app its controls', async () => {
    const casePath = path.join(ws.dir, `it's a case.sscase`);
    const db = openCase(casePath);
    try {
      await importSource(db, csv, { format: 'combined' }, local);
      const cli = await importSource(db, csv, {}, local);
      expect(cli.message).toBe(
        'already imported as source 1 (format combined, 0 of 2 lines accepted): remove it ' +
          `(\`sessionscope remove-source '${casePath.replace(`'`, `'\\''`)}' 1\`) and import again, ` +
          'or import again with --force',
      );
      const app = await importSource(db, csv, { audience: 'app' }, local);
      expect(app.message).toBe(
        'already imported as source 1 (format combined, 0 of 2 lines accepted): remove it (the ' +
          "Remove… button of source 1 in the Overview's sources) and import again, or import " +
          'again with "Import again even if already in the case" ticked',
      );
      expect(app.message).not.toMatch(/<case>|--force|sessionscope/);
      // The warning repeats the skip's message, in the same words.
      expect(importWarning(db, app, 'app')).toBe(app.message);
    } finally {
      db.close();
    }
  });

  it('a skipped copy of a good import: the app is told which box to tick', async () => {
    const db = ws.openCase('good.sscase');
    await importSource(db, siteA, {}, local);
    expect((await importSource(db, siteA, {}, local)).message).toBe(
      'already imported as source 1 (same SHA-256); use --force to import again',
    );
    expect((await importSource(db, siteA, { audience: 'app' }, local)).message).toBe(
      'already imported as source 1 (same SHA-256); to import it again, tick "Import again even ' +
        'if already in the case"',
    );
  });

  it('shared endpoints: the CLI names remove-source with the case path, the app the Remove… button', async () => {
    const casePath = path.join(ws.dir, 'plain.sscase');
    const db = openCase(casePath);
    try {
      await importSource(db, siteA, {}, local);
      const b = await importSource(db, siteB, {}, local);
      const head =
        '3 of its requests name no host, as do requests of a.log (source 1, 2 requests): their ' +
        'requests share endpoints (one GET / for every site, with one risk score and latency ' +
        'baseline); if they are from different sites, remove this source ';
      expect(importWarning(db, b)).toBe(
        head +
          `(\`sessionscope remove-source ${casePath} 2\`) and import it again with --assume-host ` +
          '<its host> (in the app: "Host for lines without one"); rotated logs of one site need nothing',
      );
      expect(importWarning(db, b, 'app')).toBe(
        head +
          "(the Remove… button of source 2 in the Overview's sources) and import it again with " +
          '"Host for lines without one" set to its host; rotated logs of one site need nothing',
      );
    } finally {
      db.close();
    }
  });
});
