// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuleInfo } from '../../../shared/rules/ruleModel';
import { initialViewState } from '../../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';

const HOSTILE = '<img src=x onerror="window.pwned=1">';

const blank: Omit<RuleInfo, 'id' | 'kind'> = {
  enabled: true,
  scope: null,
  ruleId: null,
  type: null,
  endpoint: null,
  param: null,
  field: null,
  fieldName: null,
  match: null,
  pattern: null,
  label: null,
  note: null,
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt: '2026-11-20T00:00:00.000Z',
  notApplied: null,
};

const RULES: RuleInfo[] = [
  {
    ...blank,
    id: 1,
    kind: 'suppress',
    scope: 'signature',
    ruleId: 'sqli.union-select',
    endpoint: { method: 'GET', host: 'shop.example', template: '/search' },
    param: 'q',
    note: HOSTILE,
  },
  {
    ...blank,
    id: 2,
    kind: 'tag',
    field: 'ua',
    match: 'literal',
    pattern: HOSTILE,
    label: 'internal',
  },
];

describe('rules view', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('is a top-level tab listing rules as text, with enable/disable and delete', async () => {
    let rules = RULES;
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listRules: () => rules,
        updateRule: (u) => {
          rules = rules.map((r) => (r.id === u.id ? { ...r, enabled: u.enabled ?? r.enabled } : r));
          return { id: u.id, detections: 3, falsePositives: 1 };
        },
        deleteRule: (d) => {
          rules = rules.filter((r) => r.id !== d.id);
          return { id: d.id, detections: 4, falsePositives: 0 };
        },
      },
      { ...initialViewState(), view: 'audit' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Rules' }));
    const table = await screen.findByRole('table', { name: 'Rules' });
    expect(within(table).getByText('sqli.union-select — GET shop.example/search — q')).toBeTruthy();
    expect(
      within(table).getByText(`User agent · contains text: ${HOSTILE} → internal`),
    ).toBeTruthy();
    expect(within(table).getByText(HOSTILE)).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();

    fireEvent.click(within(table).getAllByRole('button', { name: 'Disable' })[0]!);
    await waitFor(() => expect(within(table).getAllByText('Off')).toHaveLength(1));
    fireEvent.click(within(table).getAllByRole('button', { name: 'Delete' })[1]!);
    await waitFor(() => expect(within(table).queryByText(/→ internal/)).toBeNull());
    expect(
      fake.calls
        .filter((c) => c.name === 'updateRule' || c.name === 'deleteRule')
        .map((c) => c.input),
    ).toEqual([{ id: 1, enabled: false }, { id: 2 }]);
  });

  it('marks a rule the rebuild cannot apply, with the reason, as text', async () => {
    const broken: RuleInfo = {
      ...blank,
      id: 3,
      kind: 'detect',
      field: 'query',
      match: 'regex',
      pattern: '(a)\\1',
      type: 'old_sqli',
      notApplied: 'the pattern does not compile: backreferences are not supported\x1b[2J',
    };
    renderApp(
      { getCaseInfo: () => caseInfo(), listRules: () => [...RULES, broken] },
      { ...initialViewState(), view: 'rules' },
    );
    const table = await screen.findByRole('table', { name: 'Rules' });
    const rows = within(table).getAllByRole('row');
    expect(rows.at(-1)!.textContent).toContain(
      'Not applied: the pattern does not compile: backreferences are not supported\\x1B[2J',
    );
    // The others are applied: no such note beside them.
    expect(within(table).getAllByText(/Not applied/)).toHaveLength(1);
  });

  it('changes no rule while a rebuild holds the case, and says why', async () => {
    const { fake } = renderApp(
      { getCaseInfo: () => caseInfo(10), listRules: () => RULES },
      { ...initialViewState(), view: 'rules' },
    );
    const del = (await screen.findAllByRole('button', { name: 'Delete' }))[0] as HTMLButtonElement;
    expect(del.disabled).toBe(false);
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r', step: 'scan', index: 0, total: 3 }));
    await waitFor(() => expect(del.disabled).toBe(true));
    expect(
      (screen.getAllByRole('button', { name: 'Disable' })[0] as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(
      screen.getByText('A rebuild is running: this can be changed when it has finished.'),
    ).toBeTruthy();
  });

  it('adds a tag rule through the form; refuses an unsafe pattern before sending', async () => {
    const added: unknown[] = [];
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listRules: () => [],
        addRule: (r) => {
          added.push(r);
          return { id: 3, detections: 0, falsePositives: 0 };
        },
      },
      { ...initialViewState(), view: 'rules' },
    );
    await screen.findByText('No rules yet.');
    const form = screen.getByRole('form', { name: 'Add rule' });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Kind' }), {
      target: { value: 'tag' },
    });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Field' }), {
      target: { value: 'header' },
    });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Name' }), {
      target: { value: 'X-Debug' },
    });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Match' }), {
      target: { value: 'regex' },
    });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Pattern (case-insensitive)' }), {
      target: { value: '(a)\\1' },
    });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Tag label (lowercase)' }), {
      target: { value: 'Debug' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    await within(form).findByText(/backreferences are not supported/);
    expect(fake.calls.some((c) => c.name === 'addRule')).toBe(false);

    fireEvent.change(within(form).getByRole('textbox', { name: 'Pattern (case-insensitive)' }), {
      target: { value: '^trace' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toEqual({
      kind: 'tag',
      field: 'header',
      fieldName: 'X-Debug',
      match: 'regex',
      pattern: '^trace',
      label: 'debug',
    });
  });

  it('edits a rule in the same form: kind fixed, endpoint kept, saved with updateRule', async () => {
    const updates: unknown[] = [];
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listRules: () => RULES,
        updateRule: (u) => {
          updates.push(u);
          return { id: u.id, detections: 1, falsePositives: 1 };
        },
      },
      { ...initialViewState(), view: 'rules' },
    );
    const table = await screen.findByRole('table', { name: 'Rules' });
    fireEvent.click(within(table).getAllByRole('button', { name: 'Edit' })[0]!);
    const form = await screen.findByRole('form', { name: 'Edit rule 1' });
    expect(
      (within(form).getByRole('combobox', { name: 'Kind' }) as HTMLSelectElement).disabled,
    ).toBe(true);
    expect(within(form).getByText('GET shop.example/search')).toBeTruthy();
    fireEvent.change(within(form).getByRole('textbox', { name: 'Parameter (empty: any)' }), {
      target: { value: '' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]).toEqual({
      id: 1,
      rule: {
        kind: 'suppress',
        scope: 'signature',
        ruleId: 'sqli.union-select',
        endpoint: { method: 'GET', host: 'shop.example', template: '/search' },
        note: HOSTILE,
      },
    });
    await screen.findByRole('form', { name: 'Add rule' });
  });
});
