import {
  dottedValue,
  formatIpAddress,
  parseIpAddress,
  type IpAddress,
  type IpGroups,
} from './ipAddress.js';

/**
 * CIDR ranges (203.0.113.0/24, 2001:db8::/32) for the IP filter. Addresses are compared as
 * 128-bit values (ipAddress.ts): an IPv4 range is its IPv4-mapped IPv6 range, so
 * 203.0.113.0/24 also holds ::ffff:203.0.113.7 as a dual-stack server logs it, and the IPv6
 * range ::ffff:0:0/96 holds every IPv4 address (::/0 holds every address).
 */

export interface IpRange {
  /** The range's one spelling (ipRangeText): what a filter keeps and shows. */
  text: string;
  family: 4 | 6;
  /** The network address's groups (host bits all zero). */
  groups: IpGroups;
  /** Prefix length as written: 0–32 for IPv4, 0–128 for IPv6. */
  prefix: number;
}

export type IpRangeProblem =
  /** Before the slash: not an IPv4 or IPv6 address (a %zone is not allowed in a range). */
  | { kind: 'address' }
  /** After the slash: not a whole number from 0 to `max`. */
  | { kind: 'prefix'; max: 32 | 128 }
  /** The address has bits set beyond the prefix; `network` is the range probably meant. */
  | { kind: 'hostBits'; network: string };

export type IpRangeResult = { ok: true; range: IpRange } | { ok: false; problem: IpRangeProblem };

/** True when an IP filter value is meant as a range: it has a slash (an address never does). */
export function isIpRangeText(value: string): boolean {
  return value.includes('/');
}

/** The prefix length over the 128-bit value. */
const bits128 = (r: { family: 4 | 6; prefix: number }): number =>
  r.family === 4 ? 96 + r.prefix : r.prefix;

/** `groups` with every bit past the first `bits` cleared. */
function masked(groups: IpGroups, bits: number): number[] {
  return groups.map((g, i) => {
    const keep = Math.min(Math.max(bits - 16 * i, 0), 16);
    return g & ((0xffff << (16 - keep)) & 0xffff);
  });
}

const rangeText = (a: IpAddress, prefix: number): string => `${formatIpAddress(a)}/${prefix}`;

/** Reads "address/prefix" strictly: a network address, no host bits set. */
export function parseIpRange(input: string): IpRangeResult {
  const s = input.trim();
  const slash = s.indexOf('/');
  const addr = parseIpAddress(slash < 0 ? s : s.slice(0, slash), { zone: false });
  if (slash < 0 || !addr) return { ok: false, problem: { kind: 'address' } };
  const max = addr.family === 4 ? 32 : 128;
  const digits = s.slice(slash + 1);
  const prefix = Number(digits);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(digits) || prefix > max) {
    return { ok: false, problem: { kind: 'prefix', max } };
  }
  const r = { family: addr.family, prefix };
  const network = masked(addr.groups, bits128(r));
  if (network.some((g, i) => g !== addr.groups[i])) {
    return {
      ok: false,
      problem: { kind: 'hostBits', network: rangeText({ ...addr, groups: network }, prefix) },
    };
  }
  return { ok: true, range: { ...r, groups: network, text: rangeText(addr, prefix) } };
}

/** The English reason a range is refused (the CLI and the shared schema say this). */
export function ipRangeProblemText(input: string, p: IpRangeProblem): string {
  switch (p.kind) {
    case 'address':
      return 'a range is an IPv4 or IPv6 network address, a slash and a prefix length, like 203.0.113.0/24 or 2001:db8::/32';
    case 'prefix':
      return `the prefix length of ${p.max === 32 ? 'an IPv4' : 'an IPv6'} range is a whole number from 0 to ${p.max}`;
    case 'hostBits':
      return `${input.trim()} has bits set past its prefix; the range is written ${p.network}`;
  }
}

/**
 * A test of addresses as ingest stored them (the text of a log's client address, an IPv6
 * %zone allowed) against any of `ranges`; a value that is not an address is in none.
 */
export function ipRangesMatcher(ranges: readonly IpRange[]): (value: string) => boolean {
  const tests = ranges.map((r) => {
    const bits = bits128(r);
    // Each group with the mask of the bits the prefix reaches in it (0: none).
    const masks = masked(Array<number>(8).fill(0xffff), bits);
    return { groups: r.groups, masks };
  });
  // The same tests on an IPv4 address (::ffff:a.b.c.d) as a 32-bit number: whether the range
  // holds the mapped prefix, then the mask and network of its last 32 bits.
  const v4 = tests
    .filter((t) => [0, 0, 0, 0, 0, 0xffff].every((g, i) => (g & t.masks[i]!) === t.groups[i]))
    .map((t) => ({
      mask: ((t.masks[6]! << 16) | t.masks[7]!) >>> 0,
      net: ((t.groups[6]! << 16) | t.groups[7]!) >>> 0,
    }));
  return (value) => {
    const s = value.trim();
    const dotted = dottedValue(s);
    if (dotted >= 0) return v4.some((t) => (dotted & t.mask) >>> 0 === t.net);
    const a = parseIpAddress(s, { zone: true });
    if (!a) return false;
    return tests.some((t) => t.masks.every((m, i) => (a.groups[i]! & m) === t.groups[i]));
  };
}
