import type { CsvMappingInfo } from '../../../shared/contract/caseApi';
import { parseColumnMap } from './importOptions';

/**
 * The mapping table edits the same "column=field" text as the free-text column map, so there is
 * one source of truth for the import's `map`. These helpers read and rewrite that text for one
 * column of a CSV preview.
 */

type Column = CsvMappingInfo['columns'][number];

/** The unmapped choice: `extra` keeps the value in the request's extra JSON only. */
export const UNMAPPED = 'extra';

/** As the backend's normalizeColumnName (electron/, not importable here): how names match loosely. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.()@]/g, '');
}

/** The column a map key names, resolved in the backend's order: exact name, loose name, index. */
export function columnForKey(key: string, columns: readonly Column[]): number | undefined {
  const exact = columns.find((c) => c.name === key);
  if (exact) return exact.index;
  const loose = columns.find((c) => normalize(c.name) === normalize(key));
  if (loose) return loose.index;
  if (/^\d+$/.test(key) && Number(key) < columns.length) return Number(key);
  return undefined;
}

/**
 * The key the table writes for a column: its header name when that name leads back to it, else
 * its 0-based index (files without a header row, duplicate or empty names).
 */
export function keyForColumn(csv: CsvMappingInfo, index: number): string {
  const col = csv.columns[index];
  if (csv.hasHeader && col && columnForKey(col.name, csv.columns) === index) return col.name;
  return String(index);
}

/** The field shown for a column: the map's entry for it if any, else what the preview says. */
export function chosenTarget(csv: CsvMappingInfo, index: number, mapText: string): string {
  const { map } = parseColumnMap(mapText);
  let fromMap: string | undefined;
  for (const [key, field] of Object.entries(map)) {
    if (columnForKey(key, csv.columns) === index) fromMap = field;
  }
  return fromMap ?? csv.columns[index]?.field ?? UNMAPPED;
}

/**
 * The map text with one column set to `field`: lines that name this column are replaced by one
 * line at the end; other lines (including malformed ones, still flagged) are kept as typed.
 */
export function withColumnTarget(
  mapText: string,
  csv: CsvMappingInfo,
  index: number,
  field: string,
): string {
  const kept = mapText.split('\n').filter((raw) => {
    const line = raw.trim();
    if (!line) return false;
    const eq = line.indexOf('=');
    if (eq <= 0) return true;
    return columnForKey(line.slice(0, eq).trim(), csv.columns) !== index;
  });
  return [...kept, `${keyForColumn(csv, index)}=${field}`].join('\n');
}
