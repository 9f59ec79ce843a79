import { readFileSync } from 'node:fs';
import {
  analysisSettingsSchema,
  applySettingsChange,
  settingsIssueText,
  type AnalysisSettings,
} from '../../../shared/analysis/settings.js';
import { rebuildWithSettings } from '../../analysis/settingsRebuild.js';
import { readSettings } from '../../analysis/settingsRepo.js';
import { listRules } from '../../rules/rulesDb.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, str, UsageError, type Command } from '../command.js';
import { warnUnapplied } from './rulesCmd.js';

/**
 * A settings file: JSON naming the settings to change (checked with the schema itself, so an
 * unknown key is refused with the one probably meant, and every problem is listed).
 */
function loadSettingsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      `${file} must hold one JSON object of settings, such as {"inactivityTimeoutMin": 15}`,
    );
  }
  checkSettings(file, value);
  return value as Record<string, unknown>;
}

function checkSettings(file: string, value: unknown): AnalysisSettings {
  const parsed = analysisSettingsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  // Unknown keys first: a misspelt key is usually why a value is missing too.
  const issues = [...parsed.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  throw new UsageError(`${file}: ${issues.map((i) => settingsIssueText(i, value)).join('; ')}`);
}

export const rebuildCommand: Command = {
  name: 'rebuild',
  usage: 'rebuild <case> [--settings file.json] [--json]',
  summary: 're-derive endpoints, sessions, flows and outliers (settings stored in the case)',
  options: { settings: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const settingsFile = str(args.values.settings);
    const change = settingsFile !== undefined ? loadSettingsFile(settingsFile) : undefined;
    const db = openCase(args.positionals[0]!, { create: false });
    try {
      const t0 = performance.now();
      const showProgress = io.errIsTty && args.values.json !== true;
      // New settings and the rebuild are one transaction, so Ctrl-C (which ends the process
      // mid-transaction) leaves the case exactly as it was, settings included: SQLite discards
      // the uncommitted work when the case is next opened.
      // New verdict thresholds alone re-derive only the verdicts (settingsRebuild.ts).
      // The file changes the settings it names and keeps the rest, read in the same
      // transaction, so a change saved meanwhile elsewhere (the app) is not undone.
      const r = db.transaction(() =>
        rebuildWithSettings(
          db,
          change !== undefined
            ? checkSettings(settingsFile!, applySettingsChange(readSettings(db), change))
            : undefined,
          {
            onStep: showProgress
              ? (name, i, total) => io.err(`\r[${i + 1}/${total}] ${name}\x1b[K`)
              : undefined,
          },
        ),
      )();
      if (showProgress) io.err('\r\x1b[K');
      const ms = Math.round(performance.now() - t0);
      if (args.values.json) {
        printJson(io, {
          requests: r.requests,
          endpoints: r.endpoints,
          sessions: r.sessions,
          outliers: r.outliers,
        });
      } else {
        io.out(
          `${r.requests} requests → ${r.endpoints} endpoints, ${r.sessions} sessions, ${r.outliers} outliers (${ms} ms)`,
        );
      }
      warnUnapplied(io, listRules(db));
      return 0;
    } finally {
      db.close();
    }
  },
};
