import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentCase } from '../../shared/contract/caseApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { openCase, readCaseMeta, type CaseDb } from '../store/openCase.js';

export interface OpenedCase {
  path: string;
  db: CaseDb;
  isDemo: boolean;
}

export interface AppStateOptions {
  /** Where the recent-cases list (and the demo case) live. */
  userDataDir: string;
  /** The Electron-ABI better-sqlite3 binding, when running inside Electron. */
  nativeBinding?: string;
}

const RECENT_FILE = 'recent-cases.json';
const MAX_RECENT = 20;

// The file is ours, but it sits on disk where anything could have changed it.
const recentFileSchema = z.object({
  cases: z
    .array(z.object({ path: z.string(), openedAt: z.string(), uuid: z.string().optional() }))
    .max(1000),
});

/** The one open case of this backend and the list of recently opened ones. */
export class AppState {
  private current: OpenedCase | null = null;

  constructor(readonly options: AppStateOptions) {}

  get openCase(): OpenedCase | null {
    return this.current;
  }

  requireCase(): OpenedCase {
    if (!this.current) throw new AppError('NOT_FOUND', 'No case is open.');
    return this.current;
  }

  /** Opens `file` as the current case (closing the previous one) and remembers it. */
  open(file: string, opts: { create: boolean; isDemo?: boolean }): OpenedCase {
    const full = path.resolve(file);
    if (opts.create && existsSync(full)) {
      throw new AppError('BAD_INPUT', `${full} already exists; open it instead.`);
    }
    const db = openCase(full, {
      create: opts.create,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
    });
    this.close();
    this.current = { path: full, db, isDemo: opts.isDemo ?? false };
    if (!opts.isDemo) this.remember(full, readCaseMeta(db).uuid);
    return this.current;
  }

  close(): boolean {
    if (!this.current) return false;
    const { db } = this.current;
    this.current = null;
    if (db.open) db.close();
    return true;
  }

  recentCases(): RecentCase[] {
    return this.readRecent().map((r) => {
      const exists = existsSync(r.path);
      return {
        path: r.path,
        name: path.basename(r.path),
        openedAt: r.openedAt,
        exists,
        // Entries written before the list kept UUIDs are read from the file itself.
        uuid: exists ? (r.uuid ?? this.peekUuid(r.path)) : null,
      };
    });
  }

  /**
   * The UUID of the case in `file`, read without making it the open case (read-only, closed
   * again); null when it is not a case this version can read.
   */
  peekUuid(file: string): string | null {
    try {
      const db = openCase(file, {
        create: false,
        readonly: true,
        ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      });
      try {
        return readCaseMeta(db).uuid || null;
      } finally {
        db.close();
      }
    } catch {
      return null;
    }
  }

  private remember(file: string, uuid: string): void {
    const others = this.readRecent().filter((r) => r.path !== file);
    const cases = [{ path: file, openedAt: new Date().toISOString(), uuid }, ...others].slice(
      0,
      MAX_RECENT,
    );
    const target = path.join(this.options.userDataDir, RECENT_FILE);
    mkdirSync(this.options.userDataDir, { recursive: true });
    // Write then rename, so a crash mid-write never leaves a half list behind.
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ cases }, null, 2));
    renameSync(tmp, target);
  }

  private readRecent(): { path: string; openedAt: string; uuid?: string | undefined }[] {
    const file = path.join(this.options.userDataDir, RECENT_FILE);
    if (!existsSync(file)) return [];
    try {
      return recentFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).cases;
    } catch {
      return [];
    }
  }
}
