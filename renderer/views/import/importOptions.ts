import { normalizeAssumedHost } from '../../../shared/model/hostName';

/** The import dialog's options as typed, turned into the contract's startImport fields. */
export interface ImportFormOptions {
  format: string; // '' = auto-detect
  tz: string;
  /** Host for lines that name none; '' = none assumed. */
  assumeHost: string;
  logFormat: string;
  columnMap: string;
  force: boolean;
}

export function defaultImportOptions(): ImportFormOptions {
  return { format: '', tz: 'UTC', assumeHost: '', logFormat: '', columnMap: '', force: false };
}

/** False when a host was typed that the backend would refuse (so Start waits for a fix). */
export function assumeHostOk(o: ImportFormOptions): boolean {
  return o.assumeHost.trim() === '' || normalizeAssumedHost(o.assumeHost) !== null;
}

/**
 * Parses "column=field" lines. Blank lines are ignored; a line without '=' is reported by
 * number so the investigator can fix it rather than have it silently dropped.
 */
export function parseColumnMap(text: string): { map: Record<string, string>; badLines: number[] } {
  const map: Record<string, string> = {};
  const badLines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.indexOf('=');
    const col = eq > 0 ? line.slice(0, eq).trim() : '';
    const field = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (!col || !field) badLines.push(i + 1);
    else map[col] = field;
  });
  return { map, badLines };
}

export function toStartImportInput(
  paths: string[],
  o: ImportFormOptions,
): {
  paths: string[];
  format?: string;
  tz?: string;
  assumeHost?: string;
  logFormat?: string;
  map?: Record<string, string>;
  force?: boolean;
} {
  const { map } = parseColumnMap(o.columnMap);
  return {
    paths,
    ...(o.format ? { format: o.format } : {}),
    ...(o.tz.trim() ? { tz: o.tz.trim() } : {}),
    ...(o.assumeHost.trim() ? { assumeHost: o.assumeHost.trim() } : {}),
    ...(o.logFormat.trim() ? { logFormat: o.logFormat.trim() } : {}),
    ...(Object.keys(map).length > 0 ? { map } : {}),
    ...(o.force ? { force: true } : {}),
  };
}

/** Zones offered in the picker: UTC, the machine's own, then every zone the runtime knows. */
export function zoneChoices(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let all: string[];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  return Array.from(new Set(['UTC', own, ...all].filter(Boolean)));
}
