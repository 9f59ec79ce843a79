import { afterAll, describe, expect, it } from 'vitest';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importSource } from '../../ingest/importSource.js';
import { openCase } from '../openCase.js';
import { listSources } from '../sourcesRepo.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m023-');
afterAll(() => ws.cleanup());

const line = (s: number): string =>
  `203.0.113.7 - - [10/Oct/2024:13:55:${String(s).padStart(2, '0')}] "GET / HTTP/1.1" 200 5 "-" "ua"`;

describe('migration 23: sources count the lines read in the assumed zone', () => {
  it('gives a source of an older case an unknown count (null), and counts the sources imported after', async () => {
    const db = ws.openCase('old.sscase');
    await importSource(db, ws.file('a.log', `${line(1)}\n${line(2)}\n`), {}, { workerFile: false });
    // As version 22 left it: no column, so nothing was counted.
    asSchemaVersion(db, 22);
    expect(
      db
        .prepare("SELECT count(*) FROM pragma_table_info('sources') WHERE name = 'without_offset'")
        .pluck()
        .get(),
    ).toBe(0);
    const file = db.name;
    db.close();

    const migrated = openCase(file);
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listSources(migrated).map((s) => [s.fileName, s.withoutOffset])).toEqual([
      ['a.log', null],
    ]);
    await importSource(migrated, ws.file('b.log', `${line(3)}\n`), {}, { workerFile: false });
    expect(listSources(migrated).map((s) => [s.fileName, s.withoutOffset])).toEqual([
      ['a.log', null],
      ['b.log', 1],
    ]);
    migrated.close();

    // `info --json` says the same: null where not counted.
    const info = JSON.parse((await cli('info', file, '--json')).out) as {
      sources: { withoutOffset: number | null; tz: string }[];
    };
    expect(info.sources.map((s) => [s.tz, s.withoutOffset])).toEqual([
      ['UTC', null],
      ['UTC', 1],
    ]);
  });
});
