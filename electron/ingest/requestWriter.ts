import type { Statement } from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import {
  FULL_MASK,
  forEachChunk,
  maskColumns,
  REJECT_WIDTH,
  REQUEST_COLUMNS,
  ROW_WIDTH,
  type EncodedBatch,
} from './encodedBatch.js';

/**
 * Throws unless an INSERT stored every row it was given. The case's schema is checked when it
 * is opened (store/schemaTrust.ts), but a row that is not stored (a trigger's RAISE(IGNORE), a
 * conflict clause) must never be counted as accepted: evidence is not dropped silently.
 */
function stored(changes: number, rows: number, what: string): void {
  if (changes !== rows) {
    throw new AppError(
      'INTERNAL',
      `The case stored ${changes} of the ${rows} ${what}${rows === 1 ? '' : 's'} it was given; the import is undone ` +
        '(nothing is counted as accepted that the case does not hold).',
    );
  }
}

/**
 * Writes encoded batches for one source inside the caller's transaction and counts them.
 * Statements are prepared once per source and reused.
 */
export class RequestWriter {
  accepted = 0;
  rejected = 0;
  private readonly inserts = new Map<number, Statement>();
  private readonly insertReject: Statement;

  constructor(
    private readonly db: CaseDb,
    private readonly sourceId: number,
  ) {
    // The source id is ours (an integer we just created), not log content: inlined so each row
    // binds one parameter fewer.
    if (!Number.isSafeInteger(sourceId)) throw new Error(`bad source id ${sourceId}`);
    this.insertReject = db.prepare(
      `INSERT INTO rejects (source_id, line_no, reason, raw, raw_length) VALUES (${sourceId}, ?, ?, ?, ?)`,
    );
  }

  get lines(): number {
    return this.accepted + this.rejected;
  }

  /** The INSERT for `rows` rows of the columns in `mask`, prepared once and reused. */
  private insertFor(mask: number, rows: number): Statement {
    const key = mask * 64 + rows;
    let st = this.inserts.get(key);
    if (!st) {
      const names = maskColumns(mask).map((i) => REQUEST_COLUMNS[i]!);
      const tuple = `(${this.sourceId}, ${names.map(() => '?').join(', ')})`;
      st = this.db.prepare(
        `INSERT INTO requests (source_id, ${names.join(', ')}) VALUES ` +
          Array(rows).fill(tuple).join(', '),
      );
      this.inserts.set(key, st);
    }
    return st;
  }

  write(batch: EncodedBatch): void {
    forEachChunk(batch, (mask, rows, values) => {
      // A source with wildly varying columns would prepare many statements: past a bound,
      // rows go in one at a time with every column.
      if (this.inserts.size < 256 || this.inserts.has(mask * 64 + rows)) {
        // Spread, not the array: better-sqlite3 reads an array's elements with a generic
        // property lookup each (~8% of this thread's time on 1M lines), arguments directly.
        stored(this.insertFor(mask, rows).run(...values).changes, rows, 'request');
      } else {
        const cols = maskColumns(mask);
        const one = this.insertFor(FULL_MASK, 1);
        for (let r = 0; r < values.length; r += cols.length) {
          const full: unknown[] = new Array(ROW_WIDTH).fill(null);
          cols.forEach((c, k) => (full[c] = values[r + k]));
          stored(one.run(full).changes, 1, 'request');
        }
      }
      this.accepted += rows;
    });
    const rj = batch.rejects;
    for (let j = 0; j < rj.length; j += REJECT_WIDTH) {
      const raw = rj[j + 2] as Uint8Array;
      // Bound as a BLOB: a Uint8Array that crossed a thread comes back as a Buffer view.
      const blob = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
      stored(this.insertReject.run(rj[j], rj[j + 1], blob, rj[j + 3]).changes, 1, 'rejected line');
    }
    this.rejected += rj.length / REJECT_WIDTH;
  }
}
