import type { RequestRecord } from '../../../shared/model/requestRecord.js';
import { UnstorableRecord } from '../encodedBatch.js';
import type { RecordSink } from './types.js';

/**
 * Accepts `record`, or rejects its unit with the reason when it cannot be stored (a column
 * longer than the longest string V8 can hold): one hostile line never stops the import of the
 * others. `raw` is read only
 * for a rejected unit.
 */
export function acceptOrReject(
  sink: RecordSink,
  lineNo: number,
  record: RequestRecord,
  raw: () => string | Buffer,
): void {
  try {
    sink.accept(lineNo, record);
  } catch (err) {
    if (!(err instanceof UnstorableRecord)) throw err;
    sink.reject(lineNo, err.message, raw());
  }
}
