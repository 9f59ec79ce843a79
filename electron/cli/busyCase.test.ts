import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase } from '../store/openCase.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-busy-');
});
afterEach(() => ws.cleanup());

describe('a command on a case another process is writing', () => {
  it('says the case is busy and what to do (exit 1), not an internal error', async () => {
    const casePath = `${ws.dir}/busy.sscase`;
    openCase(casePath).close();
    // As the app's rebuild or import holds it for its whole transaction.
    const other = openCase(casePath);
    other.exec('BEGIN IMMEDIATE');
    try {
      // Waits out the case's busy timeout (5 s), then gives up.
      const r = await cli('rebuild', casePath);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        'sessionscope rebuild: The case is busy: a rebuild or an import is writing to it. Try again when it has finished (or cancel it).\n',
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await cli('rebuild', casePath)).code).toBe(0);
  }, 20_000);
});
