import { fnv1a } from '../verdicts/hash.js';

/**
 * V8 hashes a string longer than this by its length alone (String::kMaxHashCalcLength), so in
 * a plain Map such keys of one length share a bucket and every lookup compares with all of
 * them: interning 4,000 distinct 17 KB user agents took 92 s, against 0.15 s for 16 KB ones.
 */
export const LONG_KEY = 16_383;

/**
 * A Map for strings that come from the logs: keys up to LONG_KEY characters go to a plain
 * Map; longer ones are filed under a hash of their whole content, then compared exactly.
 * Iterates in insertion order within each kind (short keys first).
 */
export class StringKeyMap<V> {
  private readonly short = new Map<string, V>();
  private readonly long = new Map<number, [string, V][]>();
  private longCount = 0;

  get size(): number {
    return this.short.size + this.longCount;
  }

  get(key: string): V | undefined {
    if (key.length <= LONG_KEY) return this.short.get(key);
    const bucket = this.long.get(fnv1a(key));
    if (bucket) for (const entry of bucket) if (entry[0] === key) return entry[1];
    return undefined;
  }

  has(key: string): boolean {
    return key.length <= LONG_KEY ? this.short.has(key) : this.get(key) !== undefined;
  }

  set(key: string, value: V): this {
    if (key.length <= LONG_KEY) {
      this.short.set(key, value);
      return this;
    }
    const h = fnv1a(key);
    const bucket = this.long.get(h);
    if (bucket === undefined) this.long.set(h, [[key, value]]);
    else {
      const entry = bucket.find((e) => e[0] === key);
      if (entry) {
        entry[1] = value;
        return this;
      }
      bucket.push([key, value]);
    }
    this.longCount++;
    return this;
  }

  clear(): void {
    this.short.clear();
    this.long.clear();
    this.longCount = 0;
  }

  *[Symbol.iterator](): IterableIterator<[string, V]> {
    yield* this.short;
    for (const bucket of this.long.values()) for (const [k, v] of bucket) yield [k, v];
  }
}
