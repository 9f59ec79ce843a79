import { sessionIdSchema } from '../../../shared/contract/analysisApi.js';
import {
  REVIEW_ACTIONS,
  type ReviewAction,
  type SessionVerdictDetail,
} from '../../../shared/contract/verdictApi.js';
import { BOT_TYPE_LABEL, reasonText } from '../../../shared/verdicts/reasonText.js';
import { reviewVerdict, sessionVerdict } from '../../api/verdictHandlers.js';
import { openCase } from '../../store/openCase.js';
import {
  needPositionals,
  printJson,
  str,
  UsageError,
  type Command,
  type CliIO,
} from '../command.js';
import { terminalText } from '../terminalText.js';

function printVerdict(io: CliIO, v: SessionVerdictDetail): void {
  const type = v.botType ? ` (${BOT_TYPE_LABEL[v.botType]})` : '';
  io.out(
    `session ${v.sessionId}: ${v.level}${type}, confidence ${Math.round(v.confidence * 100)}%`,
  );
  for (const r of v.reasons) io.out(`  - ${reasonText(r)}`);
  if (v.review) {
    // The note is the investigator's text, but shown on a terminal all the same: no escapes.
    const note = terminalText(v.review.note ?? '');
    io.out(`review: ${v.review.decision} at ${v.review.at}${note ? ` — ${note}` : ''}`);
  }
}

export const verdictCommand: Command = {
  name: 'verdict',
  usage: 'verdict <case> <session-id> [confirm|dismiss|clear] [--note TEXT] [--json]',
  summary:
    "a session's behavioural verdict with its reasons; confirm, dismiss or clear it (audited)",
  options: { note: { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 3,
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const id = args.positionals[1]!;
    if (!sessionIdSchema.safeParse(id).success) throw new UsageError(`"${id}" is not a session id`);
    const action = args.positionals[2];
    if (action !== undefined && !(REVIEW_ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`the decision must be one of ${REVIEW_ACTIONS.join(', ')}`);
    const note = str(args.values.note);
    if (note !== undefined && action === undefined)
      throw new UsageError('--note goes with confirm or dismiss');
    if (note !== undefined && note.length > 2000)
      throw new UsageError('--note: at most 2000 characters');
    const db = openCase(args.positionals[0]!, { create: false, readonly: action === undefined });
    try {
      const v =
        action === undefined
          ? sessionVerdict(db, id)
          : reviewVerdict(db, id, action as ReviewAction, note);
      if (args.values.json) printJson(io, v);
      else printVerdict(io, v);
      return 0;
    } finally {
      db.close();
    }
  },
};
