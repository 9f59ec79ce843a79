import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/electron/cli.mjs');
const ws = tempWorkspace('ss-cli-pipe-');
afterAll(() => ws.cleanup());

// The built CLI, as a shell pipeline runs it.
describe('the CLI in a pipe', () => {
  it('stops quietly when the reader closes early (`… | head -1`)', async () => {
    const db = ws.openCase('pipe.sscase');
    const t0 = Date.UTC(2024, 4, 1) * 1000;
    seedSource(
      db,
      'pipe',
      Array.from({ length: 50_000 }, (_, i) => ({ tsUs: t0 + i * 1000, path: `/p/${i}` })),
    );
    const file = db.name;
    db.close();
    const child = spawn(process.execPath, [CLI, 'requests', file, '--limit', '50000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Read the first chunk, then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
