import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors.js';
import { ASSUMED_HOST_RULE, normalizeAssumedHost } from '../../../shared/model/hostName.js';
import {
  importSource,
  type ImportedSource,
  type ImportOptions,
} from '../../ingest/importSource.js';
import { importWarning } from '../../ingest/importWarnings.js';
import { formatById } from '../../ingest/formats/index.js';
import { rebuild } from '../../analysis/rebuild.js';
import { openCase, readCaseMeta } from '../../store/openCase.js';
import { caseCounts } from '../../store/sourcesRepo.js';
import { needPositionals, printJson, str, strList, UsageError, type Command } from '../command.js';
import { createProgressBar } from '../progressBar.js';
import { terminalText } from '../terminalText.js';
import { sourceSpanJson } from '../sourceSpanJson.js';

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

/**
 * --assume-host, lower case; refused before the case is opened (or created), as the host a
 * whole batch of files is said to be of. Not --host: that filters requests elsewhere.
 */
function assumeHostOption(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  const host = normalizeAssumedHost(given);
  if (host === null) throw new UsageError(`--assume-host "${given}": ${ASSUMED_HOST_RULE}`);
  return host;
}

/** A file that could not be imported, with why. */
interface Failed {
  file: string;
  error: AppError;
}

function isFailed(o: ImportedSource | Failed): o is Failed {
  return 'error' in o;
}

export const importCommand: Command = {
  name: 'import',
  usage:
    'import <case> <file...> [--format F] [--log-format S] [--map col=field] [--tz Z] [--assume-host H] [--force] [--json]',
  summary: 'import log files into a case (created when absent)',
  options: {
    format: { type: 'string' },
    'log-format': { type: 'string' },
    map: { type: 'string', multiple: true },
    tz: { type: 'string' },
    'assume-host': { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  maxPositionals: Number.POSITIVE_INFINITY,
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const [casePath, ...files] = args.positionals as [string, ...string[]];
    const opts: ImportOptions = {
      format: str(args.values.format),
      logFormat: str(args.values['log-format']),
      map: parseMap(strList(args.values.map)),
      tz: str(args.values.tz),
      assumeHost: assumeHostOption(str(args.values['assume-host'])),
      force: args.values.force === true,
    };
    if (opts.logFormat && !opts.format) opts.format = 'nginx';
    // An unknown --format is refused before the case is opened, and so before any file of the
    // batch could be skipped as already imported.
    if (opts.format) formatById(opts.format);
    const json = args.values.json === true;
    const created = !existsSync(casePath);
    const db = openCase(casePath);
    // Each file's outcome, in the order given: imported (or skipped), or failed. A failed file
    // does not stop the batch; a cancel does.
    const outcomes: (ImportedSource | Failed)[] = [];
    let cancelled: AppError | null = null;
    let keepCase = true;
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
          outcomes.push(r);
          bar?.done();
          if (!json) {
            // File names (this one's, other sources' in a warning) printed with their control
            // characters visible: a name can carry ESC sequences as well as a log line can.
            io.err(
              terminalText(
                r.status === 'skipped'
                  ? `${file}: skipped, ${r.message}`
                  : `${file}: ${r.format}, ${r.lines} lines, ${r.accepted} accepted, ${r.rejected} rejected`,
              ),
            );
            // A skipped file's warning repeats its message, printed just above.
            const warning = r.status === 'skipped' ? null : importWarning(db, r);
            if (warning !== null) io.err(terminalText(`${file}: warning: ${warning}`));
          }
        } catch (err) {
          bar?.done();
          if (!(err instanceof AppError)) throw err;
          if (err.code === 'CANCELLED') {
            cancelled = err;
            break;
          }
          outcomes.push({ file, error: err });
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      }
      // New requests change every derived table: re-derive before reporting.
      if (outcomes.some((o) => !isFailed(o) && o.status === 'complete')) rebuild(db);
      const firstError = cancelled ?? outcomes.find(isFailed)?.error ?? null;
      const meta = readCaseMeta(db);
      const counts = caseCounts(db);
      if (json) {
        printJson(io, {
          case: { path: casePath, uuid: meta.uuid },
          // In the order the files were given.
          sources: outcomes.map((o) =>
            isFailed(o)
              ? {
                  file: path.basename(o.file),
                  sourceId: null,
                  sha256: null,
                  format: null,
                  lines: 0,
                  accepted: 0,
                  rejected: 0,
                  status: 'failed',
                  message: null,
                  withoutHost: 0,
                  hostlessPeers: [],
                  withoutOffset: 0,
                  ...sourceSpanJson(null, null),
                  warning: null,
                  error: { code: o.error.code, message: o.error.message },
                }
              : {
                  file: o.file,
                  // The source's id in the case; for a skipped file, the source it duplicates.
                  sourceId: o.sourceId,
                  sha256: o.sha256,
                  // For a skipped file, the earlier source's format (its own counts are 0).
                  format: o.format,
                  lines: o.lines,
                  accepted: o.accepted,
                  rejected: o.rejected,
                  status: o.status,
                  // Why a file was skipped (and how to import it again); null otherwise.
                  message: o.message ?? null,
                  // Requests naming no host, and the case's other sources with such requests
                  // (which share endpoints with these: see the warning).
                  withoutHost: o.withoutHost,
                  hostlessPeers: o.hostlessPeers,
                  // Requests whose time had no offset of its own: read in the assumed zone.
                  withoutOffset: o.withoutOffset,
                  // Its accepted requests' earliest and latest time (null when skipped).
                  ...sourceSpanJson(o.firstUs, o.lastUs),
                  warning: importWarning(db, o),
                },
          ),
          requests: counts.requests,
          ...(firstError ? { error: { code: firstError.code, message: firstError.message } } : {}),
        });
      }
      // A case this command created and put nothing in is not left behind.
      keepCase = !created || outcomes.some((o) => !isFailed(o));
    } finally {
      db.close();
      if (!keepCase)
        for (const f of [casePath, `${casePath}-wal`, `${casePath}-shm`])
          rmSync(f, { force: true });
    }
    if (cancelled) throw cancelled;
    const failures = outcomes.filter(isFailed);
    if (failures.length === 1) throw failures[0]!.error;
    if (failures.length > 1) {
      throw new AppError(
        failures[0]!.error.code,
        `${failures.length} of ${files.length} files not imported: ${failures.map((f) => f.error.message).join('; ')}`,
      );
    }
    return 0;
  },
};
