import { afterEach, describe, expect, it } from 'vitest';
import { openCase, type CaseDb } from '../openCase.js';

let db: CaseDb;
afterEach(() => db.close());

describe('migration 5: session verdicts', () => {
  it('creates the derived verdicts and the kept reviews with their constraints', () => {
    db = openCase(':memory:');
    const insVerdict = db.prepare(
      'INSERT INTO session_verdicts (session_id, level, bot_type, confidence, reasons) VALUES (?, ?, ?, ?, ?)',
    );
    insVerdict.run(1, 'malicious', 'account_takeover', 0.94, '[]');
    // 'none' is the absence of a row, never a row.
    expect(() => insVerdict.run(2, 'none', 'scraping', 0.5, '[]')).toThrow(/CHECK/);
    expect(() => insVerdict.run(3, 'suspicious', 'scraping', 1.5, '[]')).toThrow(/CHECK/);
    expect(() => insVerdict.run(1, 'suspicious', 'scraping', 0.5, '[]')).toThrow(/UNIQUE|PRIMARY/);

    const insReview = db.prepare(
      'INSERT INTO verdict_reviews (sid, decision, note, level, bot_type, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insReview.run('s0000000000000001', 'confirmed', null, 'malicious', 'scraping', 'now');
    expect(() =>
      insReview.run('s0000000000000002', 'approved', null, 'malicious', null, 'now'),
    ).toThrow(/CHECK/);
    expect(() =>
      insReview.run('s0000000000000001', 'dismissed', null, 'malicious', null, 'now'),
    ).toThrow(/UNIQUE|PRIMARY/);
  });
});
