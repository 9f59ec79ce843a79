import { ipAddressKey, type IpAddressKey } from '../../shared/query/ipAddress.js';
import { ipRangesMatcher, type IpRange } from '../../shared/query/ipRange.js';
import { auditGeneration } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';

/** The case's client addresses split by a test: their fact_values ids, each list ascending. */
export interface IpIdsSplit {
  matched: number[];
  others: number[];
}

/** The case's distinct client addresses (ids ascending), as read after one audit entry. */
interface Kept {
  generation: number;
  ids: number[];
  values: string[];
  /** Positions in ids/values by address key (ipAddressKey), built when first asked. */
  byAddress?: Map<number | string, number[]>;
}

const kept = new WeakMap<CaseDb, Kept>();

/**
 * Each distinct address a session holds (value_sessions: one row per address, not per
 * request; every request has a session) with its fact_values id, read once per state of the
 * case: the read is most of a range's cost (20k addresses: about 8 ms, the test 2 ms).
 */
function addressesOf(db: CaseDb): Kept {
  // Addresses read after the same audit entry are the same addresses under the same ids.
  const g = auditGeneration(db);
  let k = kept.get(db);
  if (k !== undefined && k.generation === g) return k;
  const rows = db
    .prepare(
      // In the primary key's order (v.value is the id): no sort.
      `SELECT v.value, fv.value FROM value_sessions v JOIN fact_values fv ON fv.id = v.value
       WHERE v.col = 'ip' ORDER BY v.value`,
    )
    .raw(true)
    .all() as [number, string][];
  k = { generation: g, ids: rows.map((r) => r[0]), values: rows.map((r) => r[1]) };
  kept.set(db, k);
  return k;
}

/** The case's addresses by key, so each spelling of one address is found at once. */
function byAddress(k: Kept): Map<number | string, number[]> {
  if (k.byAddress !== undefined) return k.byAddress;
  const map = new Map<number | string, number[]>();
  k.values.forEach((value, i) => {
    const a = ipAddressKey(value);
    if (a === null) return;
    const at = map.get(a.key);
    if (at === undefined) map.set(a.key, [i]);
    else at.push(i);
  });
  k.byAddress = map;
  return map;
}

/** Where a stored value is the address `want` (the same %zone too, when `want` names one). */
function positionsOf(k: Kept, want: IpAddressKey): number[] {
  const at = byAddress(k).get(want.key) ?? [];
  return want.zone === null ? at : at.filter((i) => ipAddressKey(k.values[i]!)?.zone === want.zone);
}

/**
 * The fact_values ids of the case's client addresses that are one of `addresses` in any
 * spelling (ipAddressKey: `2001:db8::5` finds `2001:DB8:0::5`), ascending. The key index is
 * built once per state of the case, so after the first filter each address is one lookup.
 */
export function addressIds(db: CaseDb, addresses: readonly IpAddressKey[]): number[] {
  const k = addressesOf(db);
  const at = new Set(addresses.flatMap((a) => positionsOf(k, a)));
  return [...at].sort((x, y) => x - y).map((i) => k.ids[i]!);
}

/**
 * The fact_values ids of the case's client addresses that are one of `exact` (as stored, or
 * in any spelling when it is an address) or fall in one of `ranges`, and of the others. SQL has no address type and the text does not
 * sort a range together ('10.0.0.10' sorts before '10.0.0.9', '::ffff:10.0.0.1' and
 * '2001:DB8::1' elsewhere), so each address is tested here, by its value
 * (shared/query/ipRange.ts). A stored value that is not an address is in no range.
 */
export function splitIpIds(
  db: CaseDb,
  exact: readonly string[],
  ranges: readonly IpRange[],
): IpIdsSplit {
  const inRange = ipRangesMatcher(ranges);
  const named = new Set(exact);
  const k = addressesOf(db);
  const spelled = new Set<number>();
  for (const e of exact) {
    const a = ipAddressKey(e);
    if (a !== null) for (const i of positionsOf(k, a)) spelled.add(i);
  }
  const out: IpIdsSplit = { matched: [], others: [] };
  k.values.forEach((value, i) => {
    const hit = spelled.has(i) || named.has(value) || inRange(value);
    (hit ? out.matched : out.others).push(k.ids[i]!);
  });
  return out;
}
