import type { CaseDb } from '../store/openCase.js';
import { parseHeaders } from './detectRows.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { loadPatternRules } from './ruleVerdicts.js';

interface Row {
  id: number;
  path: string | null;
  query: string | null;
  reqBody: string | null;
  cookies: string | null;
  headers: string | null;
  userAgent: string | null;
}

/**
 * Rewrites `request_tags` from the enabled tag rules. With none, it only clears the table, so
 * a case without tag rules pays no scan.
 */
export function tagRequests(db: CaseDb, batchSize = 2000): { tags: number } {
  const rules = loadPatternRules(db, 'tag');
  db.prepare('DELETE FROM request_tags').run();
  if (rules.length === 0) return { tags: 0 };
  const wantsHeaders = db
    .prepare("SELECT 1 FROM rules WHERE kind = 'tag' AND enabled = 1 AND field = 'header' LIMIT 1")
    .get();
  const select = db.prepare(
    `SELECT id, path, query, req_body AS reqBody, cookies,
       ${wantsHeaders ? 'headers' : 'NULL AS headers'}, user_agent AS userAgent
     FROM requests WHERE id > ? ORDER BY id LIMIT ?`,
  );
  // Two rules may give one label; the first (lowest id) is recorded.
  const insert = db.prepare(
    'INSERT OR IGNORE INTO request_tags (tag, request_id, rule_ref) VALUES (?, ?, ?)',
  );
  let tags = 0;
  let after = 0;
  for (;;) {
    const rows = select.all(after, batchSize) as Row[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const req = {
        path: r.path,
        query: r.query,
        body: r.reqBody,
        cookies: r.cookies,
        headers: parseHeaders(r.headers),
        userAgent: r.userAgent,
      };
      for (const rule of rules) {
        if (rule.matcher.find(req) !== null) tags += insert.run(rule.type, r.id, rule.id).changes;
      }
    }
    after = rows[rows.length - 1]!.id;
  }
  return { tags };
}

/** Custom tags: after detection, independent of sessions (tags belong to requests). */
export const tagStep: RebuildStep = {
  name: 'custom tags',
  order: 75,
  run(ctx: RebuildContext) {
    ctx.stats['requestTags'] = tagRequests(ctx.db).tags;
  },
};
