import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../../test/tempCase.js';
import { cli } from '../../../test/runCliCapture.js';
import { openCase } from '../../store/openCase.js';

/** The `rules` and `fp` commands on a real imported log, read back through the CLI. */

let ws: ReturnType<typeof tempWorkspace>;
let kase: string;

const line = (i: number, ip: string, req: string, ua = 'Firefox'): string =>
  `${ip} - - [01/Mar/2024:10:${String(i).padStart(2, '0')}:00 +0000] "${req} HTTP/1.1" 200 512 "-" "${ua}"`;

const LOG =
  [
    line(1, '10.0.0.1', "GET /search?q=1'%20union%20select%20password%20from%20users--"),
    line(2, '10.0.0.2', "GET /search?q=2'%20union%20select%201,2--"),
    line(3, '10.0.0.3', 'GET /api/cards?pan=4111111111111111'),
    line(4, '10.0.0.3', 'GET /home', 'InternalScanner/1.0'),
  ].join('\n') + '\n';

async function json<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as T;
}

interface Attacks {
  items: { requestId: number; type: string; ruleId: string }[];
}
interface Finding {
  ruleId: string;
  verdict: string | null;
  markId: number | null;
  ruleRef: number | null;
}

beforeEach(async () => {
  ws = tempWorkspace('ss-cli-rules-');
  kase = ws.file('c.sscase', '');
  const { rmSync } = await import('node:fs');
  rmSync(kase);
  const log = ws.file('access.log', LOG);
  expect((await cli('import', kase, log)).code).toBe(0);
});
afterEach(() => ws.cleanup());

/** The requests with a counted finding of `type` (none: the type-absent warning is expected). */
const requestsWith = async (type: string) => {
  const r = await cli('attacks', kase, '--type', type, '--json');
  expect(r.code).toBe(0);
  const items = (JSON.parse(r.out) as Attacks).items;
  if (items.length > 0) expect(r.err).toBe('');
  else expect(r.err).toMatch(/^(warning: no finding of this case has the type "[^"]+" .*\n)?$/);
  return [...new Set(items.map((d) => d.requestId))];
};

describe('fp command', () => {
  it('marks a request’s findings, keeps them on the request, and undoes', async () => {
    expect(await requestsWith('sqli')).toEqual([1, 2]);
    const r = await json<{ changes: string[]; findings: Finding[] }>(
      'fp',
      kase,
      '1',
      '--note',
      'pentest',
    );
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.findings.every((f) => f.verdict === 'false_positive' && f.markId !== null)).toBe(true);
    expect(await requestsWith('sqli')).toEqual([2]);
    const text = await cli('attacks', kase);
    expect(text.out).toMatch(/findings marked false positive are not counted/);
    await json('fp', kase, '1', '--undo');
    expect(await requestsWith('sqli')).toEqual([1, 2]);
  });

  it('a rule scope adds a suppress rule, listed by `rules`; undo deletes it', async () => {
    const ruleId = (await json<Attacks>('attacks', kase, '--type', 'sqli')).items[0]!.ruleId;
    const r = await json<{ findings: Finding[] }>(
      'fp',
      kase,
      '1',
      '--rule',
      ruleId,
      '--scope',
      'type',
    );
    expect(r.findings.find((f) => f.ruleId === ruleId)!.ruleRef).toEqual(expect.any(Number));
    expect(await requestsWith('sqli')).toEqual([]);
    const rules = await json<{ kind: string; scope: string; type: string }[]>(
      'rules',
      kase,
      'list',
    );
    expect(rules).toMatchObject([{ kind: 'suppress', scope: 'type', type: 'sqli' }]);
    await json('fp', kase, '2', '--undo');
    expect(await json('rules', kase, 'list')).toEqual([]);
    expect(await requestsWith('sqli')).toEqual([1, 2]);
  });

  it('warns of a stored rule the rebuild cannot apply, in list, rebuild and after a change', async () => {
    // A row the compiler now refuses (a backreference), as an older build may have stored it.
    const db = openCase(kase, { create: false });
    db.prepare(
      `INSERT INTO rules (kind, enabled, field, match, pattern, type, created_at, updated_at)
       VALUES ('detect', 1, 'query', 'regex', '(union)\\s+\\1', 'old_sqli', '2026-01-01', '2026-01-01')`,
    ).run();
    db.close();
    const warning =
      'warning: detect rule 1 is not applied: the pattern does not compile: backreferences are not supported\n';
    const list = await cli('rules', kase, 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^1 +detect +on, not applied /m);
    expect(list.err).toBe(warning);
    const listed = await cli('rules', kase, 'list', '--json');
    expect(JSON.parse(listed.out)).toMatchObject([
      { id: 1, notApplied: 'the pattern does not compile: backreferences are not supported' },
    ]);
    expect(listed.err).toBe(warning);
    const rebuilt = await cli('rebuild', kase);
    expect([rebuilt.code, rebuilt.err]).toEqual([0, warning]);
    const added = await cli(
      'rules',
      kase,
      'add',
      '--kind',
      'tag',
      '--field',
      'ua',
      '--contains',
      'x',
      '--label',
      'x',
    );
    expect([added.code, added.err]).toEqual([0, warning]);
  });

  it('refuses bad input with a reason', async () => {
    expect((await cli('fp', kase, '4')).err).toMatch(/no findings/);
    expect((await cli('fp', kase, '1', '--scope', 'nowhere')).err).toMatch(/--scope/);
    expect((await cli('fp', kase, '1', '--tp', '--scope', 'all')).err).toMatch(/request only/);
    expect((await cli('fp', kase, 'x')).code).toBe(1);
  });
});

describe('rules command', () => {
  it('adds, lists, disables, enables and deletes detect and tag rules; all audited', async () => {
    const add = await json<{ id: number }>(
      'rules',
      kase,
      'add',
      '--kind',
      'detect',
      '--field',
      'param',
      '--name',
      'pan',
      '--regex',
      '^4\\d{15}$',
      '--type',
      'card_testing',
      '--note',
      'test cards',
    );
    expect(await requestsWith('card_testing')).toEqual([3]);
    await json(
      'rules',
      kase,
      'add',
      '--kind',
      'tag',
      '--field',
      'ua',
      '--contains',
      'internalscanner',
      '--label',
      'internal',
    );
    const tagged = await json<{ sessions: unknown[] }>('sessions', kase, '--tag', 'internal');
    expect(tagged.sessions).toHaveLength(1);
    const none = await json<{ sessions: unknown[] }>('sessions', kase, '--tag', 'nobody');
    expect(none.sessions).toEqual([]);
    const list = await cli('rules', kase, 'list');
    expect(list.out).toMatch(/param pan matches \^4\\d\{15\}\$ → type card_testing/);
    expect(list.out).toMatch(/ua contains internalscanner → tag internal/);
    await json('rules', kase, 'disable', String(add.id));
    expect(await requestsWith('card_testing')).toEqual([]);
    await json('rules', kase, 'enable', String(add.id));
    expect(await requestsWith('card_testing')).toEqual([3]);
    // Edit: a new definition replaces the old one.
    const edited = [
      ...['rules', kase, 'edit', String(add.id), '--kind', 'detect', '--field', 'param'],
      ...['--name', 'pan', '--regex', '^5\\d+$', '--type', 'card_testing'],
    ];
    await json(...edited);
    expect(await requestsWith('card_testing')).toEqual([]);
    expect((await cli('rules', kase, 'list')).out).toMatch(/param pan matches \^5\\d\+\$/);
    await json('rules', kase, 'delete', String(add.id));
    expect(await requestsWith('card_testing')).toEqual([]);
    const audit = await json<{ entries: { action: string }[] }>('audit', kase, '--action', 'rule');
    expect(audit.entries.map((e) => e.action)).toEqual([
      'rule.add',
      'rule.add',
      'rule.disable',
      'rule.enable',
      'rule.update',
      'rule.delete',
    ]);
  });

  it('refuses unsafe patterns and incomplete rules before touching the case', async () => {
    const bad = await cli(
      'rules',
      kase,
      'add',
      '--kind',
      'detect',
      '--field',
      'path',
      '--regex',
      '(a)\\1',
      '--type',
      'x',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/backreference/);
    // Said with the flags typed, not the rule model's field names (ruleId, fieldName).
    expect(
      (await cli('rules', kase, 'add', '--kind', 'suppress', '--scope', 'signature')).err,
    ).toBe('sessionscope rules: --scope signature needs --rule-id R\n');
    const header = ['rules', kase, 'add', '--kind', 'detect', '--field', 'header'];
    expect((await cli(...header, '--contains', 'x', '--type', 'odd')).err).toBe(
      "sessionscope rules: --field header needs --name N (the header's name)\n",
    );
    expect((await cli(...header, '--name', 'X-A', '--contains', 'x')).err).toBe(
      'sessionscope rules: --kind detect needs --type\n',
    );
    expect(
      (
        await cli(
          'rules',
          kase,
          'add',
          '--kind',
          'tag',
          '--field',
          'ua',
          '--name',
          'n',
          '--contains',
          'x',
          '--label',
          'a',
        )
      ).err,
    ).toBe('sessionscope rules: --name only goes with --field param, header or cookie\n');
    expect(
      (
        await cli(
          'rules',
          kase,
          'add',
          '--kind',
          'tag',
          '--field',
          'ua',
          '--contains',
          'x',
          '--label',
          'Bad!',
        )
      ).err,
    ).toMatch(/^sessionscope rules: --label "Bad!": lowercase letters/);
    expect((await cli('rules', kase, 'add', '--kind', 'note', '--field', 'ua')).err).toMatch(
      /--kind must be one of suppress, detect, tag/,
    );
    expect((await cli('rules', kase, 'list', '3')).err).toMatch(/unexpected argument "3"/);
    expect(
      (await cli('rules', kase, 'add', '--kind', 'tag', '--field', 'ua', '--label', 'x')).err,
    ).toMatch(/--contains/);
    expect((await cli('rules', kase, 'disable', '99')).err).toMatch(/No rule 99/);
    expect((await cli('rules', kase, 'frobnicate')).code).toBe(1);
  });
});
