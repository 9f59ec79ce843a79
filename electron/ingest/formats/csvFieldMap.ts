import { isIP } from 'node:net';
import { AppError, assertNever } from '../../../shared/contract/errors.js';
import {
  emptyRecord,
  fillTarget,
  type RequestRecord,
} from '../../../shared/model/requestRecord.js';
import { parseAnyTime, type TimeReading } from '../../../shared/time/parseTime.js';
import { applyRequestLine } from './requestLine.js';
import { csvTimeToUs } from './csvTime.js';

/**
 * The fields a CSV column can be mapped to (the values `--map column=field` accepts), with the
 * unit or shape each expects. Units are never guessed from values: a column's name decides.
 */
export const CSV_TARGETS = {
  timestamp: 'request time: ISO 8601, CLF ([dd/Mon/yyyy:HH:MM:SS zone]) or epoch s/ms/µs/ns',
  ip: 'client IP address',
  xff: 'X-Forwarded-For value',
  method: 'HTTP method',
  url: 'path, path?query, absolute URL, or a whole request line "GET /x HTTP/1.1"',
  host: 'Host header / virtual host',
  scheme: 'http or https',
  query: 'query string (a leading ? is dropped)',
  protocol: 'HTTP version, e.g. HTTP/1.1',
  status: 'HTTP status code',
  latency_ms: 'response time in milliseconds',
  latency_s: 'response time in seconds (nginx $request_time)',
  latency_us: 'response time in microseconds',
  resp_bytes: 'response size in bytes',
  req_bytes: 'request size in bytes',
  user_agent: 'User-Agent',
  referer: 'Referer',
  request_id: 'request / trace id',
  session: "the source's own session id",
  user: 'user name or id',
  role: 'user role',
  label: 'attack type or class label',
  cookie: 'raw Cookie header',
  extra: 'keep in extra only (turns off auto-mapping for the column)',
} as const;

export type CsvTarget = keyof typeof CSV_TARGETS;

const TARGET_NAMES = Object.keys(CSV_TARGETS) as CsvTarget[];

/**
 * Header names (normalized: lower case, no spaces, dashes, underscores, dots, parentheses, @)
 * that map to a target. Unit-less latency names (duration, latency, response_time) are taken
 * as milliseconds; request_time is seconds as in nginx. Earlier names win when two columns
 * claim the same target, so attack_type beats label.
 */
const SYNONYMS: Record<Exclude<CsvTarget, 'extra'>, readonly string[]> = {
  timestamp: [
    'timestamp',
    'datetime',
    'time',
    'date',
    'timelocal',
    'timeiso8601',
    'ts',
    'eventtime',
    'starttime',
    'starteddatetime',
  ],
  ip: [
    'ip',
    'clientip',
    'remoteaddr',
    'srcip',
    'sourceip',
    'remoteip',
    'clientaddress',
    'cip',
    'client',
  ],
  xff: ['xff', 'xforwardedfor', 'httpxforwardedfor', 'forwardedfor'],
  method: ['method', 'verb', 'httpmethod', 'requestmethod', 'csmethod'],
  url: [
    'url',
    'uri',
    'path',
    'request',
    'requesturi',
    'requesturl',
    'requestline',
    'csuristem',
    'endpoint',
  ],
  host: ['host', 'hostname', 'httphost', 'cshost', 'domain', 'vhost'],
  scheme: ['scheme', 'csprotocol'],
  query: ['query', 'querystring', 'csuriquery', 'args'],
  protocol: ['protocol', 'httpversion', 'csversion', 'serverprotocol'],
  status: ['status', 'statuscode', 'responsecode', 'scstatus', 'httpstatus', 'staus'],
  latency_ms: [
    'timems',
    'durationms',
    'latencyms',
    'responsetimems',
    'elapsedms',
    'timetaken',
    'duration',
    'latency',
    'responsetime',
    'elapsed',
  ],
  latency_s: ['requesttime', 'durations', 'latencys', 'upstreamresponsetime', 'timetakens'],
  latency_us: ['durationus', 'latencyus', 'timeus', 'durationmicros'],
  resp_bytes: [
    'size',
    'bytes',
    'bodybytessent',
    'bytessent',
    'responsesize',
    'responsebytes',
    'scbytes',
  ],
  req_bytes: ['reqbytes', 'requestsize', 'requestbytes', 'csbytes', 'bytesreceived'],
  user_agent: ['useragent', 'ua', 'httpuseragent', 'csuseragent'],
  referer: ['referer', 'referrer', 'httpreferer', 'csreferer'],
  request_id: ['requestid', 'xrequestid', 'reqid', 'correlationid', 'traceid'],
  session: ['session', 'sessionid', 'sid'],
  user: ['user', 'username', 'userid', 'remoteuser', 'csusername', 'login'],
  role: ['role', 'userrole'],
  label: ['attacktype', 'label', 'class'],
  cookie: ['cookie', 'cookies', 'cscookie', 'httpcookie'],
};

export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.()@]/g, '');
}

/** The target a header name maps to by itself, and that name's rank among its synonyms. */
function synonymTarget(header: string): { target: CsvTarget; rank: number } | null {
  const n = normalizeColumnName(header);
  for (const t of TARGET_NAMES) {
    if (t === 'extra') continue;
    const rank = SYNONYMS[t].indexOf(n);
    if (rank >= 0) return { target: t, rank };
  }
  return null;
}

export function parseTarget(name: string): CsvTarget {
  const n = name.trim().toLowerCase();
  if ((TARGET_NAMES as string[]).includes(n)) return n as CsvTarget;
  throw new AppError(
    'BAD_INPUT',
    `--map: unknown field "${name}". Valid fields: ${TARGET_NAMES.join(', ')}`,
  );
}

/** Checks every `--map` target name before any byte is read. */
export function validateMapTargets(map: Record<string, string> | undefined): void {
  for (const v of Object.values(map ?? {})) parseTarget(v);
}

// ---- content recognition, for files without a header row -------------------------------

const REQUEST_LINE = /^[A-Za-z][A-Za-z-]{1,19} \S+ HTTP\/\d(?:\.\d)?$/;
const METHOD = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND)$/i;
const URL_LIKE = /^(?:\/|https?:\/\/)\S*$/;
const STATUS = /^[1-5]\d\d$/;

type ContentKind = 'request' | 'timestamp' | 'ip' | 'method' | 'url' | 'status' | 'user_agent';

const KIND_TARGET: Record<ContentKind, CsvTarget> = {
  request: 'url',
  timestamp: 'timestamp',
  ip: 'ip',
  method: 'method',
  url: 'url',
  status: 'status',
  user_agent: 'user_agent',
};

const KIND_TESTS: readonly [ContentKind, (v: string) => boolean][] = [
  ['request', (v) => REQUEST_LINE.test(v)],
  ['timestamp', looksLikeTime],
  ['ip', (v) => isIP(v) !== 0],
  ['method', (v) => METHOD.test(v)],
  ['url', (v) => URL_LIKE.test(v)],
  ['status', (v) => STATUS.test(v)],
  ['user_agent', (v) => /^Mozilla\/\d|^curl\/|bot\b/i.test(v)],
];

function looksLikeTime(v: string): boolean {
  // Small numbers are counts or sizes, not epochs: only accept epochs after 2001.
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) >= 1e9 && parseAnyTime(v) !== null;
  return parseAnyTime(v) !== null;
}

/** The kind most of a column's non-empty values have (at least 60% of them), if any. */
function columnKind(values: string[]): ContentKind | null {
  const present = values.filter((v) => v !== '' && v !== '-');
  if (present.length === 0) return null;
  for (const [kind, test] of KIND_TESTS) {
    const hits = present.filter(test).length;
    if (hits / present.length >= 0.6) return kind;
  }
  return null;
}

function cellLooksLikeData(v: string): boolean {
  const t = v.trim();
  if (t === '') return false;
  return KIND_TESTS.some(([kind, test]) => kind !== 'user_agent' && test(t)) || /^\d/.test(t);
}

/** A first row is a header when none of it looks like data and it reads like names. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  const present = cells.map((c) => c.trim()).filter((c) => c !== '');
  if (present.length === 0) return false;
  if (present.some(cellLooksLikeData)) return false;
  if (present.some((c) => synonymTarget(c) !== null)) return true;
  return present.every((c) => /^[A-Za-z_@][\w .()@:-]{0,63}$/.test(c));
}

// ---- the plan ----------------------------------------------------------------------------

export type MappedBy = 'header' | 'content' | 'map';

export interface CsvColumn {
  index: number;
  /** Header text, or column_<index> for files without a header row. */
  name: string;
  /** The key used in `extra` when the column is not mapped (unique among columns). */
  extraKey: string;
  target: CsvTarget | null;
  mappedBy: MappedBy | null;
}

export interface CsvPlan {
  hasHeader: boolean;
  columns: CsvColumn[];
  /** Column indexes whose values, joined by a space, give the time (a date and a time column). */
  timeColumns: number[];
}

/**
 * Decides which column feeds which field, from the first rows of the file (header included when
 * there is one) and the user's `--map`. Throws BAD_INPUT for a --map naming an unknown column or
 * field; a plan may still lack a time column (see assertPlanHasTime).
 */
export function planCsvColumns(
  sampleRows: readonly (readonly string[])[],
  map: Record<string, string> | undefined,
): CsvPlan {
  validateMapTargets(map);
  const first = sampleRows[0] ?? [];
  const hasHeader = looksLikeHeader(first);
  const dataRows = hasHeader ? sampleRows.slice(1) : sampleRows;
  const width = Math.max(first.length, ...dataRows.map((r) => r.length));
  const columns: CsvColumn[] = [];
  const usedKeys = new Set<string>();
  for (let i = 0; i < width; i++) {
    const raw = hasHeader ? (first[i] ?? '').trim() : '';
    const name = raw !== '' ? raw : `column_${i}`;
    let key = name;
    for (let n = 2; usedKeys.has(key); n++) key = `${name}_${n}`;
    usedKeys.add(key);
    columns.push({ index: i, name, extraKey: key, target: null, mappedBy: null });
  }

  const claimed = new Map<CsvTarget, { col: number; rank: number }>();
  const claim = (t: CsvTarget, col: number, rank: number, by: MappedBy): void => {
    const prev = claimed.get(t);
    if (prev && prev.rank <= rank) return;
    if (prev) {
      columns[prev.col]!.target = null;
      columns[prev.col]!.mappedBy = null;
    }
    claimed.set(t, { col, rank });
    columns[col]!.target = t;
    columns[col]!.mappedBy = by;
  };

  const forced = resolveMap(map, columns);
  const timeCandidates: { col: number; rank: number }[] = [];
  for (const c of columns) {
    if (forced.has(c.index)) continue;
    if (hasHeader) {
      const s = synonymTarget(c.name);
      if (s?.target === 'timestamp') timeCandidates.push({ col: c.index, rank: s.rank });
      else if (s) claim(s.target, c.index, 100 + s.rank, 'header');
    } else {
      const kind = columnKind(dataRows.map((r) => (r[c.index] ?? '').trim()));
      if (kind) claim(KIND_TARGET[kind], c.index, 100 + c.index, 'content');
    }
  }
  for (const [col, t] of forced) {
    if (t === 'extra') {
      columns[col]!.mappedBy = 'map';
      continue;
    }
    claim(t, col, -1, 'map');
  }

  let timeColumns: number[];
  const claimedTime = claimed.get('timestamp')?.col;
  if (claimedTime !== undefined) {
    timeColumns = withTimeOfDay(columns, [claimedTime], dataRows, forced);
  } else {
    timeCandidates.sort((a, b) => a.rank - b.rank);
    timeColumns = chooseTimeColumns(
      columns,
      timeCandidates.map((t) => t.col),
      dataRows,
      forced,
    );
  }
  for (const i of timeColumns) {
    if (columns[i]!.mappedBy !== null) continue;
    columns[i]!.target = 'timestamp';
    columns[i]!.mappedBy = 'header';
  }
  return { hasHeader, columns, timeColumns };
}

/** Share of sample rows whose value (a date + time pair joined by a space) reads as a time. */
function timeScore(rows: readonly (readonly string[])[], cols: readonly number[]): number {
  let n = 0;
  let ok = 0;
  for (const r of rows) {
    const v = cols
      .map((i) => (r[i] ?? '').trim())
      .filter((x) => x !== '' && x !== '-')
      .join(' ');
    if (v === '') continue;
    n++;
    if (looksLikeTime(v)) ok++;
  }
  return n === 0 ? 0 : ok / n;
}

/**
 * Among the columns whose names say "time", the first whose values read as times (a column
 * called "time" may hold durations), or a date column with a separate time-of-day column.
 */
function chooseTimeColumns(
  columns: CsvColumn[],
  candidates: number[],
  rows: readonly (readonly string[])[],
  forced: Map<number, CsvTarget>,
): number[] {
  if (candidates.length === 0) return [];
  if (rows.length === 0) return withTimeOfDay(columns, [candidates[0]!], rows, forced);
  for (const c of candidates) {
    const pair = withTimeOfDay(columns, [c], rows, forced);
    if (pair.length === 2 || timeScore(rows, [c]) >= 0.6) return pair;
  }
  return [candidates[0]!];
}

/**
 * Every row of a plan without a time column would be rejected: refuse the import instead,
 * saying what to do where the message is read (the CLI's flag, the app's column table).
 */
export function assertPlanHasTime(plan: CsvPlan, audience: 'cli' | 'app' = 'cli'): void {
  if (plan.timeColumns.length > 0) return;
  const names = plan.columns.map((c) => (plan.hasHeader ? c.name : String(c.index))).join(', ');
  const found = names === '' ? ': no column was found in the file' : ` (columns: ${names})`;
  const todo =
    audience === 'app'
      ? 'In the column table, choose "timestamp" for the column that holds it.'
      : 'Use --map <column>=timestamp.';
  throw new AppError('BAD_INPUT', `No column gives the request time${found}. ${todo}`);
}

/** A "date" column beside a separate "time" column (IIS and spreadsheet exports): date first. */
function withTimeOfDay(
  columns: CsvColumn[],
  [col]: [number],
  rows: readonly (readonly string[])[],
  forced: Map<number, CsvTarget>,
): number[] {
  const own = normalizeColumnName(columns[col]!.name);
  const otherName = own === 'date' ? 'time' : own === 'time' ? 'date' : null;
  if (otherName === null) return [col];
  const other = columns.find(
    (x) =>
      !forced.has(x.index) &&
      (x.target === null || x.target === 'timestamp') &&
      normalizeColumnName(x.name) === otherName,
  );
  if (!other) return [col];
  const pair = own === 'date' ? [col, other.index] : [other.index, col];
  // Without rows to look at, a date and a time column beside each other are taken as a pair.
  if (rows.length === 0) return pair;
  return timeScore(rows, pair) >= 0.6 && timeScore(rows, [col]) < 0.6 ? pair : [col];
}

function resolveMap(
  map: Record<string, string> | undefined,
  columns: CsvColumn[],
): Map<number, CsvTarget> {
  const out = new Map<number, CsvTarget>();
  for (const [key, value] of Object.entries(map ?? {})) {
    const col = findColumn(key, columns);
    if (col === undefined) {
      throw new AppError(
        'BAD_INPUT',
        `--map: no column "${key}". Columns: ${columns
          .map((c) => `${c.index}=${c.name}`)
          .join(', ')}`,
      );
    }
    out.set(col, parseTarget(value));
  }
  return out;
}

function findColumn(key: string, columns: CsvColumn[]): number | undefined {
  const exact = columns.find((c) => c.name === key);
  if (exact) return exact.index;
  const n = normalizeColumnName(key);
  const loose = columns.find((c) => normalizeColumnName(c.name) === n);
  if (loose) return loose.index;
  if (/^\d+$/.test(key) && Number(key) < columns.length) return Number(key);
  return undefined;
}

// ---- applying the plan to one row ---------------------------------------------------------

/** Targets stored as text, as the cell holds it (see rowToRecord). */
const VERBATIM_TARGETS: ReadonlySet<CsvTarget> = new Set<CsvTarget>([
  'user_agent',
  'referer',
  'request_id',
  'session',
  'user',
  'role',
  'label',
  'cookie',
]);

/** '' and '-' mean "absent" in exports (and so does a cell of spaces around them). */
function present(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' || t === '-' ? null : t;
}

function num(v: string): number | null {
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** 1 to 15 ASCII digits as a number (read per cell: a loop, not a regex). */
function count(v: string): number | null {
  const n = v.length;
  if (n < 1 || n > 15) return null;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(v);
}

/** How the row being turned into a record had its time read (rowToRecord runs row by row). */
const reading: TimeReading = { zoneAssumed: false };

/**
 * Turns one row into a record, or a reject reason. A value a mapped field cannot hold (a status
 * of "abc") is kept in extra under its column name rather than dropped.
 */
export function rowToRecord(
  cells: readonly string[],
  plan: CsvPlan,
  tz: string,
): RequestRecord | string {
  const tc = plan.timeColumns;
  // One time column is the common case: its cell as is, without building arrays per row.
  const timeText =
    tc.length === 1
      ? (present(cells[tc[0]!]) ?? '')
      : tc
          .map((i) => present(cells[i]))
          .filter((v): v is string => v !== null)
          .join(' ');
  // As the mapping table names a column: its header, or `#i` in a file without one.
  const timeNames = (): string =>
    tc.map((i) => (plan.hasHeader ? (plan.columns[i]?.name ?? `#${i}`) : `#${i}`)).join('+');
  if (timeText === '') return `no timestamp (column ${timeNames()} is empty)`;
  const tsUs = csvTimeToUs(timeText, tz, reading);
  if (tsUs === null) return `bad timestamp in column ${timeNames()}: ${timeText.slice(0, 40)}`;
  const rec = emptyRecord();
  rec.tsUs = tsUs;
  if (reading.zoneAssumed) rec.zoneAssumed = true;
  // Made only when a cell goes to it: most rows of a mapped CSV have none.
  let extra: Record<string, unknown> | null = null;
  const keep = (key: string, v: string): void => {
    (extra ??= {})[key] = v;
  };
  // The url column goes first so that explicit method/host/query columns override its parts.
  const urlCol = plan.columns.find((c) => c.target === 'url');
  if (urlCol) {
    const v = present(cells[urlCol.index]);
    if (v !== null) applyUrl(rec, v);
  }
  for (let i = 0; i < cells.length; i++) {
    const col = plan.columns[i];
    const v = present(cells[i]);
    if (v === null) continue;
    // Text is evidence: a cell kept as text keeps its spaces, tabs and CRs (a leading tab or CR
    // can be what hides a formula). Only what is read as a number, time or name is trimmed.
    const text = cells[i]!;
    if (!col) {
      keep(`column_${i}`, text);
      continue;
    }
    if (col.target === null || col.target === 'extra') {
      keep(col.extraKey, text);
      continue;
    }
    if (!applyField(rec, col.target, VERBATIM_TARGETS.has(col.target) ? text : v)) {
      keep(col.extraKey, text);
    }
  }
  if (rec.extra) extra = Object.assign(extra ?? {}, rec.extra);
  rec.extra = extra !== null && Object.keys(extra).length > 0 ? extra : null;
  return rec;
}

function applyUrl(rec: RequestRecord, v: string): void {
  // "METHOD target..." is a request line; applyRequestLine keeps what it can't read in extra.
  if (/^[A-Za-z][A-Za-z0-9_-]{0,31} \S/.test(v)) {
    applyRequestLine(rec, v);
    return;
  }
  fillTarget(rec, v);
}

/** Stores one mapped value; false when the value does not fit the field. */
function applyField(rec: RequestRecord, target: CsvTarget, v: string): boolean {
  switch (target) {
    case 'timestamp':
    case 'url':
    case 'extra':
      return true; // handled before the loop
    case 'ip':
      rec.ip = v;
      return true;
    case 'xff':
      rec.xff = v;
      return true;
    case 'method':
      rec.method = v.toUpperCase();
      return true;
    case 'host':
      rec.host = v;
      return true;
    case 'scheme':
      rec.scheme = v.toLowerCase();
      return true;
    case 'query':
      rec.query = v.startsWith('?') ? v.slice(1) : v;
      return true;
    case 'protocol':
      rec.protocol = v;
      return true;
    case 'status': {
      const n = count(v);
      if (n === null || n > 999) return false;
      rec.status = n;
      return true;
    }
    case 'latency_ms':
    case 'latency_s':
    case 'latency_us': {
      const n = num(v);
      if (n === null || n < 0) return false;
      rec.latencyMs = target === 'latency_ms' ? n : target === 'latency_s' ? n * 1000 : n / 1000;
      return true;
    }
    case 'resp_bytes':
      rec.respBytes = count(v);
      return rec.respBytes !== null;
    case 'req_bytes':
      rec.reqBytes = count(v);
      return rec.reqBytes !== null;
    case 'user_agent':
      rec.userAgent = v;
      return true;
    case 'referer':
      rec.referer = v;
      return true;
    case 'request_id':
      rec.requestId = v;
      return true;
    case 'session':
      rec.srcSession = v;
      return true;
    case 'user':
      rec.srcUser = v;
      return true;
    case 'role':
      rec.srcRole = v;
      return true;
    case 'label':
      rec.srcLabel = v;
      return true;
    case 'cookie':
      rec.cookies = v;
      return true;
    default:
      return assertNever(target, 'CSV target');
  }
}
