/**
 * Case-insensitive search for any of a set of literal keywords, built for the engine's gate:
 * one pass over the text; at each position a table lookup on the next three (ASCII-folded)
 * characters (two or one for short keywords) finds the few keywords that could start there,
 * and only those are compared. Ordinary text rarely hits the table, so a pass costs about one
 * lookup per character. A large regex alternation does the same job several times slower.
 */
const TABLE = 1 << 16;

export class KeywordMatcher {
  /** Per start-character / pair / hashed triple: 1 + index into `buckets`, or 0. Typed
   * arrays, because lookups on sparse JS arrays are several times slower. */
  private readonly singleIdx = new Uint16Array(256);
  private readonly pairIdx = new Uint16Array(TABLE);
  private readonly tripleIdx = new Uint16Array(TABLE);
  private readonly buckets: string[][] = [];
  private readonly hasPairs: boolean;
  /** Who asked for each keyword (rule indices), for `mark`. */
  private readonly owners = new Map<string, number[]>();
  readonly size: number;

  /** Keywords, each optionally with the index of the rule it belongs to. */
  constructor(keywords: Iterable<string | readonly [string, number]>) {
    const unique = new Set<string>();
    for (const entry of keywords) {
      const [word, owner] = typeof entry === 'string' ? [entry, -1] : entry;
      if (word === '') continue;
      const k = word.toLowerCase();
      unique.add(k);
      if (owner >= 0) {
        const list = this.owners.get(k) ?? [];
        if (!list.includes(owner)) list.push(owner);
        this.owners.set(k, list);
      }
    }
    this.size = unique.size;
    let hasPairs = false;
    const add = (table: Uint16Array, key: number, k: string): void => {
      if (table[key] === 0) {
        this.buckets.push([]);
        table[key] = this.buckets.length;
      }
      this.buckets[table[key]! - 1]!.push(k);
    };
    for (const k of unique) {
      const c0 = fold(k.charCodeAt(0));
      if (k.length === 1) add(this.singleIdx, c0 & 0xff, k);
      else if (k.length === 2) {
        hasPairs = true;
        add(this.pairIdx, pairKey(c0, fold(k.charCodeAt(1))), k);
      } else add(this.tripleIdx, tripleKey(c0, fold(k.charCodeAt(1)), fold(k.charCodeAt(2))), k);
    }
    this.hasPairs = hasPairs;
  }

  test(s: string): boolean {
    return this.scan(s, null, 0);
  }

  /**
   * Sets `flags[owner] = stamp` for the owner of every keyword found in `s` (one pass, all
   * matches); returns whether any was found. The stamp spares clearing `flags` per text.
   */
  mark(s: string, flags: Uint32Array, stamp: number): boolean {
    return this.scan(s, flags, stamp);
  }

  private scan(s: string, flags: Uint32Array | null, stamp: number): boolean {
    const n = s.length;
    let found = false;
    let c0 = n > 0 ? fold(s.charCodeAt(0)) : 0;
    let c1 = n > 1 ? fold(s.charCodeAt(1)) : 0;
    for (let i = 0; i < n; i++) {
      const c2 = i + 2 < n ? fold(s.charCodeAt(i + 2)) : -1;
      let b = this.singleIdx[c0 & 0xff]!;
      if (b !== 0 && this.hit(b, s, i, flags, stamp)) {
        if (flags === null) return true;
        found = true;
      }
      if (i + 1 < n) {
        if (this.hasPairs) {
          b = this.pairIdx[pairKey(c0, c1)]!;
          if (b !== 0 && this.hit(b, s, i, flags, stamp)) {
            if (flags === null) return true;
            found = true;
          }
        }
        if (c2 >= 0) {
          b = this.tripleIdx[tripleKey(c0, c1, c2)]!;
          if (b !== 0 && this.hit(b, s, i, flags, stamp)) {
            if (flags === null) return true;
            found = true;
          }
        }
      }
      c0 = c1;
      c1 = c2;
    }
    return found;
  }

  private hit(
    bucket: number,
    s: string,
    i: number,
    flags: Uint32Array | null,
    stamp: number,
  ): boolean {
    let any = false;
    for (const k of this.buckets[bucket - 1]!) {
      if (!matchesAt(s, i, k)) continue;
      any = true;
      if (flags === null) return true;
      for (const o of this.owners.get(k) ?? []) flags[o] = stamp;
    }
    return any;
  }
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function pairKey(a: number, b: number): number {
  return ((a & 0xff) << 8) | (b & 0xff);
}

/** A hash, not an identity: collisions only cost a comparison. */
function tripleKey(a: number, b: number, c: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 16;
}

function matchesAt(s: string, at: number, k: string): boolean {
  if (at + k.length > s.length) return false;
  for (let j = 0; j < k.length; j++) {
    if (fold(s.charCodeAt(at + j)) !== k.charCodeAt(j)) return false;
  }
  return true;
}
