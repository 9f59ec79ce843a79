import type {
  SessionVerdictDetail,
  verdictCalls,
  ReviewAction,
  VerdictReview,
} from '../../shared/contract/verdictApi.js';
import { AppError } from '../../shared/contract/errors.js';
import type {
  BotType,
  ReviewDecision,
  VerdictLevel,
  VerdictReason,
} from '../../shared/verdicts/types.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import { rebuildJobsFor } from './rebuildJobs.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof verdictCalls;

interface Row {
  level: VerdictLevel | null;
  botType: BotType | null;
  confidence: number | null;
  reasons: string | null;
  decision: ReviewDecision | null;
  note: string | null;
  at: string | null;
  reviewedLevel: VerdictLevel | null;
  reviewedBotType: BotType | null;
}

/** A session's verdict with its reasons and review; a session without a row has none. */
export function sessionVerdict(db: CaseDb, sid: string): SessionVerdictDetail {
  const row = db
    .prepare(
      `SELECT v.level, v.bot_type AS botType, v.confidence, v.reasons, r.decision, r.note, r.at,
         r.level AS reviewedLevel, r.bot_type AS reviewedBotType
       FROM sessions s
       LEFT JOIN session_verdicts v ON v.session_id = s.id
       LEFT JOIN verdict_reviews r ON r.sid = s.sid
       WHERE s.sid = ?`,
    )
    .get(sid) as Row | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No session ${sid} (rebuild the analysis?)`);
  const review: VerdictReview | null =
    row.decision === null
      ? null
      : {
          decision: row.decision,
          note: row.note,
          at: row.at!,
          level: row.reviewedLevel!,
          botType: row.reviewedBotType,
        };
  return {
    sessionId: sid,
    level: row.level ?? 'none',
    botType: row.botType,
    confidence: row.confidence ?? 0,
    reasons: row.reasons === null ? [] : (JSON.parse(row.reasons) as VerdictReason[]),
    review,
  };
}

const DECISION: Record<Exclude<ReviewAction, 'clear'>, ReviewDecision> = {
  confirm: 'confirmed',
  dismiss: 'dismissed',
};

/**
 * Records the investigator's decision on a session's verdict, keyed by the stable session id
 * so it survives rebuilds, and writes it to the audit log (with the verdict it was about).
 */
export function reviewVerdict(
  db: CaseDb,
  sid: string,
  action: ReviewAction,
  note: string | undefined,
): SessionVerdictDetail {
  return db.transaction(() => {
    const current = sessionVerdict(db, sid);
    const at = new Date().toISOString();
    if (action === 'clear') {
      db.prepare('DELETE FROM verdict_reviews WHERE sid = ?').run(sid);
    } else {
      db.prepare(
        `INSERT INTO verdict_reviews (sid, decision, note, level, bot_type, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (sid) DO UPDATE SET decision = excluded.decision, note = excluded.note,
           level = excluded.level, bot_type = excluded.bot_type, at = excluded.at`,
      ).run(sid, DECISION[action], note ?? null, current.level, current.botType, at);
    }
    audit(db, `verdict.${action}`, {
      session: sid,
      level: current.level,
      botType: current.botType,
      confidence: current.confidence,
      note: note ?? null,
      previous: current.review?.decision ?? null,
    });
    return sessionVerdict(db, sid);
  })();
}

export const verdictHandlers: HandlersFor<Calls> = {
  getSessionVerdict: (input, ctx: ApiContext) =>
    sessionVerdict(ctx.state.requireCase().db, input.sessionId),
  reviewVerdict: (input, ctx: ApiContext) => {
    // It writes the case: refused at once while a rebuild holds it, not after the lock's wait.
    rebuildJobsFor(ctx.events).assertIdle('review a verdict');
    return reviewVerdict(ctx.state.requireCase().db, input.sessionId, input.decision, input.note);
  },
};
