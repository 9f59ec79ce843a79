import { verifySources, type VerifyResult } from '../../ingest/verifySources.js';
import { assertNever } from '../../../shared/contract/errors.js';
import { audit } from '../../store/auditLog.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, table, type Command } from '../command.js';
import { terminalText } from '../terminalText.js';

/** What the audit trail keeps of one run: the outcome, counts, and each source's verdict. */
export function verifyAuditDetails(results: VerifyResult[]): Record<string, unknown> {
  const count = (s: VerifyResult['status']): number => results.filter((r) => r.status === s).length;
  return {
    outcome: results.every((r) => r.status === 'match') ? 'match' : 'failed',
    sources: results.length,
    match: count('match'),
    mismatch: count('mismatch'),
    missing: count('missing'),
    notAFile: count('not_a_file'),
    results: results.map((r) => ({
      sourceId: r.sourceId,
      file: r.file,
      status: r.status,
      sha256: r.sha256,
      actualSha256: r.actualSha256,
      reason: r.reason,
    })),
  };
}

// A path may hold control characters; the reason stays one line.
const printable = terminalText;

/** What is wrong with a source, after its name. */
function failureWords(r: VerifyResult): string {
  switch (r.status) {
    case 'missing':
      return ' is missing';
    case 'not_a_file':
      // The reason names what is there (a FIFO, a device, a folder), which was not read.
      return `: ${printable(r.reason ?? 'not a regular file; it was not read')}`;
    case 'mismatch':
      return ` has changed: ${printable(r.reason ?? 'its SHA-256 differs')}`;
    case 'match':
      return ' matches';
    default:
      return assertNever(r.status, 'verify status');
  }
}

/** The one-line reason a run fails: which sources, and whether changed or gone (a few named). */
export function verifyFailureLine(results: VerifyResult[]): string | null {
  const failed = results.filter((r) => r.status !== 'match');
  if (failed.length === 0) return null;
  const SHOWN = 3;
  const what = failed
    .slice(0, SHOWN)
    .map((r) => `source ${r.sourceId} (${printable(r.file)})${failureWords(r)}`);
  if (failed.length > SHOWN) what.push(`${failed.length - SHOWN} more`);
  return `${failed.length} of ${results.length} sources do not match what was imported: ${what.join('; ')}`;
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
      const failure = verifyFailureLine(results);
      // The listing (or JSON) says it per source; stderr says why the exit code is 1.
      if (failure !== null) io.err(`sessionscope verify: ${failure}`);
      return failure === null ? 0 : 1;
    } finally {
      db.close();
    }
  },
};
