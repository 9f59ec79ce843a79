import type { Migration } from './index.js';

/**
 * The ids endpoints had before their hosts were folded (026_endpoint_hosts_folded.ts): an
 * endpoint of `Shop.Example` was named by that spelling, and is now `shop.example`'s. A link
 * or filter made then still names the old id; the rebuild lists each such id here with the
 * endpoint it became (analysis/endpointAliases.ts), so it opens that endpoint instead of none.
 * Empty until a case's next rebuild (one with such hosts is marked stale by migration 26).
 */
export const ENDPOINT_ALIASES_CREATE = `CREATE TABLE endpoint_aliases (
    alias TEXT PRIMARY KEY,
    endpoint_id INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID`;

export const m029EndpointAliases: Migration = {
  version: 29,
  name: 'endpoint aliases',
  sql: `${ENDPOINT_ALIASES_CREATE};`,
};
