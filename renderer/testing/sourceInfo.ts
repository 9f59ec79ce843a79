import type { RejectInfo, SourceInfo } from '../../shared/contract/caseApi';

/**
 * A test source: `/logs/<fileName>`, combined, 12 lines of which 10 accepted and 2 rejected,
 * complete; `over` changes any field.
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
