import { exportCsv } from '../../export/exportCsv.js';
import { openAnalysisCase } from '../analysisCase.js';
import { needPositionals, printJson, str, UsageError, type Command } from '../command.js';
import { ENDPOINT_FILTER_OPTIONS, endpointFiltersFromFlags } from '../endpointFlags.js';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFromFlags } from '../filterFlags.js';

/** The request filters an endpoint inventory cannot take (it shares --text and --flow). */
const REQUEST_ONLY_FLAGS = Object.keys(FILTER_OPTIONS).filter(
  (f) => !(f in ENDPOINT_FILTER_OPTIONS),
);

export const exportCommand: Command = {
  name: 'export',
  usage: `export <case> [--session ID | --endpoints [--risk L] [--spec S]] ${FILTER_USAGE} [--bom] --out file.csv [--json]`,
  summary:
    'writes the matching requests (of one session, or all), or the endpoint inventory (filtered by --text, --risk, --spec, --flow), as a formula-safe CSV',
  options: {
    ...FILTER_OPTIONS,
    ...ENDPOINT_FILTER_OPTIONS,
    session: { type: 'string' },
    endpoints: { type: 'boolean' },
    bom: { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const endpoints = args.values.endpoints === true;
    if (endpoints) {
      const misplaced = REQUEST_ONLY_FLAGS.filter((f) => args.values[f] !== undefined);
      if (args.values.session !== undefined) misplaced.unshift('session');
      if (misplaced.length > 0) {
        throw new UsageError(
          `--endpoints exports the endpoint inventory: --${misplaced[0]} filters requests ` +
            '(the inventory takes --text, --risk, --spec and --flow)',
        );
      }
    } else {
      for (const f of ['risk', 'spec']) {
        if (args.values[f] !== undefined) {
          throw new UsageError(`--${f} filters the endpoint inventory: use it with --endpoints`);
        }
      }
    }
    const filters = endpoints ? {} : filtersFromFlags(args.values);
    const endpointFilters = endpoints ? endpointFiltersFromFlags(args.values) : undefined;
    const out = str(args.values.out);
    if (out === undefined || out === '') throw new UsageError('--out file.csv is required');
    const session = str(args.values.session);
    if (session !== undefined && !/^s[0-9a-f]{16}$/.test(session)) {
      throw new UsageError('--session must be a session id like s0123456789abcdef');
    }
    const json = args.values.json === true;
    const db = openAnalysisCase(args.positionals[0]!, io, { attackTypes: filters.attackTypes });
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
        endpointFilters,
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
