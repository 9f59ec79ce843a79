import {
  SESSION_VALUE_COLUMNS,
  SESSION_VALUES_CREATE,
  SESSION_VALUES_FILL,
  VALUE_SESSIONS_CREATE,
  VALUE_SESSIONS_FILL,
} from '../store/migrations/011_session_values.js';
import { ROLE_MEMBERS_CREATE, ROLE_MEMBERS_FILL } from '../store/migrations/021_role_members.js';
import { BatchInsert } from './batchInsert.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { SessionResult } from './sessionsStep.js';

/** Values below this are kept in an array by value; others (odd status codes) in a Map. */
const DENSE_MAX = 1 << 20;

/** Per value, the sessions that hold it, in the order added. */
class SessionLists {
  private readonly dense: (number[] | undefined)[] = [];
  private readonly sparse = new Map<number, number[]>();

  add(v: number, session: number): void {
    const list = v < DENSE_MAX ? this.dense[v] : this.sparse.get(v);
    if (list !== undefined) list.push(session);
    else if (v < DENSE_MAX) this.dense[v] = [session];
    else this.sparse.set(v, [session]);
  }

  /** [value, sessions] by ascending value. */
  *entries(): Generator<[number, number[]]> {
    for (let v = 0; v < this.dense.length; v++) {
      const list = this.dense[v];
      if (list !== undefined) yield [v, list];
    }
    for (const v of [...this.sparse.keys()].sort((a, b) => a - b)) yield [v, this.sparse.get(v)!];
  }
}

/** Sorts a session's few values in place (a comparator sort costs more on arrays this short). */
function sortSmall(a: Int32Array): Int32Array {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    for (; j >= 0 && a[j]! > v; j--) a[j + 1] = a[j]!;
    a[j + 1] = v;
  }
  return a;
}

/** Integers as JSON.stringify writes them. */
function jsonInts(a: { join(sep: string): string }): string {
  return `[${a.join(',')}]`;
}

/**
 * Session by session from the values the sessions step gathered (request_facts stores the same
 * ids and codes), so rows arrive in key order and each value's sessions in ascending order.
 */
function fillFromSessions(ctx: RebuildContext, ses: SessionResult): void {
  const insert = new BatchInsert(ctx.db, 'session_values', [
    'session_id',
    ...SESSION_VALUE_COLUMNS,
  ]);
  const row = insert.values;
  const sessionsOf = SESSION_VALUE_COLUMNS.map(() => new SessionLists());
  ses.list.forEach((info, k) => {
    // Stored session ids are index + 1, as the write step stores them.
    let at = insert.rowStart;
    row[at++] = k + 1;
    for (let c = 0; c < SESSION_VALUE_COLUMNS.length; c++) {
      const met = sortSmall(ses.values.of(SESSION_VALUE_COLUMNS[c]!, info.valuesAt));
      row[at++] = jsonInts(met);
      const lists = sessionsOf[c]!;
      for (const v of met) lists.add(v, k + 1);
    }
    insert.endRow();
  });
  insert.flush();
  const bySessions = new BatchInsert(ctx.db, 'value_sessions', ['col', 'value', 'n', 'sessions']);
  SESSION_VALUE_COLUMNS.forEach((col, c) => {
    for (const [v, ids] of sessionsOf[c]!.entries())
      bySessions.push(col, v, ids.length, jsonInts(ids));
  });
  bySessions.flush();
}

/**
 * Per session its distinct ips, roles, statuses and users (session_values), per value its
 * sessions (value_sessions), and per role value the roles it holds (role_members: a token's
 * list of roles is one value), for those filters (filterSql.ts). After the write step (60),
 * which wrote the sessions and the values the SQL fills read.
 */
export const sessionValuesStep: RebuildStep = {
  name: 'session values',
  order: 64,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    db.exec('DROP TABLE IF EXISTS session_values');
    db.exec(SESSION_VALUES_CREATE);
    db.exec('DROP TABLE IF EXISTS value_sessions');
    db.exec(VALUE_SESSIONS_CREATE);
    if (ctx.sessions) fillFromSessions(ctx, ctx.sessions);
    else {
      db.exec(SESSION_VALUES_FILL);
      db.exec(VALUE_SESSIONS_FILL);
    }
    db.exec('DROP TABLE IF EXISTS role_members');
    db.exec(ROLE_MEMBERS_CREATE);
    db.exec(ROLE_MEMBERS_FILL);
  },
};
