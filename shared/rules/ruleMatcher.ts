import { splitPairs } from '../detect/params.js';
import { FRAGMENT_MAX, type Location } from '../detect/types.js';
import { BODY_MAX, TEXT_MAX } from './fieldTexts.js';
import { compileLinear, type LinearRegex } from './linearRegex.js';
import type { MatchKind, RuleField } from './ruleModel.js';

/** Runs one detect or tag rule's pattern on a request, on texts bounded as fieldTexts.ts says. */

/** What a pattern rule reads; headers keyed by lower-case name. */
export interface RuleRequest {
  path: string | null;
  query: string | null;
  body: string | null;
  cookies: string | null;
  headers: Readonly<Record<string, string>> | null;
  userAgent: string | null;
}

/** Where a pattern matched; offsets index the raw text of the field (or the named value). */
export interface PatternHit {
  location: Location;
  param: string | null;
  start: number;
  end: number;
  fragment: string;
}

export interface PatternSpec {
  field: RuleField;
  fieldName: string | null;
  match: MatchKind;
  pattern: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A compiled pattern rule: one `find` per request, no state between requests. */
export class PatternMatcher {
  private readonly re: LinearRegex | RegExp;
  private readonly nameLower: string | null;

  constructor(private readonly spec: PatternSpec) {
    // A literal has no quantifiers, so the built-in engine runs it in linear time.
    this.re =
      spec.match === 'literal'
        ? new RegExp(escapeRegExp(spec.pattern), 'i')
        : compileLinear(spec.pattern);
    this.nameLower = spec.fieldName?.toLowerCase() ?? null;
  }

  private search(text: string): [number, number] | null {
    if (this.re instanceof RegExp) {
      const m = this.re.exec(text);
      return m === null ? null : [m.index, m.index + m[0].length];
    }
    return this.re.search(text);
  }

  private hit(
    location: Location,
    param: string | null,
    text: string | null,
    max: number,
  ): PatternHit | null {
    if (text === null) return null;
    const t = text.length > max ? text.slice(0, max) : text;
    const m = this.search(t);
    if (m === null) return null;
    return {
      location,
      param,
      start: m[0],
      end: m[1],
      fragment: t.slice(m[0], Math.min(m[1], m[0] + FRAGMENT_MAX)),
    };
  }

  /** The first value of the named parameter in pairs, compared raw and URL-decoded. */
  private named(s: string | null, sep: string): { name: string; value: string } | null {
    if (s === null || this.nameLower === null) return null;
    for (const p of splitPairs(s.slice(0, BODY_MAX), sep).pairs) {
      if (p.name === null) continue;
      const n = p.name.trim();
      if (n.toLowerCase() === this.nameLower || safeDecode(n).toLowerCase() === this.nameLower)
        return { name: n, value: p.value };
    }
    return null;
  }

  find(r: RuleRequest): PatternHit | null {
    switch (this.spec.field) {
      case 'path':
        return this.hit('path', null, r.path, TEXT_MAX);
      case 'query':
        return this.hit('query', null, r.query, TEXT_MAX);
      case 'body':
        return this.hit('body', null, r.body, BODY_MAX);
      case 'ua':
        return this.hit('ua', null, r.userAgent, TEXT_MAX);
      case 'header': {
        const v = this.nameLower === null ? undefined : r.headers?.[this.nameLower];
        return v === undefined ? null : this.hit('header', this.nameLower, v, TEXT_MAX);
      }
      case 'cookie': {
        const c = this.named(r.cookies, ';');
        return c === null ? null : this.hit('cookie', c.name, c.value, TEXT_MAX);
      }
      case 'param': {
        const q = this.named(r.query, '&');
        const inQuery = q === null ? null : this.hit('query', q.name, q.value, TEXT_MAX);
        if (inQuery !== null) return inQuery;
        const b = this.named(r.body, '&');
        return b === null ? null : this.hit('body', b.name, b.value, TEXT_MAX);
      }
    }
  }
}
