import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

/** Maps strings to dense integer ids so per-request arrays stay typed and small. */
export class Interner {
  readonly values: string[] = [];
  private readonly ids = new StringKeyMap<number>();

  /**
   * An interner whose ids are the positions of `values` (as an interner's own values list
   * gives them back). A value listed twice keeps both ids; lookups find its first.
   */
  static of(values: readonly string[]): Interner {
    const it = new Interner();
    for (const v of values) {
      if (!it.ids.has(v)) it.ids.set(v, it.values.length);
      it.values.push(v);
    }
    return it;
  }

  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.ids.set(s, i);
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
