/**
 * IP addresses as 128-bit values (eight 16-bit groups), so that one comparison serves IPv4
 * and IPv6: an IPv4 address is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d, RFC 4291
 * §2.5.5.2), which is also what a dual-stack server logs for an IPv4 client. Only the plain
 * notations are read (dotted decimal, RFC 4291 text forms); inet_aton's short, octal and hex
 * IPv4 spellings ("10.1", "0x7f.1") are not addresses here.
 */

/** Eight 16-bit groups, most significant first. */
export type IpGroups = readonly number[];

export interface IpAddress {
  /** 4 when written as dotted decimal, else 6 (an IPv4-mapped IPv6 address stays 6). */
  family: 4 | 6;
  groups: IpGroups;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** The two 16-bit groups of a dotted-decimal IPv4 address, or null. */
function dottedGroups(s: string): [number, number] | null {
  const m = DOTTED.exec(s);
  if (!m) return null;
  const b = [m[1], m[2], m[3], m[4]].map(Number);
  if (b.some((x) => x > 255)) return null;
  return [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
}

/**
 * A dotted-decimal IPv4 address as an unsigned 32-bit number, or -1: what parseIpAddress reads
 * as family 4, without its regular expression and arrays (a range is tested against every
 * distinct address of a case, most of them IPv4).
 */
export function dottedValue(s: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  return dots === 3 && digits > 0 ? value * 256 + part : -1;
}

/** The groups of an IPv6 address without a zone, or null. */
function ipv6Groups(s: string): number[] | null {
  let body = s;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.includes('.', lastColon)) {
    const v4 = dottedGroups(body.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    // "::1.2.3.4" keeps its "::"; "a:b::c:1.2.3.4" leaves "a:b::c:".
    body = body.slice(0, lastColon + 1);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const read = (h: string): number[] | null => {
    if (h === '') return [];
    const parts = h.split(':');
    if (!parts.every((p) => HEX_GROUP.test(p))) return null;
    return parts.map((p) => parseInt(p, 16));
  };
  const head = read(halves[0]!);
  const rest = halves.length === 2 ? read(halves[1]!) : [];
  if (!head || !rest) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    // "::" stands for at least one zero group.
    if (given > 7) return null;
    return [...head, ...Array<number>(8 - given).fill(0), ...rest, ...tail];
  }
  return given === 8 ? [...head, ...tail] : null;
}

/**
 * The address `text` writes, or null when it is not one. `zone`: whether an IPv6 %zone
 * (fe80::1%eth0) may follow; it is left out of the value (a log keeps it, a range has none).
 */
export function parseIpAddress(text: string, opts: { zone: boolean }): IpAddress | null {
  const v4 = dottedGroups(text);
  if (v4) return { family: 4, groups: [0, 0, 0, 0, 0, 0xffff, v4[0], v4[1]] };
  if (!text.includes(':')) return null;
  const zone = text.indexOf('%');
  if (zone >= 0 && (!opts.zone || !/^%[\w.-]+$/.test(text.slice(zone)))) return null;
  const groups = ipv6Groups(zone >= 0 ? text.slice(0, zone) : text);
  return groups ? { family: 6, groups } : null;
}

/** An address as one key for all its spellings, and the %zone its text names (else null). */
export interface IpAddressKey {
  /** An IPv4 address (dotted or IPv4-mapped): its 32-bit value; any other: its eight groups. */
  key: number | string;
  zone: string | null;
}

/**
 * The address `text` writes (a log's client address, an IP filter value) as a key every
 * spelling of it shares: `2001:DB8:0::5`, `2001:db8::5` and `2001:0db8:0:0:0:0:0:5` have
 * one key, and so do `10.0.4.8` and `::ffff:10.0.4.8` (a /32 or /128 range holds them all).
 * The %zone is kept apart. Null when the text is no address (a host name, `unknown`).
 */
export function ipAddressKey(text: string): IpAddressKey | null {
  const s = text.trim();
  // Most of a case's addresses: no regular expression, no arrays, no string built.
  const d = dottedValue(s);
  if (d >= 0) return { key: d, zone: null };
  const a = parseIpAddress(s, { zone: true });
  if (!a) return null;
  const at = s.indexOf('%');
  const g = a.groups;
  return {
    key: isIpv4Mapped(g) ? g[6]! * 0x10000 + g[7]! : g.map((x) => x.toString(16)).join(':'),
    zone: at < 0 ? null : s.slice(at + 1),
  };
}

/** True for ::ffff:0:0/96, where IPv4 addresses are held. */
export function isIpv4Mapped(groups: IpGroups): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** Dotted decimal of the last two groups. */
function dotted(groups: IpGroups): string {
  const [a, b] = [groups[6]!, groups[7]!];
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}

/**
 * The address in its one canonical spelling: dotted decimal for IPv4; RFC 5952 for IPv6
 * (lower case, no leading zeros, the longest run of two or more zero groups as "::", the first
 * of equal runs), an IPv4-mapped one as ::ffff:a.b.c.d.
 */
export function formatIpAddress(a: IpAddress): string {
  const g = a.groups;
  if (a.family === 4) return dotted(g);
  if (isIpv4Mapped(g)) return `::ffff:${dotted(g)}`;
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = (from: number, to: number): string =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  if (best.at < 0) return hex(0, 8);
  return `${hex(0, best.at)}::${hex(best.at + best.len, 8)}`;
}
