import { flowsOfMask } from '../analysis/flowRules.js';
import { jsonCell, type CsvValue } from './csvCells.js';

/**
 * The columns of a request CSV export, in their documented order, with the header row.
 *
 * Header names are chosen so that Sessionscope's own CSV importer maps them back by itself
 * (electron/ingest/formats/csvFieldMap.ts): `time`, `path`, `request_bytes`, `response_bytes`,
 * `session`, `user`, `role`, `label` and `cookies` are its synonyms for the source's fields.
 * Columns the importer has no field for (id, source, line, headers, bodies, extra, and what the
 * analysis found) land in the re-imported request's `extra` under their header name, so nothing
 * is lost. The analysis results carry an `analysis_`/`endpoint_id` name on purpose: called
 * `session` or `endpoint` they would be taken for the source's own session id or the URL.
 */

/** One request as the export query reads it (snake_case: the SQL column aliases). */
export interface ExportRow {
  id: number;
  ts_us: number;
  source: string;
  line_no: number;
  ip: string | null;
  xff: string | null;
  method: string | null;
  scheme: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
  protocol: string | null;
  status: number | null;
  latency_ms: number | null;
  req_bytes: number | null;
  resp_bytes: number | null;
  user_agent: string | null;
  referer: string | null;
  request_id: string | null;
  src_session: string | null;
  src_user: string | null;
  src_role: string | null;
  src_label: string | null;
  cookies: string | null;
  headers: string | null;
  req_body: string | null;
  resp_headers: string | null;
  resp_body: string | null;
  extra: string | null;
  /** What the analysis found; null when the request has no facts (analysis not rebuilt). */
  session_sid: string | null;
  fact_user: string | null;
  fact_role: string | null;
  endpoint_eid: string | null;
  flows: number | null;
  /** Distinct attack types, already joined by ';' in the query. */
  attacks: string | null;
  outlier: number | null;
}

type Cell = CsvValue;

/** The second exportTime wrote last, and its text up to the seconds (exports go in time order). */
let lastSecond = NaN;
let lastSecondText = '';

/**
 * Time as ISO 8601 with an explicit offset (stored times are UTC): milliseconds always,
 * microseconds when the source had them, so a re-import gives the same instant.
 */
export function exportTime(tsUs: number): string {
  const ms = Math.floor(tsUs / 1000);
  const micro = tsUs - ms * 1000;
  const second = Math.floor(ms / 1000);
  // Requests of one second share its text: a Date made and printed per second, not per row
  // (toISOString always ends in .mmmZ, whatever the year's width).
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondText = new Date(second * 1000).toISOString().slice(0, -5);
  }
  const milli = String(ms - second * 1000).padStart(3, '0');
  return `${lastSecondText}.${milli}${micro === 0 ? '' : String(micro).padStart(3, '0')}+00:00`;
}

const flowTexts = new Map<number, string>();

/** The flows of a mask as `Auth;Billing`; masks repeat on every row, so each is joined once. */
function flowsText(mask: number): string {
  let text = flowTexts.get(mask);
  if (text === undefined) {
    text = flowsOfMask(mask).join(';');
    flowTexts.set(mask, text);
  }
  return text;
}

/** Bit 1 latency, bit 2 response size (electron/analysis/outliersStep.ts). */
function outlierText(bits: number | null): string | null {
  if (bits === null) return null;
  const kinds = [bits & 1 ? 'latency' : '', bits & 2 ? 'size' : ''].filter((k) => k !== '');
  return kinds.join(';');
}

export const EXPORT_COLUMNS: readonly { header: string; cell: (r: ExportRow) => Cell }[] = [
  { header: 'id', cell: (r) => r.id },
  { header: 'time', cell: (r) => exportTime(r.ts_us) },
  { header: 'source', cell: (r) => r.source },
  { header: 'line', cell: (r) => r.line_no },
  { header: 'ip', cell: (r) => r.ip },
  { header: 'xff', cell: (r) => r.xff },
  { header: 'method', cell: (r) => r.method },
  { header: 'scheme', cell: (r) => r.scheme },
  { header: 'host', cell: (r) => r.host },
  { header: 'path', cell: (r) => r.path },
  { header: 'query', cell: (r) => r.query },
  { header: 'protocol', cell: (r) => r.protocol },
  { header: 'status', cell: (r) => r.status },
  { header: 'latency_ms', cell: (r) => r.latency_ms },
  { header: 'request_bytes', cell: (r) => r.req_bytes },
  { header: 'response_bytes', cell: (r) => r.resp_bytes },
  { header: 'user_agent', cell: (r) => r.user_agent },
  { header: 'referer', cell: (r) => r.referer },
  { header: 'request_id', cell: (r) => r.request_id },
  { header: 'session', cell: (r) => r.src_session },
  { header: 'user', cell: (r) => r.src_user },
  { header: 'role', cell: (r) => r.src_role },
  { header: 'label', cell: (r) => r.src_label },
  { header: 'analysis_session', cell: (r) => r.session_sid },
  { header: 'analysis_user', cell: (r) => r.fact_user },
  { header: 'analysis_role', cell: (r) => r.fact_role },
  { header: 'endpoint_id', cell: (r) => r.endpoint_eid },
  { header: 'flows', cell: (r) => (r.flows === null ? null : flowsText(r.flows)) },
  { header: 'attacks', cell: (r) => r.attacks },
  { header: 'outlier', cell: (r) => outlierText(r.outlier) },
  { header: 'cookies', cell: (r) => r.cookies },
  { header: 'headers', cell: (r) => jsonCell(r.headers) },
  { header: 'req_body', cell: (r) => r.req_body },
  { header: 'resp_headers', cell: (r) => jsonCell(r.resp_headers) },
  { header: 'resp_body', cell: (r) => r.resp_body },
  { header: 'extra', cell: (r) => jsonCell(r.extra) },
];

export const EXPORT_HEADER: readonly string[] = EXPORT_COLUMNS.map((c) => c.header);

export function exportCells(r: ExportRow): Cell[] {
  return EXPORT_COLUMNS.map((c) => c.cell(r));
}
