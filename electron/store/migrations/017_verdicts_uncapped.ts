import type { Migration } from './index.js';

/**
 * A declared crawler's verdict before its cap (shared/verdicts/declaredBot.ts), kept beside the
 * stored verdict as JSON (`uncapped`: level, bot type, confidence; null when the judging capped
 * nothing), so that a partial rebuild that moves a session's attacks (a false-positive mark, a
 * suppress, detect or tag rule) lifts or restores the cap as a full rebuild would, without
 * judging again. The partial index holds the few capped rows that partial rebuild reads. A case
 * analysed before has none kept: its analysis is made stale, so the next change runs a full
 * rebuild (one with no verdicts has no cap to decide).
 */
export const m017VerdictsUncapped: Migration = {
  version: 17,
  name: 'verdicts before the crawler cap',
  sql: `
    ALTER TABLE session_verdicts ADD COLUMN uncapped TEXT;
    CREATE INDEX session_verdicts_capped ON session_verdicts (session_id)
      WHERE uncapped IS NOT NULL;
    DELETE FROM analysis_state
      WHERE key = 'analysis_basis' AND EXISTS (SELECT 1 FROM session_verdicts);
  `,
};
