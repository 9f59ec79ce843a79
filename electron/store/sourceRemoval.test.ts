import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from '../ingest/importSource.js';
import { listAudit } from './auditLog.js';
import type { CaseDb } from './openCase.js';
import { removeSourceAudited } from './sourceRemoval.js';
import { caseCounts } from './sourcesRepo.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

const LINE = (ip: string): string =>
  `${ip} - - [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 512 "-" "Firefox"`;

beforeEach(async () => {
  ws = tempWorkspace('ss-source-removal-');
  db = ws.openCase();
  for (const [name, ip] of [
    ['a.log', '10.0.0.1'],
    ['b.log', '10.0.0.2'],
  ] as const) {
    await importSource(db, ws.file(name, `${LINE(ip)}\n${LINE(ip)}\nnot a request\n`), {
      format: 'combined',
    });
  }
});
afterEach(() => ws.cleanup());

describe('removeSourceAudited', () => {
  it('removes the source with its requests and rejects, and audits it', () => {
    const removed = removeSourceAudited(db, 2);
    expect(removed).toEqual({
      sourceId: 2,
      file: `${ws.dir}/b.log`,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      requests: 2,
      rejects: 1,
    });
    expect(caseCounts(db)).toEqual({ requests: 2, sources: 1, rejects: 1 });
    expect(listAudit(db).at(-1)).toMatchObject({
      action: 'source.remove',
      details: {
        sourceId: 2,
        file: removed.file,
        sha256: removed.sha256,
        accepted: 2,
        rejected: 1,
      },
    });
  });

  it('refuses an unknown id (NOT_FOUND) and writes nothing', () => {
    const trail = listAudit(db);
    let thrown: unknown;
    try {
      removeSourceAudited(db, 9);
    } catch (err) {
      thrown = err;
    }
    expect(thrown instanceof AppError && thrown.code).toBe('NOT_FOUND');
    expect(listAudit(db)).toEqual(trail);
  });

  it('keeps the source when its audit entry cannot be written: one transaction', () => {
    db.exec(
      "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => removeSourceAudited(db, 1)).toThrow('disk full');
    db.exec('DROP TRIGGER no_audit');
    expect(caseCounts(db)).toEqual({ requests: 4, sources: 2, rejects: 2 });
  });
});
