import { existsSync } from 'node:fs';
import type { CaseDb } from '../store/openCase.js';
import { listSources } from '../store/sourcesRepo.js';
import { hashFile } from './sourceFile.js';

export type VerifyStatus = 'match' | 'mismatch' | 'missing';

export interface VerifyResult {
  sourceId: number;
  file: string;
  sha256: string;
  status: VerifyStatus;
  actualSha256: string | null;
}

/** Re-hashes every source file still at its recorded path and compares with the case. */
export async function verifySources(db: CaseDb): Promise<VerifyResult[]> {
  const out: VerifyResult[] = [];
  for (const s of listSources(db)) {
    if (!existsSync(s.pathGiven)) {
      out.push({
        sourceId: s.id,
        file: s.pathGiven,
        sha256: s.sha256,
        status: 'missing',
        actualSha256: null,
      });
      continue;
    }
    let actual: string | null;
    try {
      actual = await hashFile(s.pathGiven);
    } catch {
      actual = null;
    }
    out.push({
      sourceId: s.id,
      file: s.pathGiven,
      sha256: s.sha256,
      status: actual === null ? 'missing' : actual === s.sha256 ? 'match' : 'mismatch',
      actualSha256: actual,
    });
  }
  return out;
}
