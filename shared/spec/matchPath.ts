/**
 * Matches request paths (or observed endpoint templates) to the path templates of a spec.
 * A `{param}` segment matches exactly one non-empty segment; a segment mixing text and
 * parameters (`{name}.json`) matches by pattern; anything else must be equal. When several
 * templates match, the one whose first differing segment is literal wins, as OpenAPI asks
 * (`/users/me` before `/users/{id}`).
 */

export interface SpecRoute {
  method: string;
  pathTemplate: string;
}

type Seg = { kind: 'literal'; text: string } | { kind: 'param' } | { kind: 'mixed'; re: RegExp };

const RANK = { literal: 0, mixed: 1, param: 2 } as const;

function decode(seg: string): string {
  if (!seg.includes('%')) return seg;
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** Path segments without the leading slash; a trailing slash is not a segment of its own. */
export function pathSegments(path: string): string[] {
  let p = path.startsWith('/') ? path.slice(1) : path;
  while (p.endsWith('/')) p = p.slice(0, -1);
  return p === '' ? [] : p.split('/');
}

function compileSegment(s: string): Seg {
  if (/^\{[^{}]+\}$/.test(s)) return { kind: 'param' };
  if (!s.includes('{')) return { kind: 'literal', text: decode(s) };
  const parts = s.split(/\{[^{}]+\}/);
  const re = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return { kind: 'mixed', re: new RegExp(`^${re}$`) };
}

export function compileTemplate(template: string): Seg[] {
  return pathSegments(template).map(compileSegment);
}

function segMatches(seg: Seg, actual: string): boolean {
  switch (seg.kind) {
    case 'param':
      return actual !== '';
    case 'literal':
      return seg.text === decode(actual);
    case 'mixed':
      return seg.re.test(decode(actual));
  }
}

function matchesAt(template: Seg[], actual: string[], offset: number, whole: boolean): boolean {
  if (whole ? actual.length - offset !== template.length : actual.length - offset < template.length)
    return false;
  return template.every((seg, i) => segMatches(seg, actual[offset + i]!));
}

/** True when `path` is an instance of `template` (both without base paths). */
export function matchTemplate(template: string, path: string): boolean {
  return matchesAt(compileTemplate(template), pathSegments(path), 0, true);
}

/** Finds the spec route a request falls under, honouring the spec's server base paths. */
export class SpecMatcher<T extends SpecRoute> {
  private readonly routes: { route: T; segs: Seg[] }[];
  private readonly bases: Seg[][];

  /** basePaths: '' or '/v1' style prefixes; none means the spec sits at the root. */
  constructor(routes: readonly T[], basePaths: readonly string[] = ['']) {
    this.routes = routes.map((route) => ({ route, segs: compileTemplate(route.pathTemplate) }));
    const bases = (basePaths.length > 0 ? basePaths : ['']).map(compileTemplate);
    // Longest base first: under bases '' and '/v1', /v1/pets is /pets of '/v1'.
    this.bases = bases.sort((a, b) => b.length - a.length);
  }

  match(method: string, path: string): T | null {
    const m = method.toUpperCase();
    return this.find(m, path) ?? (m === 'HEAD' ? this.find('GET', path) : null);
  }

  private find(method: string, path: string): T | null {
    const actual = pathSegments(path);
    for (const base of this.bases) {
      if (!matchesAt(base, actual, 0, false)) continue;
      let best: { route: T; segs: Seg[] } | null = null;
      for (const r of this.routes) {
        if (r.route.method.toUpperCase() !== method) continue;
        if (!matchesAt(r.segs, actual, base.length, true)) continue;
        if (best === null || moreSpecific(r.segs, best.segs)) best = r;
      }
      if (best) return best.route;
    }
    return null;
  }
}

function moreSpecific(a: Seg[], b: Seg[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const d = RANK[a[i]!.kind] - RANK[b[i]!.kind];
    if (d !== 0) return d < 0;
  }
  return false;
}
