/**
 * Host names and addresses as logs write them: the checks the filter bar makes on an IP it is
 * given, and the one an import makes on the host it is told to assume.
 */

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|[01]?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d?\d)$/;

export function isIpv4(input: string): boolean {
  return IPV4.test(input);
}

/** An IPv6 address (optionally with an embedded IPv4 tail or a %zone), as ingest keeps them. */
export function isIpv6(input: string): boolean {
  let body = input.replace(/%[\w.-]+$/, '');
  const v4 = /^(.*:)([^:]+\.[^:]+)$/.exec(body);
  if (v4) {
    if (!IPV4.test(v4[2]!)) return false;
    body = `${v4[1]!}0:0`; // the IPv4 tail stands for two groups
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/**
 * A host name, lower case: dot-separated labels, the last one starting with a letter (so that
 * "10.0.0.300" is a bad address, not a name). One label ("localhost", "intranet") is a name too.
 */
const HOST_NAME =
  /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The longest host a DNS name can be, and so the longest assumed host taken. */
export const MAX_HOST_LENGTH = 253;

/** What an assumed host must be; the CLI, the contract and the import form all say this. */
export const ASSUMED_HOST_RULE =
  'a host name or IP address, optionally with :port (like www.example.com or 10.0.0.5:8080)';

function isPort(digits: string | undefined): boolean {
  if (digits === undefined) return true;
  const n = Number(digits);
  return /^\d{1,5}$/.test(digits) && n >= 1 && n <= 65535;
}

/**
 * The host an investigator says a source's lines are of (`--assume-host`), trimmed and lower
 * case as Host headers compare: a host name or an IP address, optionally with a port
 * ("shop.example.com", "10.0.0.5:8080", "[2001:db8::1]:443", or a bare "2001:db8::1").
 * Null when it is none of these.
 */
export function normalizeAssumedHost(input: string): string | null {
  const s = input.trim().toLowerCase();
  if (s.length < 1 || s.length > MAX_HOST_LENGTH) return null;
  if (s.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    return m && isIpv6(m[1]!) && isPort(m[2]) ? s : null;
  }
  if (isIpv6(s)) return s;
  const colon = s.lastIndexOf(':');
  const name = colon < 0 ? s : s.slice(0, colon);
  if (colon >= 0 && !isPort(s.slice(colon + 1))) return null;
  return isIpv4(name) || HOST_NAME.test(name) ? s : null;
}
