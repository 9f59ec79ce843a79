import { m001CaseStore } from './001_caseStore.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema step in order; the last version is the schema this build writes. */
export const migrations: readonly Migration[] = [m001CaseStore];

export const SCHEMA_VERSION = migrations.length;
