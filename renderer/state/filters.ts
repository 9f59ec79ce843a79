import { FLOWS } from '../../shared/analysis/flowRules';
import { filtersSchema, type Filters } from '../../shared/query/filterModel';
import { VERDICT_LEVELS } from '../../shared/verdicts/types';
import type { MessageKey } from '../i18n/en';
import type { ZoneMode } from '../i18n/format';

/** The list-valued filter fields, i.e. those that take several values and show one chip each. */
export const LIST_FIELDS = [
  'ips',
  'users',
  'roles',
  'flows',
  'attackTypes',
  'tags',
  'verdicts',
  'statuses',
  'methods',
  'hosts',
  'endpoints',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const SCALAR_FIELDS = [
  'from',
  'to',
  'text',
  'requestId',
  'sessionId',
  'outliersOnly',
] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];
export type FilterField = ListField | ScalarField;

export const FIELD_LABEL: Record<FilterField, MessageKey> = {
  ips: 'filter.field.ip',
  users: 'filter.field.user',
  roles: 'filter.field.role',
  flows: 'filter.field.flow',
  attackTypes: 'filter.field.attack',
  tags: 'filter.field.tag',
  verdicts: 'filter.field.verdict',
  statuses: 'filter.field.status',
  methods: 'filter.field.method',
  hosts: 'filter.field.host',
  endpoints: 'filter.field.endpoint',
  from: 'filter.field.from',
  to: 'filter.field.to',
  text: 'filter.field.text',
  requestId: 'filter.field.requestId',
  sessionId: 'filter.field.session',
  outliersOnly: 'filter.field.outlier',
};

/** Fields a person types a value for in "Add filter" (endpoints and sessions come from clicks). */
export const ADDABLE_FIELDS: readonly FilterField[] = [
  'ips',
  'users',
  'roles',
  'flows',
  'attackTypes',
  'tags',
  'verdicts',
  'statuses',
  'methods',
  'hosts',
  'requestId',
  'from',
  'to',
  'outliersOnly',
];

/** Fields whose choice alone is the filter: "Add filter" sets them to true, no value typed. */
export const FLAG_FIELDS: readonly FilterField[] = ['outliersOnly'];

export const FLOW_CHOICES = FLOWS;
export const VERDICT_CHOICES = VERDICT_LEVELS;

export interface ChipSpec {
  key: string;
  field: FilterField;
  /** The raw value; the bar formats times and endpoint ids for display. */
  value: string | number | boolean;
  remove: (f: Filters) => Filters;
}

function without<T extends object>(f: T, key: keyof T): T {
  const copy = { ...f };
  delete copy[key];
  return copy;
}

/** One chip per filter value, each knowing how to remove itself. */
export function filterChips(f: Filters): ChipSpec[] {
  const chips: ChipSpec[] = [];
  for (const field of LIST_FIELDS) {
    const values = (f[field] ?? []) as readonly string[];
    for (const value of values) {
      chips.push({
        key: `${field}:${value}`,
        field,
        value,
        remove: (cur) => {
          const rest = ((cur[field] ?? []) as readonly string[]).filter((v) => v !== value);
          return rest.length > 0 ? { ...cur, [field]: rest } : without(cur, field);
        },
      });
    }
  }
  for (const field of SCALAR_FIELDS) {
    const value = f[field];
    if (value === undefined || value === false) continue;
    chips.push({ key: field, field, value, remove: (cur) => without(cur, field) });
  }
  return chips;
}

/**
 * Adds one value to a filter, validated by the shared schema (so a chip can never hold what
 * the backend would refuse). Returns the error message instead when the value is not valid.
 */
export function addFilterValue(
  f: Filters,
  field: FilterField,
  value: string | number | boolean,
): { ok: true; filters: Filters } | { ok: false; message: string } {
  let next: Record<string, unknown>;
  if ((LIST_FIELDS as readonly string[]).includes(field)) {
    const cur = (f[field as ListField] ?? []) as readonly unknown[];
    next = { ...f, [field]: cur.includes(value) ? cur : [...cur, value] };
  } else {
    next = { ...f, [field]: value };
  }
  const parsed = filtersSchema.safeParse(next);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  }
  // The schema normalises ('get' → 'GET', '4XX' → '4xx'), so duplicates show only after it.
  const out: Record<string, unknown> = { ...parsed.data };
  for (const f of LIST_FIELDS) {
    const v = out[f];
    if (Array.isArray(v)) out[f] = [...new Set(v)];
  }
  return { ok: true, filters: out as Filters };
}

/** "Show only X": replaces the field's values with just this one. */
export function showOnly(
  f: Filters,
  field: FilterField,
  value: string | number | boolean,
): Filters {
  const cleared = (LIST_FIELDS as readonly string[]).includes(field) ? without(f, field) : f;
  const r = addFilterValue(cleared, field, value);
  return r.ok ? r.filters : f;
}

/** Validates filters read from a link or storage; anything invalid becomes "no filter". */
export function parseFilters(raw: unknown): Filters {
  const parsed = filtersSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

/** Calendar fields as typed: month 1-12, a day the month has, 00:00:00-23:59:59. */
function isRealDateTime(y: number, mo: number, d: number, h: number, mi: number, se: number) {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return false;
  // Day 0 of the next month is this month's last day (leap years included).
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const TYPED_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
/** The calendar fields at the start of any typed time, zoned or not. */
const CALENDAR = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;
const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A time typed by the investigator, as µs UTC, or why it is refused: `format` (not a time we
 * read) or `impossible` (the calendar has no such day or time, e.g. 2026-02-30: Date would
 * quietly roll it over into March).
 */
export function readUserTime(
  input: string,
  zone: ZoneMode,
): { ok: true; us: number } | { ok: false; reason: 'format' | 'impossible' } {
  const s = input.trim();
  const fields = CALENDAR.exec(s);
  if (fields) {
    const [y, mo, d, h, mi, se] = fields.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)));
    if (!isRealDateTime(y!, mo!, d!, h!, mi!, se!)) return { ok: false, reason: 'impossible' };
  }
  if (ZONED.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? { ok: false, reason: 'format' } : { ok: true, us: ms * 1000 };
  }
  const m = TYPED_TIME.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)));
  const frac = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const ms =
    zone === 'UTC'
      ? Date.UTC(y!, mo! - 1, d!, h!, mi!, se!, frac)
      : new Date(y!, mo! - 1, d!, h!, mi!, se!, frac).getTime();
  return Number.isNaN(ms) ? { ok: false, reason: 'format' } : { ok: true, us: ms * 1000 };
}

/**
 * Reads a time typed by the investigator: ISO with a zone as given, or "YYYY-MM-DD[ HH:mm[:ss]]"
 * in the zone the UI currently shows (so what they read is what they type). Returns µs UTC, or
 * null when it is not a time or not one the calendar has.
 */
export function parseUserTime(input: string, zone: ZoneMode): number | null {
  const r = readUserTime(input, zone);
  return r.ok ? r.us : null;
}

export function filtersKey(f: Filters): string {
  return JSON.stringify(f, Object.keys(f).sort());
}
