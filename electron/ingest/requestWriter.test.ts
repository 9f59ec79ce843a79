import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from './importSource.js';

const LINE = (i: number, path: string): string =>
  `10.0.0.${i} - - [10/Oct/2024:13:55:0${i} +0000] "GET ${path} HTTP/1.1" 200 ${i} "-" "ua"`;

describe('RequestWriter', () => {
  it('fails the import when the case stores fewer rows than it was given (never "accepted")', async () => {
    const ws = tempWorkspace('ss-writer-');
    try {
      const db = ws.openCase();
      // As a crafted case's trigger did (the open refuses those now: schemaTrust.ts): rows
      // dropped without an error, the import reporting every line accepted.
      db.exec(`CREATE TRIGGER zz_drop BEFORE INSERT ON requests WHEN NEW.path LIKE '/wp-admin%'
        BEGIN SELECT RAISE(IGNORE); END`);
      const log = ws.file(
        'a.log',
        [LINE(1, '/a'), LINE(2, '/wp-admin/x'), LINE(3, '/b')].join('\n') + '\n',
      );
      const err = await importSource(db, log).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/The case stored 2 of the 3 requests it was given/);
      expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(0);
      expect(
        db.prepare("SELECT count(*) FROM sources WHERE status = 'complete'").pluck().get(),
      ).toBe(0);

      db.exec(`DROP TRIGGER zz_drop;
        CREATE TRIGGER zz_drop_rejects BEFORE INSERT ON rejects BEGIN SELECT RAISE(IGNORE); END`);
      const bad = ws.file('b.log', `${LINE(4, '/c')}\nnot a request\n`);
      await expect(importSource(db, bad)).rejects.toThrow(
        /stored 0 of the 1 rejected line it was given/,
      );
    } finally {
      ws.cleanup();
    }
  });
});
