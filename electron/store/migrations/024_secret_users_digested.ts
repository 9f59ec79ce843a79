import type { Migration } from './index.js';

/**
 * A user or role read from a context parameter marked secret is now derived as its salted
 * digest (analysis/scanExtract.ts `scanExtractor`), as secret session keys always were. A case
 * analysed before with such a parameter holds those values in clear in its derived tables
 * (sessions' users, request facts, session values) and its scan cache: its analysis is made
 * stale, so the app offers the rebuild and the CLI warns, and the rebuild replaces them. The
 * requests themselves (the evidence) are not touched. Other cases keep their analysis.
 */
export const m024SecretUsersDigested: Migration = {
  version: 24,
  name: 'secret users and roles digested',
  sql: `
    DELETE FROM analysis_state
      WHERE key = 'analysis_basis' AND EXISTS (
        SELECT 1 FROM analysis_settings s,
          json_each(CASE WHEN json_valid(s.settings) THEN s.settings ELSE '{}' END, '$.contextParams') p
        WHERE json_extract(p.value, '$.secret') = 1
          AND coalesce(json_extract(p.value, '$.names'), 'session') != 'session');
    DELETE FROM analysis_cache
      WHERE name = 'scan' AND EXISTS (
        SELECT 1 FROM analysis_settings s,
          json_each(CASE WHEN json_valid(s.settings) THEN s.settings ELSE '{}' END, '$.contextParams') p
        WHERE json_extract(p.value, '$.secret') = 1
          AND coalesce(json_extract(p.value, '$.names'), 'session') != 'session');
  `,
};
