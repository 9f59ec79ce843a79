import type { RejectInfo, SourceInfo } from '../../shared/contract/caseApi';

/**
 * A test source: `/logs/<fileName>`, combined, 12 lines of which 10 accepted and 2 rejected,
 * its requests from 09:00 to 09:59 UTC on 2026-11-27, complete; `over` changes any field.
 */
export function sourceInfo(
  id: number,
  fileName: string,
  over: Partial<SourceInfo> = {},
): SourceInfo {
  return {
    id,
    path: `/logs/${fileName}`,
    fileName,
    sizeBytes: 10,
    sha256: 'ab',
    format: 'combined',
    tz: null,
    withoutOffset: null,
    assumedHost: null,
    firstUs: Date.UTC(2026, 10, 27, 9) * 1000,
    lastUs: Date.UTC(2026, 10, 27, 9, 59) * 1000,
    importedAt: '2026-11-27T10:00:00Z',
    lines: 12,
    accepted: 10,
    rejected: 2,
    status: 'complete',
    ...over,
  };
}

/** Rejected line `lineNo` of source `sourceId`, its reason naming both. */
export function rejectInfo(sourceId: number, lineNo: number): RejectInfo {
  return {
    id: sourceId * 100 + lineNo,
    sourceId,
    lineNo,
    reason: `bad line ${lineNo} of ${sourceId}`,
    raw: 'x',
    rawLength: 1,
    truncated: false,
  };
}
