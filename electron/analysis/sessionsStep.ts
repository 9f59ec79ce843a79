import { hostKey } from '../../shared/analysis/hostName.js';
import {
  SESSION_VALUE_COLUMNS,
  type SessionValueColumn,
} from '../store/migrations/011_session_values.js';
import { keyKindLabel, pickIssuedKey } from '../../shared/analysis/sessionKeys.js';
import { secretDigest, sessionId } from './hashIds.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';
import { keyParam, splitKey, type ScanResult } from './scanResult.js';
import { sharedArray } from './sharedArrays.js';

export interface SessionInfo {
  sid: string;
  /** The key its requests share (the scan's key id, after issued keys are linked). */
  keyId: number;
  keyKind: string;
  keyDisplay: string | null;
  firstUs: number;
  lastUs: number;
  count: number;
  ipCount: number;
  firstIp: string | null;
  userAgent: string | null;
  hosts: string[];
  user: string | null;
  role: string | null;
  flows: number;
  outlierCount: number;
  /** Where its values are in SessionResult.values (its index before sessions were ordered). */
  valuesAt: number;
}

/** A list of integers that grows in place (one per column, for every session's values). */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Per column, every session's distinct non-negative values of its requests' ip, role and user
 * ids and status codes, in order of first appearance (session_values, sessionValuesStep.ts):
 * session `valuesAt` k's are data[starts[k] .. starts[k + 1]). Flat, not four arrays per
 * session: a million sessions made 5M small arrays for the collector to walk.
 */
export class SessionValueLists {
  private readonly lists = new Map<SessionValueColumn, IntList>();
  private readonly starts = new Map<SessionValueColumn, IntList>();
  constructor(columns: readonly SessionValueColumn[]) {
    for (const c of columns) {
      this.lists.set(c, new IntList());
      this.starts.set(c, new IntList());
    }
  }
  /** Opens the next session's values (sessions in `valuesAt` order). */
  open(): void {
    for (const [c, list] of this.lists) this.starts.get(c)!.push(list.length);
  }
  add(c: SessionValueColumn, v: number): void {
    this.lists.get(c)!.push(v);
  }
  /** Session k's values of column c: a view, in place (sorting it sorts them here). */
  of(c: SessionValueColumn, k: number): Int32Array {
    const starts = this.starts.get(c)!;
    const list = this.lists.get(c)!;
    const end = k + 1 < starts.length ? starts.data[k + 1]! : list.length;
    return list.data.subarray(starts.data[k]!, end);
  }
}

export interface SessionResult {
  /** In stored order (first time, then sid); the stored id is index + 1. */
  list: SessionInfo[];
  /** request index → session index */
  of: Int32Array;
  /** Request indices in stored order: by session, each session in time order. */
  order: Int32Array;
  /** request index → its session's key (SessionInfo.keyId) */
  key: Int32Array;
  /**
   * Request indices by key, each key's in time order: keyed_facts' order, in which each
   * session is a contiguous run.
   */
  byKey: Int32Array;
  /** Each session's distinct values, by its valuesAt. */
  values: SessionValueLists;
}

const MAX_HOSTS = 20;

interface Split {
  /** Request indices, grouped by session, each session in time order. */
  members: Int32Array;
  /** Session k owns members[starts[k] .. starts[k + 1]). */
  starts: number[];
  of: Int32Array;
}

/**
 * Orders every request by (time, source file hash, line) — a total order that does not depend
 * on import order or rowids — then groups by session key (stable) and cuts each key's run where
 * the gap exceeds the inactivity timeout or the session would exceed its maximum length.
 */
function split(scan: ScanResult, key: Int32Array, timeoutUs: number, maxUs: number): Split {
  const n = scan.n;
  const shas = [...scan.sourceSha.entries()].sort((a, b) =>
    a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] - b[0],
  );
  const rank = new Map(shas.map(([id], i) => [id, i]));
  const srcRank = new Int32Array(n);
  for (let i = 0; i < n; i++) srcRank[i] = rank.get(scan.sourceId[i]!) ?? -1;
  const byTime = Array.from({ length: n }, (_, i) => i);
  const { ts, lineNo } = scan;
  byTime.sort((a, b) => ts[a]! - ts[b]! || srcRank[a]! - srcRank[b]! || lineNo[a]! - lineNo[b]!);

  const nKeys = scan.keys.size;
  const start = new Int32Array(nKeys + 1);
  for (let i = 0; i < n; i++) start[key[i]! + 1]!++;
  for (let k = 0; k < nKeys; k++) start[k + 1]! += start[k]!;
  const members = new Int32Array(n);
  const fill = start.slice(0, nKeys);
  for (const i of byTime) members[fill[key[i]!]!++] = i;

  const starts: number[] = [];
  const of = new Int32Array(n);
  let sessionStart = 0;
  let prev = 0;
  for (let j = 0; j < n; j++) {
    const i = members[j]!;
    const t = ts[i]!;
    const newKey = j === 0 || key[members[j - 1]!] !== key[i];
    if (newKey || t - prev > timeoutUs || t - sessionStart > maxUs) {
      starts.push(j);
      sessionStart = t;
    }
    prev = t;
    of[i] = starts.length - 1;
  }
  starts.push(n);
  return { members, starts, of };
}

/**
 * A key issued in a response (Set-Cookie, a login token) joins the requests before it — the
 * part of the issuing request's session up to and including it — to the session that presents
 * the key afterwards. A response that issued several keys (scan.issued holds them together, in
 * parameter order) is linked by the first one a request at or after it presents
 * (pickIssuedKey), else by the first.
 */
function linkIssued(scan: ScanResult, key: Int32Array, s: Split): boolean {
  const issued = scan.issued;
  // Per key, the time of the last request presenting it.
  const lastUs = new Float64Array(scan.keys.size).fill(-Infinity);
  for (let i = 0; i < scan.n; i++) {
    const k = key[i]!;
    if (scan.ts[i]! > lastUs[k]!) lastUs[k] = scan.ts[i]!;
  }
  let moved = false;
  for (let a = 0; a < issued.length;) {
    const index = issued[a]!.index;
    let b = a + 1;
    while (b < issued.length && issued[b]!.index === index) b++;
    const candidates: number[] = [];
    for (let c = a; c < b; c++) candidates.push(issued[c]!.key);
    a = b;
    const t = scan.ts[index]!;
    const target = pickIssuedKey(candidates, (k) => k === key[index] || lastUs[k]! >= t)!;
    if (key[index] === target) continue;
    const k = s.of[index]!;
    for (let j = s.starts[k]!; j < s.starts[k + 1]!; j++) {
      const i = s.members[j]!;
      key[i] = target;
      moved = true;
      if (i === index) break;
    }
  }
  return moved;
}

/** True when string id `id` was not yet met in session `k` (`mark`: per id, the last session). */
function firstInSession(mark: Int32Array, id: number, k: number): boolean {
  if (mark[id] === k) return false;
  mark[id] = k;
  return true;
}

/** Per number, the last session that met it: small numbers in an array, others in a Map. */
class SessionMarks {
  private readonly small = new Int32Array(1024).fill(-1);
  private readonly large = new Map<number, number>();
  /** True when `v` was not yet met in session `k` (which it now is). */
  mark(v: number, k: number): boolean {
    if (v < this.small.length) {
      if (this.small[v] === k) return false;
      this.small[v] = k;
      return true;
    }
    if (this.large.get(v) === k) return false;
    this.large.set(v, k);
    return true;
  }
}

export const sessionsStep: RebuildStep = {
  name: 'sessions',
  order: 50,
  run(ctx: RebuildContext) {
    const scan = need(ctx.scan, 'scan');
    const ep = need(ctx.endpoints, 'endpoints');
    const outliers = need(ctx.outliers, 'outliers');
    const timeoutUs = ctx.settings.inactivityTimeoutMin * 60e6;
    const maxUs = ctx.settings.maxSessionHours * 3600e6;
    const key = scan.key.slice();
    let s = split(scan, key, timeoutUs, maxUs);
    if (scan.issued.length > 0 && linkIssued(scan, key, s)) s = split(scan, key, timeoutUs, maxUs);

    const str = scan.strings;
    const ipMark = new Int32Array(str.size).fill(-1);
    const hostMark = new Int32Array(str.size).fill(-1);
    const userMark = new Int32Array(str.size).fill(-1);
    const roleMark = new Int32Array(str.size).fill(-1);
    const statusMark = new SessionMarks();
    const keyDisplay = new Map<number, string | null>();
    const kindOf = new Map<number, string>();
    const unsorted: SessionInfo[] = [];
    const values = new SessionValueLists(SESSION_VALUE_COLUMNS);
    // The columns read per request, held here (a million requests read them through `scan.`
    // and `ep.list[…].flows` a third slower).
    const { members } = s;
    const { ip: ipOf, status: statusOf, host: hostOf, ua: uaOf, user: userOf, role: roleOf } = scan;
    const endpointOf = ep.of;
    const endpointFlows = Int32Array.from(ep.list, (e) => e.flows);
    const outlierFlags = outliers.flags;
    for (let k = 0; k + 1 < s.starts.length; k++) {
      const from = s.starts[k]!;
      const to = s.starts[k + 1]!;
      const first = s.members[from]!;
      const keyText = scan.keys.values[key[first]!]!;
      const param = keyParam(keyText);
      const p = param >= 0 ? ctx.params[param] : undefined;
      // One label per parameter (one string, not one per session).
      let keyKind = kindOf.get(param);
      if (keyKind === undefined) kindOf.set(param, (keyKind = keyKindLabel(p)));
      let display = keyDisplay.get(key[first]!);
      if (display === undefined) {
        const { value } = splitKey(keyText);
        display = !p
          ? str.get(scan.ip[first]!)
          : p.secret
            ? scan.keysDigested
              ? value
              : secretDigest(ctx.salt, value)
            : value.slice(0, 500);
        keyDisplay.set(key[first]!, display);
      }
      const info: SessionInfo = {
        sid: sessionId(
          keyKind,
          scan.ts[first]!,
          scan.sourceSha.get(scan.sourceId[first]!) ?? '',
          scan.lineNo[first]!,
        ),
        keyId: key[first]!,
        keyKind,
        keyDisplay: display,
        firstUs: scan.ts[first]!,
        lastUs: scan.ts[s.members[to - 1]!]!,
        count: to - from,
        ipCount: 0,
        firstIp: str.get(scan.ip[first]!),
        userAgent: null,
        hosts: [],
        user: null,
        role: null,
        flows: 0,
        outlierCount: 0,
        valuesAt: k,
      };
      values.open();
      let lastUser = -1;
      let lastRole = -1;
      let flows = 0;
      let outlierCount = 0;
      for (let j = from; j < to; j++) {
        const i = members[j]!;
        const ip = ipOf[i]!;
        if (ip >= 0 && ipMark[ip] !== k) {
          ipMark[ip] = k;
          info.ipCount++;
          values.add('ip', ip);
        }
        const status = statusOf[i]!;
        if (status >= 0 && statusMark.mark(status, k)) values.add('status', status);
        const host = hostOf[i]!;
        if (hostMark[host] !== k) {
          hostMark[host] = k;
          // As its endpoints name it: one host whatever the case of its letters.
          const h = str.get(host);
          const name = h ? hostKey(h) : '';
          if (name && info.hosts.length < MAX_HOSTS && !info.hosts.includes(name))
            info.hosts.push(name);
        }
        if (info.userAgent === null && uaOf[i]! >= 0) info.userAgent = str.get(uaOf[i]!);
        // The last user and role seen are the session's; each distinct one is listed.
        const user = userOf[i]!;
        if (user >= 0) {
          lastUser = user;
          if (firstInSession(userMark, user, k)) values.add('user', user);
        }
        const role = roleOf[i]!;
        if (role >= 0) {
          lastRole = role;
          if (firstInSession(roleMark, role, k)) values.add('role', role);
        }
        flows |= endpointFlows[endpointOf[i]!]!;
        if (outlierFlags[i] !== 0) outlierCount++;
      }
      info.user = str.get(lastUser);
      info.role = str.get(lastRole);
      info.flows = flows;
      info.outlierCount = outlierCount;
      info.hosts.sort();
      unsorted.push(info);
    }
    // Stored order is a property of the data (time, then id), not of the key interning order.
    // Sorted on typed arrays: reading each session object's fields in the comparator cost a
    // million sessions twice as much.
    const firstUs = Float64Array.from(unsorted, (x) => x.firstUs);
    const sids = unsorted.map((x) => x.sid);
    const rankOf = Array.from({ length: unsorted.length }, (_, k) => k).sort(
      (a, b) => firstUs[a]! - firstUs[b]! || (sids[a]! < sids[b]! ? -1 : 1),
    );
    const newIndex = new Int32Array(unsorted.length);
    rankOf.forEach((k, r) => (newIndex[k] = r));
    const of = sharedArray(Int32Array, scan.n);
    for (let i = 0; i < scan.n; i++) of[i] = newIndex[s.of[i]!]!;
    const order = sharedArray(Int32Array, scan.n);
    let o = 0;
    for (const k of rankOf)
      for (let j = s.starts[k]!; j < s.starts[k + 1]!; j++) order[o++] = s.members[j]!;
    ctx.sessions = {
      list: rankOf.map((k) => unsorted[k]!),
      of,
      order,
      key,
      byKey: s.members,
      values,
    };
    ctx.stats.sessions = unsorted.length;
  },
};
