import type { AnalysisSettings } from '../../../shared/analysis/settings';
import type { VerdictThresholds } from '../../../shared/verdicts/thresholds';
import type { MessageKey } from '../../i18n/en';

/**
 * The numeric settings the form edits, by section, each with its label. The records below are
 * typed against the settings themselves, so a setting added to the schema without a label
 * here fails to type-check rather than silently missing from the form.
 */

type Group = 'outliers' | 'templates';
export type NumberPath =
  | readonly ['inactivityTimeoutMin' | 'maxSessionHours']
  | readonly [Group, string]
  | readonly ['verdicts', keyof VerdictThresholds];

export interface NumberFieldDef {
  path: NumberPath;
  label: MessageKey;
  /** Whole numbers only (the schema says int). */
  integer?: boolean;
}

export const SESSION_FIELDS: readonly NumberFieldDef[] = [
  { path: ['inactivityTimeoutMin'], label: 'settings.inactivityTimeoutMin' },
  { path: ['maxSessionHours'], label: 'settings.maxSessionHours' },
];

const OUTLIER_LABELS: Record<keyof AnalysisSettings['outliers'], MessageKey> = {
  minSamples: 'settings.outliers.minSamples',
  zThreshold: 'settings.outliers.zThreshold',
  latencyFloorMs: 'settings.outliers.latencyFloorMs',
  sizeFloorBytes: 'settings.outliers.sizeFloorBytes',
};

const TEMPLATE_LABELS: Record<keyof AnalysisSettings['templates'], MessageKey> = {
  mergeMinDistinct: 'settings.templates.mergeMinDistinct',
};

export const VERDICT_LABELS: Record<keyof VerdictThresholds, MessageKey> = {
  baselineMinRequests: 'settings.verdicts.baselineMinRequests',
  baselineMinSessions: 'settings.verdicts.baselineMinSessions',
  baselinePercentile: 'settings.verdicts.baselinePercentile',
  minRequests: 'settings.verdicts.minRequests',
  bruteMinFailures: 'settings.verdicts.bruteMinFailures',
  stuffingMinUsers: 'settings.verdicts.stuffingMinUsers',
  takeoverMinFailures: 'settings.verdicts.takeoverMinFailures',
  ipRotationMinIps: 'settings.verdicts.ipRotationMinIps',
  sessionRotationMinSessions: 'settings.verdicts.sessionRotationMinSessions',
  bolaMinIds: 'settings.verdicts.bolaMinIds',
  bolaWindowMin: 'settings.verdicts.bolaWindowMin',
  enumMinValues: 'settings.verdicts.enumMinValues',
  dirbustMinPaths: 'settings.verdicts.dirbustMinPaths',
  smsMinNumbers: 'settings.verdicts.smsMinNumbers',
  scrapingMinResources: 'settings.verdicts.scrapingMinResources',
  scrapingMinPerMinute: 'settings.verdicts.scrapingMinPerMinute',
  volumeMinBytes: 'settings.verdicts.volumeMinBytes',
  rateMinPerMinute: 'settings.verdicts.rateMinPerMinute',
  regularMaxCv: 'settings.verdicts.regularMaxCv',
  uniquenessMaxRatio: 'settings.verdicts.uniquenessMaxRatio',
  flagScriptAgents: 'settings.verdicts.flagScriptAgents',
};

const INTEGER = new Set([
  'outliers.minSamples',
  'templates.mergeMinDistinct',
  'verdicts.baselineMinRequests',
  'verdicts.baselineMinSessions',
  'verdicts.minRequests',
  'verdicts.bruteMinFailures',
  'verdicts.stuffingMinUsers',
  'verdicts.takeoverMinFailures',
  'verdicts.ipRotationMinIps',
  'verdicts.sessionRotationMinSessions',
  'verdicts.bolaMinIds',
  'verdicts.enumMinValues',
  'verdicts.dirbustMinPaths',
  'verdicts.smsMinNumbers',
  'verdicts.scrapingMinResources',
  'verdicts.volumeMinBytes',
]);

function defs<G extends Group | 'verdicts'>(
  group: G,
  labels: Record<string, MessageKey>,
  skip: readonly string[] = [],
): NumberFieldDef[] {
  return Object.entries(labels)
    .filter(([k]) => !skip.includes(k))
    .map(([k, label]) => ({
      path: [group, k] as unknown as NumberPath,
      label,
      integer: INTEGER.has(`${group}.${k}`),
    }));
}

export const OUTLIER_FIELDS = defs('outliers', OUTLIER_LABELS);
export const TEMPLATE_FIELDS = defs('templates', TEMPLATE_LABELS);
/** flagScriptAgents is a switch, not a number: the form shows it as a checkbox. */
export const VERDICT_FIELDS = defs('verdicts', VERDICT_LABELS, ['flagScriptAgents']);

/** The value at a field's path (NaN when the draft holds none). */
export function readNumber(s: AnalysisSettings, path: NumberPath): number {
  const v: unknown =
    path.length === 1
      ? s[path[0]]
      : (s[path[0]] as unknown as Record<string, unknown>)[path[1] as string];
  return typeof v === 'number' ? v : NaN;
}

/** A copy of `s` with the field at `path` set to `v`. */
export function writeNumber(s: AnalysisSettings, path: NumberPath, v: number): AnalysisSettings {
  if (path.length === 1) return { ...s, [path[0]]: v };
  const [group, key] = path;
  return { ...s, [group]: { ...s[group], [key]: v } };
}

const LABELS: ReadonlyMap<string, MessageKey> = new Map(
  [
    ...SESSION_FIELDS,
    ...OUTLIER_FIELDS,
    ...TEMPLATE_FIELDS,
    ...defs('verdicts', VERDICT_LABELS),
  ].map((d) => [d.path.join('.'), d.label]),
);

/** The label the form shows for the setting at a schema path (none: not one of its fields). */
export function settingLabel(path: readonly PropertyKey[]): MessageKey | undefined {
  return LABELS.get(path.map(String).join('.'));
}
