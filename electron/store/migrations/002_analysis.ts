import type { Migration } from './index.js';

/** Derived analysis tables: endpoints, sessions, per-request facts, settings (filled by the rebuild). */
export const m002Analysis: Migration = {
  version: 2,
  name: 'analysis',
  sql: `SELECT 1;`,
};
