import { isIpv4, isIpv6 } from '../../shared/model/hostName';
import { isIpRangeText, parseIpRange } from '../../shared/query/ipRange';
import type { Filters } from '../../shared/query/filterModel';
import type { I18n } from '../i18n/I18nContext';
import {
  FIELD_LABEL,
  FLAG_FIELDS,
  addFilterValue,
  readUserTime,
  type FilterField,
} from '../state/filters';

/**
 * Checks on what the investigator types in "Add filter" that the shared schema leaves open
 * (links and the CLI keep accepting what they did): values that could only ever select nothing.
 */

/**
 * A fully qualified host name (labels and a top-level label with a letter): logs written with
 * host name lookups (Apache's HostnameLookups) keep one where the client address goes, and
 * ingest stores that field as it is.
 */
const HOST_NAME =
  /^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}\.?$/;

/**
 * True for a single IPv4 or IPv6 address, or a host name as a log may hold in its place. The
 * backend matches such a value exactly against the values ingest stored, so anything else
 * (other than a CIDR range, ipRangeError) would only ever match nothing: the filter bar refuses
 * it instead of showing "0 sessions".
 */
export function isIpAddress(input: string): boolean {
  const s = input.trim();
  return isIpv4(s) || (s.includes(':') && isIpv6(s)) || HOST_NAME.test(s);
}

/**
 * Why a typed IP range (it has a slash) is refused, in the UI's language, or null when it is a
 * range the backend takes (shared/query/ipRange.ts says which).
 */
export function ipRangeError(typed: string, t: I18n['t']): string | null {
  const r = parseIpRange(typed);
  if (r.ok) return null;
  const p = r.problem;
  switch (p.kind) {
    case 'address':
      return t('filter.error.ipRange');
    case 'prefix':
      return t('filter.error.ipPrefix', { max: p.max });
    case 'hostBits':
      return t('filter.error.ipHostBits', { value: typed.trim(), network: p.network });
  }
}

/** Why filters with a From and a To select nothing (To is exclusive), or null when they can. */
export function timeRangeError(f: Filters): 'after' | 'same' | null {
  if (f.from === undefined || f.to === undefined) return null;
  if (f.from > f.to) return 'after';
  return f.from === f.to ? 'same' : null;
}

/**
 * Adds what the investigator typed (or, for a flag field, just chose) for one field: times are
 * read in the zone the UI shows, IPs must be addresses, a From/To pair must leave a range, and
 * the shared schema has the last word. The refusal is a message for the bar, as text.
 */
export function addTypedFilter(
  filters: Filters,
  field: FilterField,
  typed: string,
  i18n: Pick<I18n, 't' | 'fmt'>,
): { ok: true; filters: Filters } | { ok: false; message: string } {
  const { t, fmt } = i18n;
  const fail = (why: string) => ({
    ok: false as const,
    message: `${t(FIELD_LABEL[field])}: ${why}`,
  });
  const raw = typed.trim();
  let value: string | number | boolean = raw;
  if (FLAG_FIELDS.includes(field)) {
    value = true;
  } else if (field === 'from' || field === 'to') {
    const time = readUserTime(raw, fmt.zone);
    if (!time.ok) {
      return fail(
        time.reason === 'impossible'
          ? t('filter.error.noSuchDate', { value: raw })
          : `YYYY-MM-DD HH:mm:ss (${fmt.zoneName})`,
      );
    }
    value = time.us;
  } else if (field === 'ips' && isIpRangeText(raw)) {
    const why = ipRangeError(raw, t);
    if (why !== null) return fail(why);
  } else if (field === 'ips' && !isIpAddress(raw)) {
    return fail(t('filter.error.ip'));
  }
  const r = addFilterValue(filters, field, value);
  if (!r.ok) return fail(r.message);
  if (field === 'from' || field === 'to') {
    const range = timeRangeError(r.filters);
    if (range === 'after') return { ok: false, message: t('filter.error.fromAfterTo') };
    if (range === 'same') return { ok: false, message: t('filter.error.fromIsTo') };
  }
  return r;
}
