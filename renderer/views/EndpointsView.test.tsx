// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointSummary } from '../../shared/contract/analysisApi';
import { AppError } from '../../shared/contract/errors';
import type { SpecOverview } from '../../shared/contract/specApi';
import { App } from '../App';
import { createClient, type FakeHandlers } from '../api/client';
import { initialViewState } from '../state/viewState';
import css from '../styles/app.css?raw';
import { endpointSummary } from '../testing/endpointSummary';
import {
  appInfo,
  caseInfo,
  fakeAppTransport,
  renderApp,
  stubLayout,
} from '../testing/renderWithApi';

function endpoint(k: number): EndpointSummary {
  return endpointSummary({
    id: `e${k.toString(16).padStart(16, '0')}`,
    template: `/p${k}/{name}`,
    requestCount: 100 - k,
    firstSeen: '2024-05-01T00:00:00.000Z',
    lastSeen: '2024-05-01T01:00:00.000Z',
    statusMix: { '404': 100 - k },
    latencyMs: { count: 1, median: k, p95: k },
    respBytes: { count: 1, median: 10, p95: 10 },
    risk: { score: 1, level: 'Low', factors: [] },
  });
}

const HOSTILE = '/<img src=x onerror="window.pwned=1">';

/** An endpoint as a case with loaded specs gives it: risky, a zombie, hostile text in it. */
function risky(): EndpointSummary {
  return {
    ...endpoint(9),
    template: HOSTILE,
    risk: {
      score: 9,
      level: 'High',
      factors: [
        { id: 'succeeded-attack', weight: 9, detail: '3 flagged requests answered 2xx' },
        { id: 'zombie', weight: 7, detail: 'deprecated in Shop 2' },
      ],
    },
    spec: { status: 'zombie', reason: 'deprecated', specPath: '/orders/{orderId}' },
  };
}

const OVERVIEW: SpecOverview = {
  specs: [
    {
      id: 1,
      file: 'shop.yaml',
      sha256: 'ab',
      title: 'Shop',
      version: '2',
      kind: 'openapi3',
      loadedAt: '2026-11-27T00:00:00.000Z',
      operations: 3,
      unresolvedRefs: ['./x.yaml'],
    },
  ],
  counts: { documented: 1, shadow: 2, probes: 1, zombie: 1, orphans: 1 },
  findings: [],
  orphans: [{ specId: 1, method: 'POST', pathTemplate: '/carts', deprecated: false }],
};

describe('endpoints view', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('asks the backend for sorted pages, shows the case total, and sorts by a header', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listEndpointPage: (input) => ({
          items:
            input.cursor === undefined ? [endpoint(1), endpoint(2)] : [endpoint(3), endpoint(4)],
          total: 102_000,
          nextCursor: input.cursor === undefined ? endpoint(2).id : null,
        }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    // When each endpoint was first and last called, as every time is shown (year first, UTC).
    expect(screen.getAllByText('2024-05-01 00:00:00.000').length).toBeGreaterThan(0);
    expect(screen.getAllByText('2024-05-01 01:00:00.000').length).toBeGreaterThan(0);
    // The total the backend counted, not the rows loaded so far.
    expect(await screen.findByText('102,000')).toBeTruthy();
    // The table asks for the next page on its own (the loaded rows fit on screen).
    await screen.findByText('/p4/{name}');
    const first = fake.calls.filter((c) => c.name === 'listEndpointPage').map((c) => c.input);
    expect(first).toEqual([
      { sort: 'requests', dir: 'desc', limit: 500 },
      { sort: 'requests', dir: 'desc', limit: 500, cursor: endpoint(2).id },
    ]);

    fireEvent.click(screen.getByRole('button', { name: /Median, ms/ }));
    await waitFor(() =>
      expect(
        fake.calls.filter((c) => c.name === 'listEndpointPage').map((c) => c.input)[2],
      ).toEqual({ sort: 'median', dir: 'desc', limit: 500 }),
    );
  });

  it("shows each endpoint's risk and spec status, and the selected one's factors, as text", async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => OVERVIEW,
        listEndpointPage: () => ({ items: [risky(), endpoint(1)], total: 2, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    const score = await screen.findByText('9 High');
    expect(score.className).toBe('danger-text');
    expect(score.closest('[title]')?.getAttribute('title')).toBe(
      'Risk 9 High\nattack answered 2xx (9): 3 flagged requests answered 2xx\nzombie endpoint (7): deprecated in Shop 2',
    );
    expect(screen.getByText('1 Low').className).toBe('muted');
    // The spec column appears with a loaded spec; its hover says why.
    expect(screen.getByRole('columnheader', { name: 'Spec' })).toBeTruthy();
    const table = screen.getByRole('grid');
    expect(within(table).getByText('zombie').closest('[title]')?.getAttribute('title')).toBe(
      'zombie — deprecated in the spec',
    );
    // The selected (first) endpoint's factors, readable without a mouse.
    expect(screen.getByTestId('endpoint-risk').textContent).toBe(
      `GET ${HOSTILE}: Risk 9 High · attack answered 2xx (9): 3 flagged requests answered 2xx · zombie endpoint (7): deprecated in Shop 2 · Spec: zombie — deprecated in the spec`,
    );
    // Log text stays text.
    expect(document.querySelector('img')).toBeNull();
    // The specs panel sums up the comparison, lists the spec, its unresolved ref and the orphan.
    const panel = screen.getByTestId('spec-panel');
    expect(
      await within(panel).findByText(
        '1 loaded · 1 documented · 2 shadow (1 probes) · 1 zombie · 1 orphans',
      ),
    ).toBeTruthy();
    expect(within(panel).getByText('Shop 2 · openapi3 · 3 operations · shop.yaml')).toBeTruthy();
    expect(within(panel).getByText(/\.\/x\.yaml/)).toBeTruthy();
    expect(within(panel).getByText('POST /carts')).toBeTruthy();
  });

  it('sorts by risk, and hides the spec column while no spec is loaded', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
        listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    expect(screen.queryByRole('columnheader', { name: 'Spec' })).toBeNull();
    expect(
      await screen.findByText(
        'none loaded: an OpenAPI 3 or Swagger 2 file marks shadow, zombie and orphan endpoints',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Risk/ }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.name === 'listEndpointPage').at(-1)?.input).toEqual({
        sort: 'risk',
        dir: 'desc',
        limit: 500,
      }),
    );
  });

  it("opens the selected endpoint's sessions on Enter, in place of the filters set before", async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => OVERVIEW,
        listEndpointPage: () => ({ items: [endpoint(1), endpoint(2)], total: 2, nextCursor: null }),
        listSessions: () => ({ sessions: [], nextCursor: null }),
      },
      {
        ...initialViewState(),
        view: 'endpoints',
        // Left set in Sessions: with the endpoint added to them, nothing matched.
        filters: { ips: ['10.9.9.9'], attackTypes: ['sqli'] },
        selected: { endpoints: 1, sessions: 4 },
      },
    );
    await screen.findByText('/p2/{name}');
    fireEvent.keyDown(document.querySelector('[data-table-focus]')!, { key: 'Enter' });
    await screen.findByTestId('sessions');
    // As the Overview's riskiest endpoints open it: the sessions that called it.
    await waitFor(() =>
      expect(
        (fake.calls.find((c) => c.name === 'listSessions')?.input as { filters: unknown })?.filters,
      ).toEqual({ endpoints: [endpoint(2).id] }),
    );
  });

  it('loads a spec by path, then reads the endpoints and the specs again', async () => {
    let loaded = false;
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => (loaded ? OVERVIEW : { ...OVERVIEW, specs: [], orphans: [] }),
        loadSpec: (input) => {
          if (input.path !== '/specs/shop.yaml') throw new Error(`unexpected ${input.path}`);
          loaded = true;
          return OVERVIEW;
        },
        listEndpointPage: () => ({
          items: [loaded ? risky() : endpoint(1)],
          total: 1,
          nextCursor: null,
        }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    fireEvent.change(screen.getByTestId('spec-path'), { target: { value: ' /specs/shop.yaml ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Load spec' }));
    expect(await screen.findByText('Shop 2 loaded')).toBeTruthy();
    await screen.findByText('9 High');
    expect(screen.getByRole('columnheader', { name: 'Spec' })).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === 'loadSpec').map((c) => c.input)).toEqual([
      { path: '/specs/shop.yaml' },
    ]);
    expect(fake.calls.filter((c) => c.name === 'listSpecs').length).toBe(2);
  });

  it('says why a spec was refused, and keeps the list as it was', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
        loadSpec: () => {
          throw new AppError('BAD_INPUT', 'broken.yaml: not an OpenAPI 3 or Swagger 2 document');
        },
        listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    fireEvent.change(screen.getByTestId('spec-path'), { target: { value: 'broken.yaml' } });
    fireEvent.click(screen.getByRole('button', { name: 'Load spec' }));
    expect(await screen.findByText(/not an OpenAPI 3 or Swagger 2 document/)).toBeTruthy();
    expect(screen.getByText('/p1/{name}')).toBeTruthy();
  });

  it('reads the endpoints and specs again after a rebuild, and loads no spec while one runs', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
        listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    const reads = (name: string): number => fake.calls.filter((c) => c.name === name).length;
    expect([reads('listEndpointPage'), reads('listSpecs')]).toEqual([1, 1]);
    fireEvent.change(screen.getByTestId('spec-path'), { target: { value: 'shop.yaml' } });
    const load = screen.getByRole('button', { name: 'Load spec' }) as HTMLButtonElement;
    expect(load.disabled).toBe(false);
    act(() => fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan', index: 0, total: 4 }));
    await waitFor(() => expect(load.disabled).toBe(true));
    // Nor a flow tag: the chips are plain labels until it has finished.
    expect(screen.queryByRole('button', { name: 'Admin' })).toBeNull();
    expect(
      screen.getByText('A rebuild is running: flows can be set when it has finished.'),
    ).toBeTruthy();
    expect(
      screen.getByText('A rebuild is running: load a spec when it has finished.'),
    ).toBeTruthy();
    act(() =>
      fake.emit('rebuildDone', {
        rebuildId: 'r1',
        result: { requests: 1, endpoints: 1, sessions: 1, outliers: 0 },
        error: null,
      }),
    );
    await waitFor(() => expect([reads('listEndpointPage'), reads('listSpecs')]).toEqual([2, 2]));
    expect(load.disabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Admin' })).toBeTruthy();
  });

  it('narrows the inventory by text, risk and flow, asking the backend with each', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
        listEndpointPage: (input) =>
          input.filters
            ? { items: [], total: 0, nextCursor: null }
            : { items: [endpoint(1)], total: 1, nextCursor: null },
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    const asked = () =>
      fake.calls
        .filter((c) => c.name === 'listEndpointPage')
        .map((c) => (c.input as { filters?: unknown }).filters);
    fireEvent.change(screen.getByRole('searchbox', { name: /Find endpoints/ }), {
      target: { value: ' admin ' },
    });
    await waitFor(() => expect(asked().at(-1)).toEqual({ text: 'admin' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Risk' }), { target: { value: 'High' } });
    await waitFor(() => expect(asked().at(-1)).toEqual({ text: 'admin', levels: ['High'] }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Flows' }), {
      target: { value: 'Admin' },
    });
    await waitFor(() =>
      expect(asked().at(-1)).toEqual({ text: 'admin', levels: ['High'], flows: ['Admin'] }),
    );
    expect(await screen.findByText('No endpoint matches these filters.')).toBeTruthy();
    // Download CSV exports what the view lists.
    expect(screen.getByRole('button', { name: 'Download CSV' }).title).toBe(
      'Download the endpoints that match these filters, with their risk, factors and spec status, as CSV',
    );
    // No spec loaded: no spec status to pick.
    expect(screen.queryByRole('combobox', { name: 'Spec' })).toBeNull();
    // Back to any risk: the filter goes, the others stay.
    fireEvent.change(screen.getByRole('combobox', { name: 'Risk' }), { target: { value: '' } });
    await waitFor(() => expect(asked().at(-1)).toEqual({ text: 'admin', flows: ['Admin'] }));
  });

  it("keeps the selected endpoint's facts two lines high, whole in the title", async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
        listEndpointPage: () => ({ items: [endpoint(1), risky()], total: 2, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    // Scored at the floor without factors: said so, not a bare "Risk 1 Low".
    const facts = screen.getByTestId('endpoint-risk');
    expect(facts.textContent).toBe('GET /p1/{name}: Risk 1 Low · no risk factor found');
    expect(facts.getAttribute('title')).toBe(facts.textContent);
    // A longer one is clipped at two lines: its title holds all of it, as text.
    fireEvent.click(screen.getByText('9 High'));
    await waitFor(() =>
      expect(screen.getByTestId('endpoint-risk').getAttribute('title')).toBe(
        `GET ${HOSTILE}: Risk 9 High · attack answered 2xx (9): 3 flagged requests answered 2xx · zombie endpoint (7): deprecated in Shop 2 · Spec: zombie — deprecated in the spec`,
      ),
    );
    expect(document.querySelector('img')).toBeNull();
    // Two lines high, one factor or five: the table above keeps its height.
    const rule = /\.endpoint-facts\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
    const decl = Object.fromEntries(
      rule
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .split(';')
        .map((d) => d.split(':').map((x) => x.trim()))
        .filter((d) => d.length === 2),
    ) as Record<string, string>;
    expect(decl['height']).toMatch(/em$/);
    expect(parseFloat(decl['height'] ?? '')).toBeCloseTo(2 * parseFloat(decl['line-height'] ?? ''));
    expect(decl['overflow']).toBe('hidden');
  });

  it("names each spec by its file's name, the whole path in the title", async () => {
    const file = '/tmp/sessionscope-serve/uploads/0b6f3c1e-5d2a-4c57-9a51-1f2e3d4c5b6a/shop.yaml';
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({
          ...OVERVIEW,
          specs: [
            { ...OVERVIEW.specs[0]!, file },
            { ...OVERVIEW.specs[0]!, id: 2, title: 'Win', file: 'C:\\specs\\win.json' },
          ],
        }),
        listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    const panel = await screen.findByTestId('spec-panel');
    const row = await within(panel).findByText('Shop 2 · openapi3 · 3 operations · shop.yaml');
    expect(row.getAttribute('title')).toBe(file);
    expect(within(panel).getByText('Win 2 · openapi3 · 3 operations · win.json')).toBeTruthy();
    expect(panel.textContent).not.toContain('uploads');
  });

  it('clears the upload field after each upload, loaded or refused, for the same file again', async () => {
    let loads = 0;
    const handlers: FakeHandlers = {
      getAppInfo: () => ({ ...appInfo, canUpload: true }),
      getCaseInfo: () => caseInfo(),
      listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
      loadSpec: () => {
        if (++loads > 1)
          throw new AppError(
            'DUPLICATE_SOURCE',
            "shop.yaml is already loaded as Shop 2 (same SHA-256; the CLI's --force loads it again)",
          );
        return OVERVIEW;
      },
      listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
    };
    const fake = fakeAppTransport(handlers);
    const uploaded: string[] = [];
    const client = createClient({
      ...fake,
      upload: async (_file, fileName) => {
        uploaded.push(fileName);
        return { ok: true, value: { path: `/tmp/up/${uploaded.length}/${fileName}` } };
      },
    });
    render(<App client={client} initialView={{ ...initialViewState(), view: 'endpoints' }} />);
    await screen.findByText('/p1/{name}');
    const input = (await screen.findByTestId('spec-upload')) as HTMLInputElement;
    const choose = (): void => {
      // As a browser does: the chosen file stays in the field (its value) until cleared.
      (input.files as unknown as File[]).push(new File(['openapi: 3.0.0'], 'shop.yaml'));
      expect(input.value).not.toBe('');
      fireEvent.change(input);
    };
    choose();
    expect(await screen.findByText('Shop 2 loaded')).toBeTruthy();
    await waitFor(() => expect(input.value).toBe(''));
    choose();
    expect(await screen.findByText(/is already loaded as Shop 2/)).toBeTruthy();
    await waitFor(() => expect(input.value).toBe(''));
    expect(uploaded).toEqual(['shop.yaml', 'shop.yaml']);
    expect(fake.calls.filter((c) => c.name === 'loadSpec').map((c) => c.input)).toEqual([
      { path: '/tmp/up/1/shop.yaml' },
      { path: '/tmp/up/2/shop.yaml' },
    ]);
  });

  it('names the icon-only file dialog button', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, canChooseFiles: true }),
        getCaseInfo: () => caseInfo(),
        listSpecs: () => ({ ...OVERVIEW, specs: [], orphans: [] }),
        chooseFiles: () => ({ paths: ['/specs/shop.yaml'] }),
        listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    const button = await screen.findByRole('button', { name: 'Choose a spec file…' });
    expect(button.getAttribute('title')).toBe('Choose a spec file…');
    fireEvent.click(button);
    await waitFor(() =>
      expect((screen.getByTestId('spec-path') as HTMLInputElement).value).toBe('/specs/shop.yaml'),
    );
    expect(fake.calls.find((c) => c.name === 'chooseFiles')?.input).toEqual({ purpose: 'spec' });
  });

  it('names the spec of each orphan path once several are loaded', async () => {
    const two: SpecOverview = {
      ...OVERVIEW,
      specs: [OVERVIEW.specs[0]!, { ...OVERVIEW.specs[0]!, id: 2, title: 'Shop', version: '3' }],
      orphans: [
        { specId: 1, method: 'POST', pathTemplate: '/carts', deprecated: false },
        { specId: 2, method: 'GET', pathTemplate: '/wishlist', deprecated: true },
      ],
    };
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listSpecs: () => two,
        listEndpointPage: () => ({ items: [endpoint(1)], total: 1, nextCursor: null }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    const panel = await screen.findByTestId('spec-panel');
    const orphans = await within(panel).findAllByRole('listitem');
    expect(
      orphans
        .map((li) => li.textContent)
        .filter((x) => x?.startsWith('POST') || x?.startsWith('GET')),
    ).toEqual(['POST /carts · Shop 2', 'GET /wishlist (deprecated) · Shop 3']);
  });
});

describe('an endpoints link', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  const filters = { text: 'contest', levels: ['High' as const] };
  const open = (selectedIds: Record<string, string>) =>
    renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listEndpointPage: (input) =>
          input.filters
            ? { items: [endpoint(1), endpoint(2), endpoint(3)], total: 3, nextCursor: null }
            : { items: [endpoint(4), endpoint(5)], total: 2, nextCursor: null },
      },
      {
        ...initialViewState(),
        view: 'endpoints',
        listFilters: { endpoints: { filters, sort: { column: 'template', dir: 'asc' } } },
        // An older state's row number: the id wins over it.
        selected: { endpoints: 0 },
        selectedIds,
      },
    ).fake;
  const selectedRow = (): Element | null =>
    screen.getByRole('grid', { name: 'Endpoints' }).querySelector('[aria-selected="true"]');

  it('lists what it was made on (its filters and sort) and selects its endpoint by id', async () => {
    const fake = open({ endpoints: endpoint(2).id });
    await waitFor(() => expect(selectedRow()?.textContent).toContain('/p2/{name}'));
    expect(fake.calls.find((c) => c.name === 'listEndpointPage')?.input).toEqual({
      sort: 'template',
      dir: 'asc',
      limit: 500,
      filters,
    });
    expect(screen.getByTestId('endpoint-risk').textContent).toContain('/p2/{name}');
    expect(
      (screen.getByRole('searchbox', { name: /Find endpoints/ }) as HTMLInputElement).value,
    ).toBe('contest');
    expect(screen.queryByTestId('selection-missing')).toBeNull();
  });

  it('says its endpoint is not there any more, and selects no other', async () => {
    open({ endpoints: endpoint(42).id });
    expect((await screen.findByTestId('selection-missing')).textContent).toContain(
      'The endpoint this link selected is not in this list',
    );
    expect(selectedRow()).toBeNull();
    expect(screen.queryByTestId('endpoint-risk')).toBeNull();
  });

  it('follows an id the endpoint had before its host was folded to the endpoint it became', async () => {
    const fake = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listEndpointPage: () => ({
          items: [endpoint(1), endpoint(2), endpoint(3)],
          total: 3,
          nextCursor: null,
        }),
        // The backend answers the old id with the endpoint it is now.
        getEndpoint: ({ id }) => {
          if (id !== 'e0123456789abcdef') throw new AppError('NOT_FOUND', `No endpoint ${id}`);
          return endpoint(3);
        },
      },
      { ...initialViewState(), view: 'endpoints', selectedIds: { endpoints: 'e0123456789abcdef' } },
    ).fake;
    await waitFor(() => expect(selectedRow()?.textContent).toContain('/p3/{name}'));
    expect(screen.queryByTestId('selection-missing')).toBeNull();
    expect(fake.calls.filter((c) => c.name === 'getEndpoint').map((c) => c.input)).toEqual([
      { id: 'e0123456789abcdef' },
    ]);
  });
});
