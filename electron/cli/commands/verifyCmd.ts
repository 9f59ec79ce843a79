import { verifySources, type VerifyResult } from '../../ingest/verifySources.js';
import { audit } from '../../store/auditLog.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, table, type Command } from '../command.js';

/** What the audit trail keeps of one run: the outcome, counts, and each source's verdict. */
export function verifyAuditDetails(results: VerifyResult[]): Record<string, unknown> {
  const count = (s: VerifyResult['status']): number => results.filter((r) => r.status === s).length;
  return {
    outcome: results.every((r) => r.status === 'match') ? 'match' : 'failed',
    sources: results.length,
    match: count('match'),
    mismatch: count('mismatch'),
    missing: count('missing'),
    results: results.map((r) => ({
      sourceId: r.sourceId,
      file: r.file,
      status: r.status,
      sha256: r.sha256,
      actualSha256: r.actualSha256,
    })),
  };
}

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify <case> [--json]',
  summary: 're-hash each source and report match / mismatch / missing',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    // Opened for writing: the check of the evidence is itself evidence handling, so its
    // outcome goes to the case's audit trail (the source files are only read).
    const db = openCase(args.positionals[0]!, { create: false });
    try {
      const results = await verifySources(db);
      audit(db, 'verify', verifyAuditDetails(results));
      if (args.values.json) printJson(io, { sources: results });
      else
        io.out(
          table(
            results.map((r) => [r.sourceId, r.status, r.file, r.sha256]),
            ['id', 'status', 'file', 'sha256'],
          ),
        );
      return results.every((r) => r.status === 'match') ? 0 : 1;
    } finally {
      db.close();
    }
  },
};
