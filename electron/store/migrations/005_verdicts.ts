import type { Migration } from './index.js';

/**
 * Behavioural verdicts per session (shared/verdicts). `session_verdicts` is derived: the
 * verdicts step deletes and rewrites it on every rebuild, one row per session with a verdict
 * other than 'none' (a session without a row has none), keyed by the rebuilt sessions.id.
 * `verdict_reviews` is the investigator's: confirm or dismiss, keyed by the session's stable
 * sid so it outlives every rebuild; the level and bot type reviewed are kept beside it, so a
 * later change of verdict under a review can be seen. Every review is also in the audit log.
 */
export const m005Verdicts: Migration = {
  version: 5,
  name: 'session verdicts',
  sql: `
    CREATE TABLE session_verdicts (
      session_id INTEGER PRIMARY KEY,
      level TEXT NOT NULL CHECK (level IN ('suspicious', 'malicious')),
      bot_type TEXT NOT NULL,
      confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
      reasons TEXT NOT NULL
    ) STRICT;
    CREATE INDEX session_verdicts_level ON session_verdicts (level, session_id);

    CREATE TABLE verdict_reviews (
      sid TEXT PRIMARY KEY,
      decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
      note TEXT,
      level TEXT NOT NULL,
      bot_type TEXT,
      at TEXT NOT NULL
    ) STRICT;
  `,
};
