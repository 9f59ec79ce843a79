import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';

/*
 * The `--json` output is a public interface (README, CLI): scripts read its field names. This
 * test runs every command that prints JSON on the demo capture and compares the field paths of
 * what it prints with those recorded in test/fixtures/cli/json-shapes.json. A field renamed or
 * gone fails it; so does a new one, until it is recorded on purpose:
 *   UPDATE_JSON_SHAPES=1 npx vitest run electron/cli/jsonShapes.test.ts
 * (then document the new field in the README).
 */

const SHAPES = fileURLToPath(new URL('../../test/fixtures/cli/json-shapes.json', import.meta.url));
const DEMO = fileURLToPath(new URL('../../resources/demo/', import.meta.url));
const update = process.env['UPDATE_JSON_SHAPES'] === '1';

/** Fields whose keys are the capture's, not names (header names, a source's own fields). */
const DATA_KEYED = new Set(['extra', 'headers', 'respHeaders', 'statusMix']);

/**
 * The field paths of a JSON value: `a.b`, `list[].c`. Inside a field whose keys are data, or
 * under a key that is not a field name (a status code, a header with a dash), only `*`: the
 * paths name the interface, not the capture.
 */
function fieldPaths(value: unknown, at = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    into.add(`${at}[]`);
    for (const v of value) fieldPaths(v, `${at}[]`, into);
  } else if (value !== null && typeof value === 'object') {
    const data = DATA_KEYED.has(at.slice(at.lastIndexOf('.') + 1));
    for (const [k, v] of Object.entries(value)) {
      const named = !data && /^[a-z][A-Za-z0-9_]*$/.test(k);
      const path = named ? (at === '' ? k : `${at}.${k}`) : `${at}.*`;
      into.add(path);
      if (named) fieldPaths(v, path, into);
    }
  }
  return into;
}

describe('fieldPaths', () => {
  it('names fields, walks arrays, and folds keys that are data', () => {
    const paths = fieldPaths({
      sessions: [
        { id: 'a', flows: [{ flow: 'Auth' }] },
        { id: 'b', spec_path: null },
      ],
      statusMix: { '200': 3, '4xx': 1 },
      headers: { 'user-agent': 'x', accept: '*/*' },
      extra: { level: 'info', nested: { a: 1 } },
      nextCursor: null,
    });
    expect([...paths].sort()).toEqual([
      'extra',
      'extra.*',
      'headers',
      'headers.*',
      'nextCursor',
      'sessions',
      'sessions[]',
      'sessions[].flows',
      'sessions[].flows[]',
      'sessions[].flows[].flow',
      'sessions[].id',
      'sessions[].spec_path',
      'statusMix',
      'statusMix.*',
    ]);
  });
});

describe('CLI --json field names', () => {
  const ws = tempWorkspace('ss-cli-json-');
  const casePath = `${ws.dir}/demo.sscase`;
  const shapes: Record<string, string[]> = {};

  /** Runs one command with --json, expecting success, and records its field paths. */
  async function json(name: string, ...args: string[]): Promise<unknown> {
    const r = await cli(...args, '--json');
    expect(r.code, `${name}: ${r.err}`).toBe(0);
    const value = JSON.parse(r.out) as unknown;
    shapes[name] = [...fieldPaths(value)].sort();
    return value;
  }

  beforeAll(async () => {
    // The demo capture, plus a file with a line that is not JSON (a reject, and a source to remove).
    await json('import', 'import', casePath, `${DEMO}demo-capture.jsonl`);
    const extra = ws.file(
      'extra.jsonl',
      '{"ts":1773309600,"logger":"http.log.access","request":{"method":"GET","uri":"/x",' +
        '"host":"a.example","remote_ip":"10.0.0.9"},"status":200}\nnot json\n',
    );
    await json('import (second file)', 'import', casePath, extra, '--format', 'jsonl');
    await json('spec', 'spec', casePath, `${DEMO}acme-api-v1.json`, `${DEMO}acme-api-v2.yaml`);
    await json('rebuild', 'rebuild', casePath);
    await json('info', 'info', casePath);
    await json('requests', 'requests', casePath, '--limit', '3');
    await json('rejects', 'rejects', casePath);
    await json('sessions', 'sessions', casePath, '--verdict', 'malicious');
    // The session with the most attacks, so its distributions have every kind of entry.
    const listed = (await json(
      'sessions --sort attacks',
      'sessions',
      casePath,
      '--sort',
      'attacks',
      '--desc',
      '--limit',
      '1',
    )) as { sessions: { id: string }[] };
    await json('sessions --count', 'sessions', casePath, '--count');
    const id = listed.sessions[0]!.id;
    await json('session', 'session', casePath, id, '--limit', '5', '--top', '3');
    await json('timeline', 'timeline', casePath, '--bars', '8');
    await json('verdict', 'verdict', casePath, id);
    await json('verdict confirm', 'verdict', casePath, id, 'confirm', '--note', 'seen');
    await json('endpoints', 'endpoints', casePath, '--limit', '20');
    const attacks = (await json('attacks', 'attacks', casePath, '--limit', '5')) as {
      items: { requestId: number }[];
    };
    await json('fp', 'fp', casePath, String(attacks.items[0]!.requestId), '--scope', 'type');
    await json('rules', 'rules', casePath, 'list');
    await json('audit', 'audit', casePath, '--action', 'analysis');
    await json('export', 'export', casePath, '--out', `${ws.dir}/out.csv`, '--status', '5xx');
    await json('verify', 'verify', casePath);
    const info = (await json('info', 'info', casePath)) as { sources: { id: number }[] };
    await json('remove-source', 'remove-source', casePath, String(info.sources.at(-1)!.id));
    await json('compact', 'compact', casePath);
    await json('upgrade', 'upgrade', casePath);
    if (update) writeFileSync(SHAPES, JSON.stringify(shapes, null, 2) + '\n');
  }, 120_000);
  afterAll(() => ws.cleanup());

  it('prints the recorded fields, no fewer and no more', () => {
    expect(existsSync(SHAPES), 'run with UPDATE_JSON_SHAPES=1 to record them').toBe(true);
    const recorded = JSON.parse(readFileSync(SHAPES, 'utf8')) as Record<string, string[]>;
    expect(Object.keys(shapes).sort()).toEqual(Object.keys(recorded).sort());
    for (const [name, paths] of Object.entries(recorded)) {
      const now = new Set(shapes[name]);
      const was = new Set(paths);
      expect({ name, gone: paths.filter((p) => !now.has(p)) }).toEqual({ name, gone: [] });
      expect({ name, added: [...now].filter((p) => !was.has(p)) }).toEqual({ name, added: [] });
    }
  });
});
