import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

/** Maps strings to dense integer ids so per-request arrays stay typed and small. */
export class Interner {
  readonly values: string[] = [];
  /**
   * Value → first id; built on the first lookup when the values came from `of` (a rebuild
   * reading the scan cache mostly reads values by id: 2M values' map cost it 1.2 s).
   */
  private ids: StringKeyMap<number> | null = new StringKeyMap<number>();

  /**
   * An interner whose ids are the positions of `values` (as an interner's own values list
   * gives them back). A value listed twice keeps both ids; lookups find its first.
   */
  static of(values: readonly string[]): Interner {
    const it = new Interner();
    for (const v of values) it.values.push(v);
    it.ids = null;
    return it;
  }

  private lookup(): StringKeyMap<number> {
    if (this.ids === null) {
      const ids = new StringKeyMap<number>();
      this.values.forEach((v, i) => {
        if (!ids.has(v)) ids.set(v, i);
      });
      this.ids = ids;
    }
    return this.ids;
  }

  id(s: string): number {
    const ids = this.lookup();
    let i = ids.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      ids.set(s, i);
    }
    return i;
  }

  /** -1 stands for null. */
  idOrNull(s: string | null): number {
    return s === null ? -1 : this.id(s);
  }

  get(i: number): string | null {
    return i < 0 ? null : this.values[i]!;
  }

  get size(): number {
    return this.values.length;
  }
}
