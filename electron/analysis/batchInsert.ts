import type { Statement } from 'better-sqlite3';
import type { CaseDb } from '../store/openCase.js';

const ROWS_PER_INSERT = 256;

/**
 * Multi-row INSERTs: one statement call per ROWS_PER_INSERT rows instead of per row, which is
 * most of the cost of loading a million facts through better-sqlite3.
 *
 * OR FAIL: an error still stops the statement and is thrown, but the rows it already inserted
 * are not undone on their own; the rebuild's transaction, which every caller runs in, rolls
 * back as a whole. That spares SQLite the statement journal, a copy of every existing page a
 * statement changes: with indexes filled while the facts arrive, a statement touches dozens of
 * pages (one per endpoint and status it appends to), and copying them cost more CPU on 1M
 * requests (about 0.9 s) than the early indexes saved.
 */
export class BatchInsert {
  private readonly full: Statement;
  /** One statement's values, allocated once and overwritten (cheaper than pushing them). */
  private readonly buf: unknown[];
  private used = 0;
  constructor(
    private readonly db: CaseDb,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.full = db.prepare(this.sql(ROWS_PER_INSERT));
    this.buf = Array<unknown>(ROWS_PER_INSERT * columns.length).fill(null);
  }
  private sql(rows: number): string {
    const one = `(${this.columns.map(() => '?').join(',')})`;
    return `INSERT OR FAIL INTO ${this.table} (${this.columns.join(',')}) VALUES ${Array(rows).fill(one).join(',')}`;
  }
  push(...values: unknown[]): void {
    let at = this.used;
    for (const v of values) this.buf[at++] = v;
    this.endRow();
  }
  /**
   * For hot loops: the next row's values go to `values[at]`, `values[at + 1]`, … (at =
   * rowStart), one per column, then endRow().
   */
  get values(): unknown[] {
    return this.buf;
  }
  get rowStart(): number {
    return this.used;
  }
  endRow(): void {
    this.used += this.columns.length;
    if (this.used === this.buf.length) {
      this.full.run(this.buf);
      this.used = 0;
    }
  }
  flush(): void {
    if (this.used > 0)
      this.db.prepare(this.sql(this.used / this.columns.length)).run(this.buf.slice(0, this.used));
    this.used = 0;
  }
}
