import type { CsvMappingInfo, SampleHosts } from '../../shared/contract/caseApi.js';
import type { FormatDef } from './formats/types.js';

/**
 * Of a file's first lines (the import preview's sample), how many read as requests and how
 * many of those name no host: the import form then suggests "Host for lines without one"
 * before the file is imported, where the import's warning (importWarnings.ts) would only say
 * so after. Null when the sample says nothing (no format, a JSON document or HAR, whose
 * elements the sample does not hold whole).
 */
export function sampleHosts(
  format: FormatDef | null,
  lines: readonly string[],
  tz: string,
  csv: CsvMappingInfo | null,
): SampleHosts | null {
  let read = 0;
  let withoutHost = 0;
  if (csv !== null) {
    for (const p of csv.preview) {
      if (!('record' in p)) continue;
      read++;
      if (!p.record.host) withoutHost++;
    }
  } else if (format?.kind === 'line') {
    let parser;
    try {
      parser = format.createParser({ tz });
    } catch {
      return null;
    }
    lines.forEach((text, i) => {
      let r;
      try {
        r = parser.parse(text, i + 1);
      } catch {
        return;
      }
      if (typeof r === 'string') return;
      read++;
      if (!r.host) withoutHost++;
    });
  }
  return read > 0 ? { read, withoutHost } : null;
}
