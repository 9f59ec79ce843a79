import { AppError } from '../../shared/contract/errors.js';
import { audit } from './auditLog.js';
import type { CaseDb } from './openCase.js';
import { removeSource } from './sourcesRepo.js';

/** What a removal took out of the case. */
export interface RemovedSource {
  sourceId: number;
  /** The path the source was imported from, as given (as `info` and the audit trail show it). */
  file: string;
  sha256: string;
  /** The requests and rejected lines deleted with it, as stored (counted before the delete). */
  requests: number;
  rejects: number;
}

/**
 * Removes a source with everything imported from it and audits it (`source.remove`), in one
 * transaction: the case never holds the removal without its audit entry, nor the reverse. The
 * derived tables are left as they were (no longer current): the caller re-derives them, or
 * the case says its analysis is out of date. An id the case does not have is NOT_FOUND.
 */
export function removeSourceAudited(db: CaseDb, sourceId: number): RemovedSource {
  return db.transaction((): RemovedSource => {
    const source = db
      .prepare(
        `SELECT path_given AS file, sha256, accepted, rejected,
          (SELECT count(*) FROM requests WHERE source_id = sources.id) AS requests,
          (SELECT count(*) FROM rejects WHERE source_id = sources.id) AS rejects
         FROM sources WHERE id = ?`,
      )
      .get(sourceId) as
      | {
          file: string;
          sha256: string;
          accepted: number;
          rejected: number;
          requests: number;
          rejects: number;
        }
      | undefined;
    if (!source) throw new AppError('NOT_FOUND', `No source ${sourceId} in this case.`);
    removeSource(db, sourceId);
    audit(db, 'source.remove', {
      sourceId,
      file: source.file,
      sha256: source.sha256,
      accepted: source.accepted,
      rejected: source.rejected,
    });
    return {
      sourceId,
      file: source.file,
      sha256: source.sha256,
      requests: source.requests,
      rejects: source.rejects,
    };
  })();
}
