import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCase, type CaseDb } from '../electron/store/openCase.js';

/** A temp folder with helpers to write input files and open fresh cases; call cleanup() after. */
export function tempWorkspace(prefix = 'ss-test-'): {
  dir: string;
  file(name: string, content: string | Buffer): string;
  openCase(name?: string): CaseDb;
  cleanup(): void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const opened: CaseDb[] = [];
  return {
    dir,
    file(name, content) {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    openCase(name = 'case.sscase') {
      const db = openCase(path.join(dir, name));
      opened.push(db);
      return db;
    },
    cleanup() {
      for (const db of opened) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
