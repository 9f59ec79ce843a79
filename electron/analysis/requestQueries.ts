import type { CaseDb } from '../store/openCase.js';

/** Requests read per statement call: far fewer crossings into SQLite than one per row. */
const CHUNK = 8000;

/**
 * The query string of each request `ids` names, in that order (null for none or '', as the
 * scan keeps them), read from `requests` in id order; `progress` is called after each chunk.
 * Throws when `db` holds other requests than those.
 */
export function readQueries(
  db: CaseDb,
  ids: Float64Array,
  progress: () => void = () => undefined,
): (string | null)[] {
  const n = ids.length;
  const query = new Array<string | null>(n).fill(null);
  const stmt = db
    .prepare(`SELECT id, query FROM requests WHERE id > ? ORDER BY id LIMIT ${CHUNK}`)
    .raw(true);
  let i = 0;
  let after = -Infinity;
  for (;;) {
    const rows = stmt.all(after) as [number, string | null][];
    if (rows.length === 0) break;
    for (const [id, q] of rows) {
      if (i >= n || id !== ids[i]) throw new Error('read other requests than those scanned');
      query[i++] = q === '' ? null : q;
    }
    after = rows[rows.length - 1]![0];
    progress();
  }
  if (i !== n) throw new Error(`read ${i} of the ${n} requests scanned`);
  return query;
}
