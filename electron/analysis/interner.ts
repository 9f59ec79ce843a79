/** Maps strings to dense integer ids so per-request arrays stay typed and small. */
export class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

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
