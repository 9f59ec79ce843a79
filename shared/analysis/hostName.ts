/**
 * A host name as Sessionscope compares it: DNS names are equal whatever the case of their ASCII
 * letters (RFC 4343), so `Shop.Example` and `shop.example` are one site. Only A–Z are folded:
 * other characters (an IDN left in Unicode, a port) stay as written, so a host matches its own
 * spelling whatever the log held.
 */
export function hostKey(host: string): string {
  return /[A-Z]/.test(host) ? host.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : host;
}
