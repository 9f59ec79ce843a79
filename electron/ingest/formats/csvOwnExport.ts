import { unNeutralizeCell } from '../../../shared/export/csvCells.js';
import { EXPORT_HEADER } from '../../../shared/export/exportColumns.js';
import { emptyRecord, type RequestRecord } from '../../../shared/model/requestRecord.js';
import { parseIsoTime } from '../../../shared/time/parseTime.js';
import { splitRecord } from './csvSplit.js';

/*
 * Sessionscope's own CSV export (shared/export/exportColumns.ts), read back exactly.
 *
 * The generic CSV mapping is made for foreign files: it trims cells, takes '-' for absent and
 * keeps a leading `'` (in a foreign CSV it is the data). An export is ours, so its header
 * row, in its documented order, is proof enough to read it by its own rules instead: a
 * formula-neutralizing `'` is dropped (unNeutralizeCell is the exporter's exact inverse), an
 * empty unquoted cell is null and `""` is '', the JSON columns become the stored objects
 * again, and nothing is trimmed. What the analysis found (and the original id, source and
 * line) is kept under `extra._export`, so it neither collides with the source's own extra
 * keys nor is lost. Only a CR right before a line break inside a quoted cell cannot come
 * back: the shared line reader ends lines at LF and drops that CR.
 */

/** The `extra` key holding the export's own columns (id, source, line, analysis results). */
export const EXPORT_EXTRA_KEY = '_export';

const COL = new Map(EXPORT_HEADER.map((h, i) => [h, i]));
const DELIM = ',';

/** True when the first record is exactly the export's header row. */
export function isOwnExportHeader(cells: readonly string[]): boolean {
  return cells.length === EXPORT_HEADER.length && cells.every((c, i) => c === EXPORT_HEADER[i]);
}

/**
 * RFC 4180 split that keeps an unquoted empty field (null) apart from a quoted one (''), as
 * the exporter writes them; null for malformed quoting (a bare quote included: the exporter
 * quotes every cell holding one).
 */
export function splitExportRecord(text: string): (string | null)[] | null {
  return splitRecord(text, DELIM, { emptyUnquoted: null, bareQuote: 'refuse' });
}

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** One export record as the request it came from, or a reject reason. */
export function ownExportRecord(text: string): RequestRecord | string {
  const cells = splitExportRecord(text);
  if (cells === null) return 'malformed quoting in a Sessionscope export row';
  if (cells.length !== EXPORT_HEADER.length) {
    return `Sessionscope export row has ${cells.length} cells, the header ${EXPORT_HEADER.length}`;
  }
  const textOf = (name: string): string | null => {
    const v = cells[COL.get(name)!]!;
    return v === null ? null : unNeutralizeCell(v);
  };
  const problems: string[] = [];
  const numberOf = (name: string): number | null => {
    const v = cells[COL.get(name)!]!;
    if (v === null) return null;
    if (!NUMBER.test(v)) {
      problems.push(`${name} is not a number`);
      return null;
    }
    return Number(v);
  };
  const jsonOf = <T>(name: string): T | null => {
    const v = textOf(name);
    if (v === null) return null;
    try {
      const parsed = JSON.parse(v) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as T;
    } catch {
      // reported below
    }
    problems.push(`${name} is not a JSON object`);
    return null;
  };

  const time = textOf('time');
  const tsUs = time === null ? null : parseIsoTime(time, 'UTC');
  if (tsUs === null) return `bad time in a Sessionscope export row: ${(time ?? '').slice(0, 40)}`;
  const rec = emptyRecord();
  rec.tsUs = tsUs;
  rec.ip = textOf('ip');
  rec.xff = textOf('xff');
  rec.method = textOf('method');
  rec.scheme = textOf('scheme');
  rec.host = textOf('host');
  rec.path = textOf('path');
  rec.query = textOf('query');
  rec.protocol = textOf('protocol');
  rec.status = numberOf('status');
  rec.latencyMs = numberOf('latency_ms');
  rec.reqBytes = numberOf('request_bytes');
  rec.respBytes = numberOf('response_bytes');
  rec.userAgent = textOf('user_agent');
  rec.referer = textOf('referer');
  rec.requestId = textOf('request_id');
  rec.srcSession = textOf('session');
  rec.srcUser = textOf('user');
  rec.srcRole = textOf('role');
  rec.srcLabel = textOf('label');
  rec.cookies = textOf('cookies');
  rec.headers = jsonOf<Record<string, string>>('headers');
  rec.reqBody = textOf('req_body');
  rec.respHeaders = jsonOf<Record<string, string>>('resp_headers');
  rec.respBody = textOf('resp_body');
  const extra = jsonOf<Record<string, unknown>>('extra') ?? {};
  if (problems.length > 0) return `Sessionscope export row: ${problems.join('; ')}`;

  const found: Record<string, string | number> = {};
  for (const name of [
    'id',
    'source',
    'line',
    'analysis_session',
    'analysis_user',
    'analysis_role',
    'endpoint_id',
    'flows',
    'attacks',
    'outlier',
  ]) {
    const v = name === 'id' || name === 'line' ? numberOf(name) : textOf(name);
    if (v !== null) found[name] = v;
  }
  if (problems.length > 0) return `Sessionscope export row: ${problems.join('; ')}`;
  if (Object.keys(found).length > 0) extra[EXPORT_EXTRA_KEY] = found;
  rec.extra = Object.keys(extra).length > 0 ? extra : null;
  return rec;
}
