import { exportCsv } from '../../export/exportCsv.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, str, UsageError, type Command } from '../command.js';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFromFlags } from '../filterFlags.js';

export const exportCommand: Command = {
  name: 'export',
  usage: `export <case> [--session ID | --endpoints] ${FILTER_USAGE} [--bom] --out file.csv [--json]`,
  summary:
    'writes the matching requests (of one session, or all), or the endpoint inventory, as a formula-safe CSV',
  options: {
    ...FILTER_OPTIONS,
    session: { type: 'string' },
    endpoints: { type: 'boolean' },
    bom: { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const filters = filtersFromFlags(args.values);
    const out = str(args.values.out);
    if (out === undefined || out === '') throw new UsageError('--out file.csv is required');
    const session = str(args.values.session);
    if (session !== undefined && !/^s[0-9a-f]{16}$/.test(session)) {
      throw new UsageError('--session must be a session id like s0123456789abcdef');
    }
    const endpoints = args.values.endpoints === true;
    if (endpoints && (session !== undefined || Object.keys(filters).length > 0)) {
      throw new UsageError('--endpoints exports every endpoint: no --session or filters with it');
    }
    const json = args.values.json === true;
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
    // Ctrl-C cancels: the export removes its temporary file instead of leaving half a CSV.
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    const showProgress = io.errIsTty && !json;
    try {
      const what = endpoints ? 'endpoints' : 'requests';
      const result = await exportCsv(db, out, {
        table: what,
        filters,
        sessionId: session,
        bom: args.values.bom === true,
        signal: controller.signal,
        onProgress: showProgress ? (p) => io.err(`\r${p.rows} ${what}\x1b[K`) : undefined,
      });
      if (showProgress) io.err('\r\x1b[K');
      if (json) printJson(io, result);
      else io.out(`${result.rows} ${what}, ${result.bytes} bytes → ${result.path}`);
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
      db.close();
    }
  },
};
