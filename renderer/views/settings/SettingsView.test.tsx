// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import {
  analysisSettingsSchema,
  defaultSettings,
  type AnalysisSettings,
} from '../../../shared/analysis/settings';
import { initialViewState } from '../../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';

const HOSTILE = '<img src=x onerror="window.pwned=1">';

function stored(): AnalysisSettings {
  return {
    ...defaultSettings(),
    contextParams: [{ kind: 'cookie', name: HOSTILE, names: 'session', secret: false }],
  };
}

function open(handlers: Parameters<typeof renderApp>[0]) {
  return renderApp(
    { getCaseInfo: () => caseInfo(), ...handlers },
    { ...initialViewState(), view: 'overview' },
  );
}

async function field(label: string): Promise<HTMLInputElement> {
  return (await screen.findByLabelText(label)) as HTMLInputElement;
}

describe('settings view', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('edits timeouts, parameters and thresholds, then saves them with the rebuild', async () => {
    let settings = stored();
    const { fake } = open({
      getSettings: () => settings,
      setSettings: ({ settings: s }) => {
        settings = s;
        return { settings: s, rebuild: { requests: 120, endpoints: 9, sessions: 14, outliers: 2 } };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const save = await screen.findByRole('button', { name: 'Save and rebuild' });
    expect((save as HTMLButtonElement).disabled).toBe(true); // nothing changed yet
    // The stored parameter's name (hostile text from a log) is an input's value, not markup.
    const params = screen.getByRole('table', { name: 'Context parameters' });
    const names = within(params).getAllByLabelText('Name') as HTMLInputElement[];
    expect(names.map((n) => n.value)).toEqual([HOSTILE]);
    expect(document.querySelector('img')).toBeNull();

    fireEvent.change(await field('Inactivity timeout (minutes)'), { target: { value: '5' } });
    fireEvent.change(await field('BOLA: distinct object ids'), { target: { value: '12' } });
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Flag HTTP-library and empty user agents' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add parameter' }));
    const rows = within(params).getAllByRole('row').slice(1);
    const added = rows[1]!;
    fireEvent.change(within(added).getByLabelText('Kind'), { target: { value: 'header' } });
    fireEvent.change(within(added).getByLabelText('Name'), {
      target: { value: 'X-Tenant-Session' },
    });
    fireEvent.change(within(added).getByLabelText('Names the'), { target: { value: 'user' } });
    fireEvent.click(within(added).getByRole('checkbox'));
    // Moved first: the investigator's order is the order the rebuild tries them in.
    fireEvent.click(screen.getByRole('button', { name: 'Move parameter 2 up' }));

    expect((save as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(save);
    await screen.findByText('Saved and rebuilt: 120 requests, 14 sessions, 9 endpoints.');
    const sent = fake.calls.filter((c) => c.name === 'setSettings').map((c) => c.input);
    expect(sent).toHaveLength(1);
    const s = (sent[0] as { settings: AnalysisSettings }).settings;
    // What the form sends passes the contract's strict schema (no key it does not know).
    expect(analysisSettingsSchema.safeParse(s)).toMatchObject({ success: true, data: s });
    expect(s.inactivityTimeoutMin).toBe(5);
    expect(s.verdicts.bolaMinIds).toBe(12);
    expect(s.verdicts.flagScriptAgents).toBe(false);
    expect(s.contextParams).toEqual([
      { kind: 'header', name: 'X-Tenant-Session', names: 'user', secret: true },
      { kind: 'cookie', name: HOSTILE, names: 'session', secret: false },
    ]);
    // Everything else is what was stored.
    expect(s.outliers).toEqual(defaultSettings().outliers);
    await waitFor(() => expect((save as HTMLButtonElement).disabled).toBe(true));
  });

  it('refuses values the schema refuses before anything is sent; discard and defaults', async () => {
    const { fake } = open({ getSettings: () => stored() });
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const timeout = await field('Inactivity timeout (minutes)');
    const save = screen.getByRole('button', { name: 'Save and rebuild' }) as HTMLButtonElement;

    fireEvent.change(timeout, { target: { value: '-3' } });
    expect(timeout.getAttribute('aria-invalid')).toBe('true');
    expect(save.disabled).toBe(true);
    // Named by the field's label, with no error kind ("Invalid input") above it.
    expect(screen.getByRole('alert').textContent).toBe(
      'Check these settings: Inactivity timeout (minutes)',
    );
    fireEvent.change(timeout, { target: { value: '' } });
    expect(save.disabled).toBe(true);
    // A header parameter must name an HTTP header.
    fireEvent.change(timeout, { target: { value: '45' } });
    const params = screen.getByRole('table', { name: 'Context parameters' });
    fireEvent.change(within(params).getByLabelText('Kind'), { target: { value: 'header' } });
    fireEvent.change(within(params).getByLabelText('Name'), { target: { value: 'bad header' } });
    expect(save.disabled).toBe(true);
    // A parameter by its row number and column, as the table shows them.
    expect(screen.getByRole('alert').textContent).toBe(
      'Check these settings: Context parameters #1 (Name)',
    );
    fireEvent.change(await field('BOLA: distinct object ids'), { target: { value: '1.5' } });
    expect(screen.getByRole('alert').textContent).toBe(
      'Check these settings: Context parameters #1 (Name), BOLA: distinct object ids',
    );
    expect(screen.queryByText('Invalid input')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(timeout.value).toBe('30');
    expect(save.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    expect(screen.queryByRole('table', { name: 'Context parameters' })).toBeNull();
    expect(save.disabled).toBe(false);
    expect(fake.calls.some((c) => c.name === 'setSettings')).toBe(false);
  });

  it('sends what the edit started from; settings changed elsewhere meanwhile are loaded again', async () => {
    let settings = stored();
    const { fake } = open({
      getSettings: () => settings,
      setSettings: ({ settings: s, base }) => {
        if (JSON.stringify(base) !== JSON.stringify(settings))
          throw new AppError('CONFLICT', 'The settings were changed elsewhere');
        settings = s;
        return { settings: s, rebuild: { requests: 1, endpoints: 1, sessions: 1, outliers: 0 } };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const timeout = await field('Inactivity timeout (minutes)');
    // Another window saves a new timeout while this form is open.
    settings = { ...settings, inactivityTimeoutMin: 45 };
    fireEvent.change(timeout, { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and rebuild' }));
    await screen.findByText(/changed elsewhere/);
    expect(settings.inactivityTimeoutMin).toBe(45);
    fireEvent.click(screen.getByRole('button', { name: 'Load the stored settings' }));
    await waitFor(async () =>
      expect((await field('Inactivity timeout (minutes)')).value).toBe('45'),
    );
    fireEvent.change(await field('Inactivity timeout (minutes)'), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and rebuild' }));
    await screen.findByText(/Saved and rebuilt/);
    expect(settings.inactivityTimeoutMin).toBe(10);
    const bases = fake.calls
      .filter((c) => c.name === 'setSettings')
      .map((c) => (c.input as { base?: AnalysisSettings }).base?.inactivityTimeoutMin);
    expect(bases).toEqual([stored().inactivityTimeoutMin, 45]);
  });

  it('shows the server refusing the save (a rebuild already running) and keeps the edits', async () => {
    open({
      getSettings: () => stored(),
      setSettings: () => {
        throw new AppError(
          'BUSY',
          'Cannot rebuild the analysis while the analysis is being rebuilt.',
        );
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const timeout = await field('Inactivity timeout (minutes)');
    fireEvent.change(timeout, { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and rebuild' }));
    await screen.findByText(/while the analysis is being rebuilt/);
    expect(timeout.value).toBe('10');
  });
});
