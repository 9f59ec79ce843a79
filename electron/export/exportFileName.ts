import { createHash } from 'node:crypto';
import path from 'node:path';
import type { EndpointFilters } from '../../shared/contract/analysisApi.js';
import { isEmptyFilter, type Filters } from '../../shared/query/filterModel.js';

/** What an export holds, as its call names it. */
export interface ExportWhat {
  table?: 'requests' | 'endpoints' | undefined;
  sessionId?: string | undefined;
  filters?: Filters | undefined;
  endpointFilters?: EndpointFilters | undefined;
}

/** Keys sorted at every level, undefined and empty lists left out: one text per filter set. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = canonical(v);
  }
  return out;
}

/** `f` and 8 hex digits of the SHA-256 of the filters' canonical JSON. */
export function filtersHash(filters: object): string {
  const json = JSON.stringify(canonical(filters));
  return `f${createHash('sha256').update(json).digest('hex').slice(0, 8)}`;
}

/** A filter's time (µs) as `20260312T092140Z` (UTC, to the second), or `start`/`end`. */
function compactTime(us: number | undefined, open: string): string {
  if (us === undefined) return open;
  const d = new Date(Math.floor(us / 1000));
  if (Number.isNaN(d.getTime())) return open;
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Reduced to [A-Za-z0-9._-]: nothing from a file name or a log can smuggle a quote or a path. */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * The name offered for an export (save dialog, Content-Disposition): the case's name, what is
 * exported (`requests`, `session-<id>`, `endpoints`), and, when filters narrow it, their time
 * range (UTC) and a short hash of all the filters, so two differently filtered exports never
 * share a name and the same export always gets the same one, e.g.
 * `inv1-requests-20260312T092140Z-end-f3a9c01d.csv`. No filter value (hostile log text) goes
 * into it.
 */
export function exportFileName(casePath: string, what: ExportWhat = {}): string {
  const base =
    safe(path.basename(casePath).replace(/\.sscase$/i, ''))
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'case';
  const parts = [base];
  if (what.table === 'endpoints') {
    parts.push('endpoints');
    const ef = what.endpointFilters ?? {};
    if (Object.keys(canonical(ef) as object).length > 0) parts.push(filtersHash(ef));
  } else {
    parts.push(what.sessionId !== undefined ? `session-${safe(what.sessionId)}` : 'requests');
    const f = what.filters ?? {};
    if (f.from !== undefined || f.to !== undefined)
      parts.push(`${compactTime(f.from, 'start')}-${compactTime(f.to, 'end')}`);
    const { from: _from, to: _to, ...rest } = f;
    if (!isEmptyFilter(rest)) parts.push(filtersHash(f));
  }
  return `${parts.join('-')}.csv`;
}
