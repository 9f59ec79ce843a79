import { openCase, readCaseMeta } from '../../store/openCase.js';
import { caseCounts, listSources } from '../../store/sourcesRepo.js';
import { needPositionals, printJson, table, type Command } from '../command.js';
import { sourceSpanJson } from '../sourceSpanJson.js';

export const infoCommand: Command = {
  name: 'info',
  usage: 'info <case> [--json]',
  summary: 'case identity, counts and sources with their hashes',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
    try {
      const meta = readCaseMeta(db);
      const counts = caseCounts(db);
      const sources = listSources(db);
      if (args.values.json) {
        printJson(io, {
          case: meta,
          counts,
          sources: sources.map((s) => ({
            id: s.id,
            file: s.pathGiven,
            sha256: s.sha256,
            size: s.sizeBytes,
            format: s.format,
            tz: s.tzAssumption,
            // Lines read in that zone (their time had no offset); null: not counted (older case).
            withoutOffset: s.withoutOffset,
            // Its earliest and latest request's time; null when it has none.
            ...sourceSpanJson(s.firstUs, s.lastUs),
            assumedHost: s.assumedHost,
            importedAt: s.importedAt,
            lines: s.linesRead,
            accepted: s.accepted,
            rejected: s.rejected,
            status: s.status,
          })),
        });
        return 0;
      }
      io.out(`case ${meta.uuid} (created ${meta.createdAt} by Sessionscope ${meta.toolVersion})`);
      io.out(`${counts.requests} requests, ${counts.sources} sources, ${counts.rejects} rejects\n`);
      io.out(
        table(
          sources.map((s) => {
            // The same ISO times as the JSON's firstSeen and lastSeen.
            const span = sourceSpanJson(s.firstUs, s.lastUs);
            return [
              s.id,
              s.fileName,
              s.format,
              s.linesRead,
              s.accepted,
              s.rejected,
              span.firstSeen ?? '-',
              span.lastSeen ?? '-',
              s.status,
              s.sha256,
            ];
          }),
          [
            'id',
            'file',
            'format',
            'lines',
            'accepted',
            'rejected',
            'first',
            'last',
            'status',
            'sha256',
          ],
        ),
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
