import type { Migration } from './index.js';

/** Loaded API specifications (OpenAPI/Swagger), their paths, and endpoint risk scores. */
export const m004Specs: Migration = {
  version: 4,
  name: 'specs and risk',
  sql: `SELECT 1;`,
};
