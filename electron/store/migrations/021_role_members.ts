import type { Migration } from './index.js';

/**
 * Per role value as stored (a fact_values id in request_facts.role), the roles it holds:
 * `member` is one role, `role` the id of a stored value that holds it. A request may hold
 * several roles as one value (a token's `"roles": ["admin", "billing"]` is stored
 * `admin,billing`; its `scope` `read write` is stored `read,write`; a header sent twice is
 * joined with ", " as HTTP allows), and the role filter finds it by any of them
 * (filterSql.ts). Kept per distinct value, so it stays as small as the case's set of roles.
 */
export const ROLE_MEMBERS_CREATE = `CREATE TABLE role_members (
    member TEXT NOT NULL,
    role INTEGER NOT NULL,
    PRIMARY KEY (member, role)
  ) STRICT, WITHOUT ROWID`;

/** The role values the sessions hold (value_sessions), with their text (fv.value). */
const ROLE_VALUES = `value_sessions v JOIN fact_values fv ON fv.id = v.value`;
const IS_ROLE = `v.col = 'role'`;

/**
 * Fills role_members from the role values sessions hold (value_sessions, written first): each
 * value is a role as written, and so is each of its comma-separated parts, spaces and tabs
 * around it trimmed (HTTP's list syntax; an empty part is none). The split goes through
 * json_each, linear in the value's length: the value is quoted as one JSON string (which
 * escapes no comma and holds no escape with a comma), then every comma ends one string and
 * starts the next.
 */
export const ROLE_MEMBERS_FILL = `INSERT INTO role_members (member, role)
  SELECT DISTINCT member, id FROM (
    SELECT fv.value AS member, fv.id AS id FROM ${ROLE_VALUES} WHERE ${IS_ROLE}
    UNION ALL
    SELECT trim(j.value, ' ' || char(9)), fv.id
      FROM ${ROLE_VALUES},
        json_each('[' || replace(json_quote(fv.value), ',', '","') || ']') j
      WHERE ${IS_ROLE} AND instr(fv.value, ',') > 0)
  WHERE member != ''
  ORDER BY member, id`;

/**
 * Each role a stored role value holds is found on its own. A case analysed before has its
 * values split here, so a token's role list is found by each role without a rebuild. A JWT
 * `scope` (or `scp`) was stored as written (`read write`) and is now stored as a list
 * (`read,write`): a case with a role value that holds a space or a tab may have such a scope,
 * so its analysis is made stale (the app offers the rebuild, the CLI warns), rather than a
 * `--role read` quietly finding none of those sessions.
 */
export const m021RoleMembers: Migration = {
  version: 21,
  name: 'role members',
  sql: `
    DROP TABLE IF EXISTS role_members;
    ${ROLE_MEMBERS_CREATE};
    ${ROLE_MEMBERS_FILL};
    DELETE FROM analysis_state
      WHERE key = 'analysis_basis' AND EXISTS (SELECT 1 FROM ${ROLE_VALUES} WHERE ${IS_ROLE}
        AND (instr(fv.value, ' ') > 0 OR instr(fv.value, char(9)) > 0));
  `,
};
