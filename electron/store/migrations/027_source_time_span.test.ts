import { afterAll, describe, expect, it } from 'vitest';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { listSources } from '../sourcesRepo.js';
import { openCase } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m027-');
afterAll(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;

describe('migration 27: the time span of each source', () => {
  it('gives a source imported before its requests’ earliest and latest time', () => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'a.log', [
      { tsUs: T0 + 5e6, ip: '192.0.2.1', path: '/a' },
      { tsUs: T0, ip: '192.0.2.1', path: '/b' },
      { tsUs: T0 + 9e6, ip: '192.0.2.1', path: '/c' },
    ]);
    seedSource(db, 'b.log', [{ tsUs: T0 + 86_400e6, ip: '192.0.2.2', path: '/d' }]);
    // A source with no request (every line rejected).
    db.prepare(
      `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
         imported_at, lines_read, accepted, rejected, status)
       VALUES ('c.log', 'c.log', 1, 'cc', 'combined', '{}', '2024-01-02T00:00:00Z', 1, 0, 1,
         'complete')`,
    ).run();
    asSchemaVersion(db, 26);
    const file = db.name;
    db.close();
    const after = openCase(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listSources(after).map((s) => [s.fileName, s.firstUs, s.lastUs])).toEqual([
      ['a.log', T0, T0 + 9e6],
      ['b.log', T0 + 86_400e6, T0 + 86_400e6],
      ['c.log', null, null],
    ]);
    after.close();
  });
});
