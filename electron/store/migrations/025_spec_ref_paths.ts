import type { Migration } from './index.js';

/**
 * A path a spec names whose path item is a `$ref` that is not followed (to another file or a
 * URL: specs are read offline) is now kept with the spec (`specs.unresolved_paths`, a JSON
 * array of path templates), and an endpoint under it is in the spec with reason
 * 'unresolved-ref' rather than shadow. Specs loaded before keep '[]' until loaded again; the
 * status table (derived, rewritten by every spec load and rebuild) is copied as it is.
 */
export const m025SpecRefPaths: Migration = {
  version: 25,
  name: 'specs: paths whose definition was not followed',
  sql: `
    ALTER TABLE specs ADD COLUMN unresolved_paths TEXT NOT NULL DEFAULT '[]';

    CREATE TABLE endpoint_spec_status_v25 (
      eid TEXT PRIMARY KEY,
      method TEXT NOT NULL,
      host TEXT NOT NULL,
      template TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('documented', 'shadow', 'zombie')),
      reason TEXT CHECK (reason IN ('deprecated', 'removed', 'not-found', 'unresolved-ref')),
      spec_id INTEGER REFERENCES specs (id) ON DELETE CASCADE,
      spec_method TEXT,
      spec_path TEXT
    ) STRICT;
    INSERT INTO endpoint_spec_status_v25 SELECT * FROM endpoint_spec_status;
    DROP TABLE endpoint_spec_status;
    ALTER TABLE endpoint_spec_status_v25 RENAME TO endpoint_spec_status;
    CREATE INDEX endpoint_spec_status_status ON endpoint_spec_status (status);
  `,
};
