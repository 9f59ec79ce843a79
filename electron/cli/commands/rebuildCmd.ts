import { readFileSync } from 'node:fs';
import { analysisSettingsSchema } from '../../../shared/analysis/settings.js';
import { rebuildWithSettings } from '../../analysis/settingsRebuild.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, str, UsageError, type Command } from '../command.js';

function loadSettingsFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
}

export const rebuildCommand: Command = {
  name: 'rebuild',
  usage: 'rebuild <case> [--settings file.json] [--json]',
  summary: 're-derive endpoints, sessions, flows and outliers (settings stored in the case)',
  options: { settings: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const settingsFile = str(args.values.settings);
    const settings = settingsFile
      ? analysisSettingsSchema.safeParse(loadSettingsFile(settingsFile))
      : undefined;
    if (settings && !settings.success) {
      const i = settings.error.issues[0]!;
      throw new UsageError(`settings ${i.path.map(String).join('.')}: ${i.message}`);
    }
    const db = openCase(args.positionals[0]!, { create: false });
    try {
      const t0 = performance.now();
      const showProgress = io.errIsTty && args.values.json !== true;
      // New settings and the rebuild are one transaction, so Ctrl-C (which ends the process
      // mid-transaction) leaves the case exactly as it was, settings included: SQLite discards
      // the uncommitted work when the case is next opened.
      // New verdict thresholds alone re-derive only the verdicts (settingsRebuild.ts).
      const r = rebuildWithSettings(db, settings?.success ? settings.data : undefined, {
        onStep: showProgress
          ? (name, i, total) => io.err(`\r[${i + 1}/${total}] ${name}\x1b[K`)
          : undefined,
      });
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
      return 0;
    } finally {
      db.close();
    }
  },
};
