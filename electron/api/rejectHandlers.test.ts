import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ImportDoneEvent,
  Page,
  RejectBytes,
  RejectInfo,
} from '../../shared/contract/caseApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { inProcessRunner } from './importRunner.js';

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;

beforeEach(() => {
  ws = tempWorkspace('ss-reject-api-');
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'userdata'),
    demoCaptureDir: path.join(ws.dir, 'no-demo'),
    runner: inProcessRunner,
  });
});
afterEach(async () => {
  await backend.dispose();
  ws.cleanup();
});

const LINE = '10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET /p HTTP/1.1" 200 1 "-" "ua"';

async function importLog(content: Buffer): Promise<void> {
  const { ctx } = backend;
  expect((await dispatch('createCase', { path: path.join(ws.dir, 'c.sscase') }, ctx)).ok).toBe(
    true,
  );
  const done = new Promise<ImportDoneEvent>((resolve) => {
    const off = ctx.events.subscribe((event, payload) => {
      if (event !== 'importDone') return;
      off();
      resolve(payload as ImportDoneEvent);
    });
  });
  const log = ws.file('access.log', content);
  expect((await dispatch('startImport', { paths: [log], format: 'combined' }, ctx)).ok).toBe(true);
  expect((await done).error).toBeNull();
}

describe('rejected lines’ bytes', () => {
  it('marks a line whose bytes are not UTF-8 in the list; its bytes come one line at a time', async () => {
    // Latin-1 "café" and a lone continuation byte: not UTF-8, shown with U+FFFD as text.
    const latin = Buffer.from('not a log line: caf\xe9 \x80\n', 'latin1');
    await importLog(Buffer.concat([Buffer.from(`${LINE}\ngarbage ü\n`), latin]));
    const { ctx } = backend;
    const page = await dispatch('listRejects', {}, ctx);
    if (!page.ok) throw new Error(page.error.message);
    const items = (page.value as Page<RejectInfo>).items;
    expect(items.map((r) => [r.lineNo, r.raw, r.notUtf8])).toEqual([
      [2, 'garbage ü', undefined],
      [3, 'not a log line: caf\uFFFD \uFFFD', true],
    ]);
    // A page carries no bytes: they are asked for with the one line shown.
    expect(items.every((r) => !('rawBase64' in r))).toBe(true);

    const bytes = await dispatch('getRejectBytes', { id: items[1]!.id }, ctx);
    expect(bytes).toEqual({
      ok: true,
      value: { id: items[1]!.id, rawBase64: latin.subarray(0, -1).toString('base64') },
    });
    const value = bytes.ok ? (bytes.value as RejectBytes) : null;
    expect(Buffer.from(value?.rawBase64 ?? '', 'base64')).toEqual(latin.subarray(0, -1));

    const missing = await dispatch('getRejectBytes', { id: 9999 }, ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = await dispatch('getRejectBytes', { id: 'x' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
