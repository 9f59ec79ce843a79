import { m001CaseStore } from './001_caseStore.js';
import { m002Analysis } from './002_analysis.js';
import { m003Detections } from './003_detections.js';
import { m004Specs } from './004_specs.js';
import { m005Verdicts } from './005_verdicts.js';
import { m006Rules } from './006_rules.js';
import { m007SessionEndpoints } from './007_session_endpoints.js';
import { m008SessionMix } from './008_session_mix.js';
import { m009FactValues } from './009_fact_values.js';
import { m010EndpointSessions } from './010_endpoint_sessions.js';
import { m011SessionValues } from './011_session_values.js';
import { m012RequestsChanged } from './012_requests_changed.js';
import { m013RequestColumns } from './013_request_columns.js';
import { m014AnalysisCache } from './014_analysis_cache.js';
import { m015KeyedFacts } from './015_keyed_facts.js';
import { m016RiskInputs } from './016_risk_inputs.js';
import { m017VerdictsUncapped } from './017_verdicts_uncapped.js';
import { m018SizeBaselines } from './018_size_baselines.js';
import { m019SessionsAttacks } from './019_sessions_attacks.js';
import { m020IdsNotReused } from './020_ids_not_reused.js';
import { m021RoleMembers } from './021_role_members.js';
import { m022AgentCounterKeys } from './022_agent_counter_keys.js';
import { m023SourceWithoutOffset } from './023_source_without_offset.js';
import { m024SecretUsersDigested } from './024_secret_users_digested.js';
import { m025SpecRefPaths } from './025_spec_ref_paths.js';
import { m026EndpointHostsFolded } from './026_endpoint_hosts_folded.js';
import { m027SourceTimeSpan } from './027_source_time_span.js';
import { m028TimeBuckets } from './028_time_buckets.js';
import { m029EndpointAliases } from './029_endpoint_aliases.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema step in order; the last version is the schema this build writes. */
export const migrations: readonly Migration[] = [
  m001CaseStore,
  m002Analysis,
  m003Detections,
  m004Specs,
  m005Verdicts,
  m006Rules,
  m007SessionEndpoints,
  m008SessionMix,
  m009FactValues,
  m010EndpointSessions,
  m011SessionValues,
  m012RequestsChanged,
  m013RequestColumns,
  m014AnalysisCache,
  m015KeyedFacts,
  m016RiskInputs,
  m017VerdictsUncapped,
  m018SizeBaselines,
  m019SessionsAttacks,
  m020IdsNotReused,
  m021RoleMembers,
  m022AgentCounterKeys,
  m023SourceWithoutOffset,
  m024SecretUsersDigested,
  m025SpecRefPaths,
  m026EndpointHostsFolded,
  m027SourceTimeSpan,
  m028TimeBuckets,
  m029EndpointAliases,
];

export const SCHEMA_VERSION = migrations.length;

for (const [i, m] of migrations.entries()) {
  if (m.version !== i + 1)
    throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
}
