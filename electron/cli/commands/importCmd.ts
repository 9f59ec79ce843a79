import { AppError } from '../../../shared/contract/errors.js';
import {
  importSource,
  type ImportedSource,
  type ImportOptions,
} from '../../ingest/importSource.js';
import { rebuild } from '../../analysis/rebuild.js';
import { openCase, readCaseMeta } from '../../store/openCase.js';
import { caseCounts } from '../../store/sourcesRepo.js';
import { needPositionals, printJson, str, strList, UsageError, type Command } from '../command.js';
import { createProgressBar } from '../progressBar.js';

export function parseMap(items: string[]): Record<string, string> | undefined {
  if (items.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const item of items) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0 || eq === item.length - 1) {
      throw new UsageError(`--map expects column=field, got "${item}"`);
    }
    map[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return map;
}

export const importCommand: Command = {
  name: 'import',
  usage:
    'import <case> <file...> [--format F] [--log-format S] [--map col=field] [--tz Z] [--force] [--json]',
  summary: 'import log files into a case (created when absent)',
  options: {
    format: { type: 'string' },
    'log-format': { type: 'string' },
    map: { type: 'string', multiple: true },
    tz: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const [casePath, ...files] = args.positionals as [string, ...string[]];
    const opts: ImportOptions = {
      format: str(args.values.format),
      logFormat: str(args.values['log-format']),
      map: parseMap(strList(args.values.map)),
      tz: str(args.values.tz),
      force: args.values.force === true,
    };
    if (opts.logFormat && !opts.format) opts.format = 'nginx';
    const json = args.values.json === true;
    const db = openCase(casePath);
    const results: ImportedSource[] = [];
    let failed: AppError | null = null;
    try {
      for (const file of files) {
        const bar = io.errIsTty && !json ? createProgressBar(io.err) : null;
        const controller = new AbortController();
        const onSigint = (): void => controller.abort();
        process.once('SIGINT', onSigint);
        try {
          const r = await importSource(db, file, opts, {
            onProgress: bar ? (p) => bar.update(p) : undefined,
            signal: controller.signal,
          });
          results.push(r);
          bar?.done();
          if (!json) {
            io.err(
              r.status === 'skipped'
                ? `${file}: skipped, ${r.message}`
                : `${file}: ${r.format}, ${r.lines} lines, ${r.accepted} accepted, ${r.rejected} rejected`,
            );
          }
        } catch (err) {
          bar?.done();
          if (err instanceof AppError) {
            failed = err;
            break;
          }
          throw err;
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      }
      // New requests change every derived table: re-derive before reporting.
      if (results.some((r) => r.status === 'complete')) rebuild(db);
      const meta = readCaseMeta(db);
      const counts = caseCounts(db);
      if (json) {
        printJson(io, {
          case: { path: casePath, uuid: meta.uuid },
          sources: results.map((r) => ({
            file: r.file,
            sha256: r.sha256,
            format: r.format,
            lines: r.lines,
            accepted: r.accepted,
            rejected: r.rejected,
            status: r.status,
          })),
          requests: counts.requests,
          ...(failed ? { error: { code: failed.code, message: failed.message } } : {}),
        });
      }
    } finally {
      db.close();
    }
    if (failed) throw failed;
    return 0;
  },
};
