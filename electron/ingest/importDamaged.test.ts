import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { runCli } from '../cli/runCli.js';

const ws = tempWorkspace('ss-damaged-');
afterAll(() => ws.cleanup());

interface Source {
  file: string;
  lines: number;
  accepted: number;
  rejected: number;
  status: string;
  warning: string | null;
}

async function importJson(name: string, file: string): Promise<Source> {
  const out: string[] = [];
  const code = await runCli(['import', path.join(ws.dir, name), file, '--json'], {
    out: (s) => out.push(s),
    err: () => undefined,
    errIsTty: false,
  });
  expect(code).toBe(0);
  return (JSON.parse(out.join('\n')) as { sources: Source[] }).sources[0]!;
}

const entries = Array.from({ length: 6 }, (_, i) => ({
  startedDateTime: `2024-05-01T10:00:0${i}.000Z`,
  request: { method: 'GET', url: `https://shop.example/p${i + 1}` },
  response: { status: 200 },
}));
const whole = JSON.stringify({ log: { version: '1.2', entries } });

describe('import of a JSON source only part of which could be read', () => {
  it('says so in the warning, with the bytes, even when most entries were read', async () => {
    const at = whole.indexOf('"startedDateTime":"2024-05-01T10:00:03.000Z",');
    const mid = ws.file(
      'mid.har',
      `${whole.slice(0, at)}"startedDateTime":}${whole.slice(at + 45)}`,
    );
    const s = await importJson('mid.sscase', mid);
    expect(s).toMatchObject({ lines: 6, accepted: 5, rejected: 1, status: 'complete' });
    expect(s.warning).toMatch(
      /^part of the file could not be read: HAR entry 4 is cut off or malformed: .*; bytes \d+ to \d+ could not be read; reading resumed at byte \d+$/,
    );

    // Broken after the entries: the rest of the file is a reject, and the warning says so.
    const tail = ws.file('tail.har', `${whole.slice(0, -2)}, "pages": ]}} trailing`);
    const t = await importJson('tail.sscase', tail);
    expect(t).toMatchObject({ lines: 7, accepted: 6, rejected: 1 });
    expect(t.warning).toMatch(
      /^part of the file could not be read: invalid JSON after 6 HAR entries: unexpected "]" at byte \d+; the rest of the input \(12 bytes, \d+ to \d+\) was not read$/,
    );

    // A whole file with an unusable entry: a reject, but nothing unread.
    const ok = ws.file(
      'ok.har',
      whole.replace('"startedDateTime":"2024-05-01T10:00:05.000Z",', ''),
    );
    expect(await importJson('ok.sscase', ok)).toMatchObject({ rejected: 1, warning: null });
  });
});
