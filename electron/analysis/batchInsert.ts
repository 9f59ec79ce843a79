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
  private readonly buf: unknown[] = [];
  private rows = 0;
  constructor(
    private readonly db: CaseDb,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.full = db.prepare(this.sql(ROWS_PER_INSERT));
  }
  private sql(rows: number): string {
    const one = `(${this.columns.map(() => '?').join(',')})`;
    return `INSERT OR FAIL INTO ${this.table} (${this.columns.join(',')}) VALUES ${Array(rows).fill(one).join(',')}`;
  }
  push(...values: unknown[]): void {
    for (const v of values) this.buf.push(v);
    this.endRow();
  }
  /** For hot loops: the row's values are pushed straight onto `values`, then endRow(). */
  get values(): unknown[] {
    return this.buf;
  }
  endRow(): void {
    if (++this.rows === ROWS_PER_INSERT) {
      this.full.run(this.buf);
      this.buf.length = 0;
      this.rows = 0;
    }
  }
  flush(): void {
    if (this.rows > 0) this.db.prepare(this.sql(this.rows)).run(this.buf);
    this.buf.length = 0;
    this.rows = 0;
  }
}
