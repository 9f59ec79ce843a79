import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type AnalysisSettings } from '../../../shared/analysis/settings.js';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

let ws: ReturnType<typeof tempWorkspace>;
let kase: string;

const LOG =
  [0, 5, 90]
    .map(
      (min) =>
        `10.0.0.1 - - [01/Mar/2024:1${Math.floor(min / 60)}:${String(min % 60).padStart(2, '0')}:00 +0000] "GET /a HTTP/1.1" 200 512 "-" "Firefox"`,
    )
    .join('\n') + '\n';

beforeEach(async () => {
  ws = tempWorkspace('ss-cli-rebuild-');
  kase = `${ws.dir}/c.sscase`;
  expect((await cli('import', kase, ws.file('access.log', LOG))).code).toBe(0);
});
afterEach(() => ws.cleanup());

/** The settings after each audited change, oldest first. */
async function settingsChanges(): Promise<AnalysisSettings[]> {
  const r = await cli('audit', kase, '--action', 'analysis.settings', '--json');
  expect(r.code).toBe(0);
  const entries = (JSON.parse(r.out) as { entries: { details: { after: AnalysisSettings } }[] })
    .entries;
  return entries.map((e) => e.details.after);
}

const rebuildWith = (settings: unknown) =>
  cli('rebuild', kase, '--settings', ws.file('s.json', JSON.stringify(settings)));

describe('rebuild --settings', () => {
  it('refuses misspelt settings, naming each and the one meant, and changes nothing', async () => {
    await rebuildWith({
      inactivityTimeoutMin: 1,
      contextParams: [{ kind: 'cookie', name: 'tracking' }],
    });
    const r = await rebuildWith({ inactivityTimeout: 5, outliers: { zthreshold: 2 } });
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'unknown setting "inactivityTimeout" (did you mean "inactivityTimeoutMin"?)',
    );
    expect(r.err).toContain(
      'unknown setting "outliers.zthreshold" (did you mean "outliers.zThreshold"?)',
    );
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const changes = await settingsChanges();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.inactivityTimeoutMin).toBe(1);
  });

  it('changes only the settings the file names; the rest keep their current values', async () => {
    await rebuildWith({
      inactivityTimeoutMin: 1,
      contextParams: [{ kind: 'cookie', name: 'tracking' }],
      outliers: { minSamples: 50 },
    });
    const r = await rebuildWith({ maxSessionHours: 12, outliers: { zThreshold: 2 } });
    expect([r.code, r.err]).toEqual([0, '']);
    const after = (await settingsChanges()).at(-1)!;
    const d = defaultSettings();
    expect(after).toEqual({
      ...d,
      inactivityTimeoutMin: 1,
      maxSessionHours: 12,
      contextParams: [{ kind: 'cookie', name: 'tracking', names: 'session', secret: false }],
      outliers: { ...d.outliers, minSamples: 50, zThreshold: 2 },
    });
    // A list given is taken whole: [] removes the investigator's parameters.
    expect((await rebuildWith({ contextParams: [] })).code).toBe(0);
    expect((await settingsChanges()).at(-1)).toEqual({ ...after, contextParams: [] });
  });

  it('says what is wrong with a value, and refuses a file that is not one object', async () => {
    const bad = await rebuildWith({ contextParams: [{ kind: 'header' }], maxSessionHours: '2' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /contextParams\[0\]\.name is missing; maxSessionHours must be a number/,
    );
    expect(bad.err).not.toMatch(/Invalid input/);
    const list = await rebuildWith([{ inactivityTimeoutMin: 5 }]);
    expect([list.code, list.err]).toEqual([
      1,
      expect.stringContaining('must hold one JSON object'),
    ]);
    expect(await settingsChanges()).toEqual([]);
  });
});
