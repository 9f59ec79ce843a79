import { AppError } from '../../../shared/contract/errors.js';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { openCase } from '../../store/openCase.js';
import { removeSourceAudited, type RemovedSource } from '../../store/sourceRemoval.js';
import { caseCounts, listSources } from '../../store/sourcesRepo.js';
import { needPositionals, printJson, UsageError, type Command } from '../command.js';
import { terminalText } from '../terminalText.js';

export const removeSourceCommand: Command = {
  name: 'remove-source',
  usage: 'remove-source <case> <source-id> [--json]',
  summary: 'remove an imported source with its requests and rejects, then rebuild the analysis',
  options: { json: { type: 'boolean' } },
  maxPositionals: 2,
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const [casePath, idArg] = args.positionals as [string, string];
    const sourceId = Number(idArg);
    if (!/^\d+$/.test(idArg) || !Number.isSafeInteger(sourceId) || sourceId < 1) {
      throw new UsageError(
        `"${idArg}" is not a source id (a positive integer, the id of \`info\`)`,
      );
    }
    const json = args.values.json === true;
    const db = openCase(casePath, { create: false });
    try {
      let removed: RemovedSource;
      try {
        // The removal and its audit entry are one transaction.
        removed = removeSourceAudited(db, sourceId);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err;
        const ids = listSources(db).map((s) => s.id);
        const SHOWN = 10;
        const some = ids.slice(0, SHOWN).join(', ') + (ids.length > SHOWN ? ', …' : '');
        throw new AppError(
          'NOT_FOUND',
          `no source ${sourceId} in this case (${ids.length === 0 ? 'it has none' : `its sources: ${some}`}; see \`sessionscope info\`)`,
        );
      }
      // The rebuild is a transaction of its own: a crash or Ctrl-C during it leaves the source
      // removed and the old analysis, which the query commands then report as out of date.
      // A source none of whose lines became a request (the usual wrong --format) leaves the
      // analysis current: nothing to re-derive.
      if (!analysisIsCurrent(db)) {
        const showProgress = io.errIsTty && !json;
        rebuild(db, {
          onStep: showProgress
            ? (name, i, total) => io.err(`\r[${i + 1}/${total}] ${name}\x1b[K`)
            : undefined,
        });
        if (showProgress) io.err('\r\x1b[K');
      }
      const left = caseCounts(db).requests;
      if (json) {
        printJson(io, {
          removed: {
            sourceId: removed.sourceId,
            file: removed.file,
            sha256: removed.sha256,
            requests: removed.requests,
            rejects: removed.rejects,
          },
          requests: left,
        });
      } else {
        io.out(
          `removed source ${removed.sourceId} (${terminalText(removed.file)}): ${removed.requests} requests, ${removed.rejects} rejects; ${left} requests remain`,
        );
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
