import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from './importSource.js';

const ws = tempWorkspace('ss-gz-cut-');
afterAll(() => ws.cleanup());

function log(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const sec = String(i % 60).padStart(2, '0');
    s += `10.0.${i % 250}.1 - - [01/Mar/2024:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${sec} +0000] "GET /api/items/${i}?q=${'x'.repeat(i % 40)} HTTP/1.1" 200 ${i} "-" "agent ${i % 7}"\n`;
  }
  return s;
}

describe('a gzip file cut short', () => {
  it('keeps every whole line, rejects the cut one with the reason, and hashes the file as it is', async () => {
    const whole = gzipSync(log(20_000));
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const file = path.join(ws.dir, 'cut.log.gz');
    writeFileSync(file, cut);
    // What can be read of it, independently: every byte up to the cut.
    const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    const wholeLines = readable.split('\n').length - 1;
    const tail = readable.slice(readable.lastIndexOf('\n') + 1);
    expect(wholeLines).toBeGreaterThan(1000);
    expect(tail.length).toBeGreaterThan(0);

    const db = ws.openCase('cut.sscase');
    const r = await importSource(db, file);
    expect(r.status).toBe('complete');
    expect([r.accepted, r.rejected]).toEqual([wholeLines, 1]);
    const rej = db.prepare('SELECT line_no AS lineNo, reason, raw FROM rejects').get() as {
      lineNo: number;
      reason: string;
      raw: Buffer;
    };
    expect(rej.lineNo).toBe(wholeLines + 1);
    expect(rej.reason).toMatch(/^the gzip data ends early/);
    expect(rej.raw.toString()).toBe(tail);
    const sha = db.prepare('SELECT sha256 FROM sources').pluck().get();
    expect(sha).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    db.close();
  });
});
