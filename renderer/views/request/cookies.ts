/** Splits a Cookie header into name/value pairs as sent; malformed parts are kept whole. */
export function parseCookies(header: string | null | undefined): [string, string][] {
  if (!header) return [];
  return header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq > 0 ? [p.slice(0, eq), p.slice(eq + 1)] : [p, ''];
    });
}

/** Header values arrive as unknown JSON; show strings as they are and anything else as JSON. */
export function headerText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(headerText).join(', ');
  return JSON.stringify(v);
}

export function findHeader(headers: Record<string, unknown> | null, name: string): string | null {
  if (!headers) return null;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return headerText(v);
  }
  return null;
}
