import { afterAll, describe, expect, it } from 'vitest';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { openCase } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m025-');
afterAll(() => ws.cleanup());

describe('migration 25: paths whose $ref was not followed', () => {
  it('keeps the spec status rows and accepts the new reason', () => {
    const db = ws.openCase('old.sscase');
    db.prepare(
      `INSERT INTO endpoint_spec_status (eid, method, host, template, status, reason)
       VALUES ('e1', 'GET', '', '/x', 'shadow', 'not-found')`,
    ).run();
    asSchemaVersion(db, 24);
    const file = db.name;
    db.close();

    const migrated = openCase(file);
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(migrated.prepare('SELECT eid, status, reason FROM endpoint_spec_status').all()).toEqual([
      { eid: 'e1', status: 'shadow', reason: 'not-found' },
    ]);
    migrated
      .prepare(
        `INSERT INTO endpoint_spec_status (eid, method, host, template, status, reason)
         VALUES ('e2', 'GET', '', '/y', 'documented', 'unresolved-ref')`,
      )
      .run();
    expect(
      migrated
        .prepare("SELECT count(*) FROM pragma_table_info('specs') WHERE name = 'unresolved_paths'")
        .pluck()
        .get(),
    ).toBe(1);
    migrated.close();
  });
});
