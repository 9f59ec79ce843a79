import { randomBytes } from 'node:crypto';
import {
  analysisSettingsSchema,
  defaultSettings,
  type AnalysisSettings,
} from '../../shared/analysis/settings.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';

/** The case's analysis settings; defaults when none were ever stored. */
export function readSettings(db: CaseDb): AnalysisSettings {
  const row = db.prepare('SELECT settings FROM analysis_settings WHERE id = 1').get() as
    { settings: string } | undefined;
  if (!row) return defaultSettings();
  const parsed = analysisSettingsSchema.safeParse(JSON.parse(row.settings));
  // A stored value this version cannot read falls back to defaults rather than locking the case.
  return parsed.success ? parsed.data : defaultSettings();
}

/** Stores settings (already validated) and audits the change with before and after. */
export function writeSettings(db: CaseDb, settings: AnalysisSettings): boolean {
  const before = readSettings(db);
  if (JSON.stringify(before) === JSON.stringify(settings)) return false;
  db.prepare(
    `INSERT INTO analysis_settings (id, settings, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  ).run(JSON.stringify(settings), new Date().toISOString());
  audit(db, 'analysis.settings', { before, after: settings });
  return true;
}

/** Per-case salt for secret key hashes, created on first use. */
export function caseSalt(db: CaseDb): string {
  const row = db.prepare("SELECT value FROM analysis_state WHERE key = 'salt'").get() as
    { value: string } | undefined;
  if (row) return row.value;
  const salt = randomBytes(16).toString('hex');
  db.prepare("INSERT INTO analysis_state (key, value) VALUES ('salt', ?)").run(salt);
  return salt;
}

/**
 * analysis_state's key for when the last rebuild committed (ISO time, written in its
 * transaction): a change of it means another analysis (an export reads one: exportFacts.ts).
 */
export const REBUILT_AT_KEY = 'rebuilt_at';

export function readState(db: CaseDb, key: string): string | null {
  const row = db.prepare('SELECT value FROM analysis_state WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export function writeState(db: CaseDb, key: string, value: string): void {
  db.prepare(
    `INSERT INTO analysis_state (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(key, value);
}
