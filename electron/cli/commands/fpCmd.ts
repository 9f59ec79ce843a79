import { MARK_SCOPES, type MarkScope } from '../../../shared/contract/rulesApi.js';
import type { DetectionInfo } from '../../../shared/contract/detectApi.js';
import { requestDetections } from '../../api/detectHandlers.js';
import { afterChange, recordMark, recordRuleDelete, recordUnmark } from '../../rules/rulesDb.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, str, UsageError, type Command } from '../command.js';

/** The key a verdict of this scope is recorded under, so one run records each once. */
function scopeKey(d: DetectionInfo, scope: MarkScope): string {
  switch (scope) {
    case 'request':
    case 'signature':
      return `${d.ruleId}\u0000${d.param ?? ''}`;
    case 'type':
      return `${d.type}\u0000${d.param ?? ''}`;
    case 'all':
      return d.param ?? '';
  }
}

export const fpCommand: Command = {
  name: 'fp',
  usage:
    'fp <case> <request-id> [--rule RULE_ID] [--scope request|signature|type|all] [--tp] [--undo] [--note N] [--json]',
  summary: 'mark findings on a request false (or true) positives, or undo; rule scopes add a rule',
  options: {
    rule: { type: 'string' },
    scope: { type: 'string' },
    tp: { type: 'boolean' },
    undo: { type: 'boolean' },
    note: { type: 'string' },
    json: { type: 'boolean' },
  },
  maxPositionals: 2,
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const [file, idArg] = args.positionals;
    const requestId = Number(idArg);
    if (!Number.isSafeInteger(requestId) || requestId < 1) {
      throw new UsageError(
        'the request id is a positive integer (the `request` column of attacks)',
      );
    }
    const scope = (str(args.values.scope) ?? 'request') as MarkScope;
    if (!MARK_SCOPES.includes(scope)) {
      throw new UsageError(`--scope must be one of ${MARK_SCOPES.join(', ')}`);
    }
    const tp = args.values.tp === true;
    const undo = args.values.undo === true;
    if (tp && scope !== 'request')
      throw new UsageError('a true positive is marked on its request only');
    if (tp && undo) throw new UsageError('--undo removes any verdict; leave out --tp');
    const note = str(args.values.note);
    if (note !== undefined && note.length > 2000) throw new UsageError('--note is too long');
    const rule = str(args.values.rule);

    const db = openCase(file!, { create: false });
    try {
      const all = requestDetections(db, requestId);
      const targets = all.filter(
        // A source's own label is its verdict: marked only when named with --rule.
        (d) => (rule === undefined ? d.source !== 'source-label' : d.ruleId === rule),
      );
      if (targets.length === 0) {
        throw new UsageError(
          all.length === 0
            ? `request ${requestId} has no findings`
            : `request ${requestId} has no finding of rule ${rule}`,
        );
      }
      const changes: string[] = [];
      if (undo) {
        const rules = new Set<number>();
        for (const d of targets) {
          if (d.markId !== null && recordUnmark(db, d.markId))
            changes.push(`mark ${d.markId} removed (${d.ruleId})`);
          if (d.ruleRef !== null && !rules.has(d.ruleRef)) {
            rules.add(d.ruleRef);
            recordRuleDelete(db, d.ruleRef);
            changes.push(`rule ${d.ruleRef} deleted`);
          }
        }
        if (changes.length === 0) throw new UsageError('no verdict to undo on these findings');
      } else {
        const seen = new Set<string>();
        for (const d of targets) {
          const key = scopeKey(d, scope);
          if (seen.has(key)) continue;
          seen.add(key);
          const r = recordMark(db, {
            detectionId: d.id,
            verdict: tp ? 'true_positive' : 'false_positive',
            scope,
            ...(note !== undefined ? { note } : {}),
          });
          changes.push(
            r.markId !== null
              ? `${d.ruleId}${d.param === null ? '' : ` (${d.param})`}: ${tp ? 'true' : 'false'} positive, mark ${r.markId}`
              : `${d.ruleId}: suppress rule ${r.ruleRef} (scope ${scope})`,
          );
        }
      }
      // Marks and suppress rules only re-judge the stored findings: no request scan.
      const r = afterChange(db, requestId, 'marks');
      if (args.values.json === true) {
        printJson(io, {
          requestId,
          changes,
          detections: r.detections,
          falsePositives: r.falsePositives,
          findings: requestDetections(db, requestId),
        });
      } else {
        for (const c of changes) io.out(c);
        io.out(`${r.detections} findings counted, ${r.falsePositives} false positives set aside`);
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
