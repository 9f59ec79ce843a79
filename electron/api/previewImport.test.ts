import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { caseHandlers } from './caseHandlers.js';

const ws = tempWorkspace('ss-preview-');
afterAll(() => ws.cleanup());

// previewImport ignores ctx; the handler signature still wants one.
const preview = (input: Parameters<typeof caseHandlers.previewImport>[0]) =>
  caseHandlers.previewImport(input, {} as never);

describe('previewImport', () => {
  it('describes the columns of a CSV whose headers nothing recognises, so they can be mapped', async () => {
    const file = ws.file(
      'unknown-headers.csv',
      'when,who,what,code\n2024-10-10T13:55:36Z,203.0.113.9,GET /a HTTP/1.1,200\n',
    );
    const auto = await preview({ path: file });
    expect(auto.csv?.columns.map((c) => c.name)).toEqual(['when', 'who', 'what', 'code']);
    const chosen = await preview({ path: file, format: 'csv' });
    expect(chosen.csv).not.toBeNull();
  });

  it('shows no CSV table for a file that is not CSV', async () => {
    const file = ws.file(
      'access.log',
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "curl/8"\n',
    );
    const r = await preview({ path: file });
    expect(r.format).toBe('combined');
    expect(r.csv).toBeNull();
  });
});
