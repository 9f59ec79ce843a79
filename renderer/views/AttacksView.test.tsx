// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttackGroup, AttackList } from '../../shared/contract/detectApi';
import type { FakeTransport } from '../api/client';
import { initialViewState } from '../state/viewState';
import { attackItem } from '../testing/attackItem';
import { HIDDEN, expectShown, expectShownString } from '../testing/hiddenChars';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';

const LONG = `/api/v1/${'very-long-segment-'.repeat(40)}<img src=x>`;
const ENDPOINT = 'e00000000000000a1';

function group(g: Partial<AttackGroup>): AttackGroup {
  return {
    type: 'sqli',
    method: 'GET',
    endpoint: '/index.php/component/search/',
    requests: 22,
    detections: 30,
    rules: ['sqli.union'],
    exampleRequestId: 7,
    endpointId: ENDPOINT,
    endpointTemplate: '/index.php/{name}/{name}/',
    ...g,
  };
}

function attacks(
  groups: AttackGroup[],
  input?: { groupLimit?: number; groupOffset?: number },
): AttackList {
  const from = input?.groupOffset ?? 0;
  return {
    types: [{ type: 'sqli', requests: 22, detections: 30, engine: 30, sourceLabel: 0, custom: 0 }],
    groups: groups.slice(from, from + (input?.groupLimit ?? 200)),
    groupsTotal: groups.length,
    items: [],
    nextCursor: null,
  };
}

/** The attacks view over these groups, opened with older filters set in Sessions. */
function renderGroups(groups: AttackGroup[]): FakeTransport {
  return renderApp(
    {
      getCaseInfo: () => caseInfo(10),
      listAttacks: (input) => attacks(groups, input),
      listSessions: () => ({ sessions: [], nextCursor: null }),
      getRequest: () => new Promise<never>(() => undefined),
    },
    {
      ...initialViewState(),
      view: 'attacks',
      filters: { ips: ['10.9.9.9'], attackTypes: ['xss'] },
    },
  ).fake;
}

const sessionFilters = (fake: FakeTransport): unknown =>
  (fake.calls.find((c) => c.name === 'listSessions')?.input as { filters: unknown } | undefined)
    ?.filters;

describe('attacks by path', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('cuts a long path in its cell, whole in the title, as text', async () => {
    renderGroups([
      group({
        type: 'xss',
        endpoint: LONG,
        requests: 4,
        rules: ['xss.js-sink', 'xss.js-uri'],
        endpointTemplate: LONG,
      }),
    ]);
    const link = await screen.findByRole('button', { name: `Sessions with xss on GET ${LONG}` });
    // One line with an ellipsis (.text-clip) in a grid cell of its own width, so the Requests
    // and Rules columns stay on the panel.
    expect(link.textContent).toBe(LONG);
    expect(link.title).toBe(LONG);
    expect(link.classList.contains('text-clip')).toBe(true);
    expect(link.closest('[role="gridcell"]')).not.toBeNull();
    expect(screen.getByText('xss.js-sink, xss.js-uri')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });

  it('says the groups are by path, each beside the template of its endpoint', async () => {
    renderGroups([group({}), group({ type: 'xss', endpointId: null, endpointTemplate: null })]);
    await screen.findAllByText('/index.php/component/search/');
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers.slice(0, 7)).toEqual([
      'Type',
      'Method',
      'Path',
      'Endpoint',
      'Requests',
      'Rules',
      'Example',
    ]);
    expect(screen.getByText('/index.php/{name}/{name}/')).toBeTruthy();
    // A path on several hosts belongs to several endpoints: none is named.
    expect(screen.getByTitle('Called on several hosts: several endpoints').textContent).toBe('—');
  });

  it("opens the sessions with the group's requests, in place of the filters set before", async () => {
    const fake = renderGroups([group({})]);
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Sessions with sqli on GET /index.php/component/search/',
      }),
    );
    await screen.findByTestId('sessions');
    // Its type on its endpoint, narrowed to its path: the endpoint covers other paths.
    await waitFor(() =>
      expect(sessionFilters(fake)).toEqual({
        attackTypes: ['sqli'],
        endpoints: [ENDPOINT],
        text: '/index.php/component/search/',
      }),
    );
  });

  it("a type's sessions replace the filters set before too", async () => {
    const fake = renderGroups([group({})]);
    fireEvent.click(await screen.findByText('sqli · 22'));
    fireEvent.click(await screen.findByRole('button', { name: 'Sessions → sqli' }));
    await screen.findByTestId('sessions');
    await waitFor(() => expect(sessionFilters(fake)).toEqual({ attackTypes: ['sqli'] }));
  });

  it('needs no text when the endpoint is that path, and no folded path as text', async () => {
    const fake = renderGroups([
      group({ endpoint: '/users/{id}/orders', endpointTemplate: '/users/{id}/orders' }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: /^Sessions with sqli on/ }));
    await waitFor(() =>
      expect(sessionFilters(fake)).toEqual({ attackTypes: ['sqli'], endpoints: [ENDPOINT] }),
    );
  });

  it('lists a group with no endpoint by its type, method and the text of its path', async () => {
    const fake = renderGroups([
      group({ endpoint: '/users/{id}/orders', endpointId: null, endpointTemplate: null }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: /^Sessions with sqli on/ }));
    await waitFor(() =>
      expect(sessionFilters(fake)).toEqual({
        attackTypes: ['sqli'],
        methods: ['GET'],
        // The part of the folded path its requests hold as written.
        text: '/users/',
      }),
    );
  });

  it('still opens the example request', async () => {
    const fake = renderGroups([group({})]);
    fireEvent.click(await screen.findByRole('button', { name: 'Open example request #7' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'getRequest')?.input).toEqual({ id: 7 }),
    );
  });

  it('shows the control characters of paths, parameters and fragments, as text', async () => {
    const hostile = group({
      endpoint: HIDDEN.nul.raw,
      endpointTemplate: `/nul\u202E{name}`,
    });
    const item = attackItem(9, Date.UTC(2026, 10, 20, 9) * 1000, {
      path: HIDDEN.nul.raw,
      param: `q\x1b`,
      fragment: HIDDEN.esc.raw,
    });
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        listAttacks: (input) =>
          input?.summaries === false
            ? { types: [], groups: [], groupsTotal: 0, items: [item], nextCursor: null }
            : attacks([hostile], input),
      },
      { ...initialViewState(), view: 'attacks' },
    );
    const link = await screen.findByRole('button', {
      name: `Sessions with sqli on GET ${HIDDEN.nul.shown}`,
    });
    expectShown(link, HIDDEN.nul.shown);
    expectShownString(link.title, HIDDEN.nul.shown);
    const template = screen.getByTitle('/nul\\u202E{name}');
    expectShown(template, '/nul\\u202E{name}');
    const row = (await screen.findAllByRole('row')).find((r) =>
      r.textContent?.includes('xss.tag'),
    )!;
    expectShown(row, HIDDEN.nul.shown, 'query: q\\x1B', HIDDEN.esc.shown);
    expectShown(row.querySelector('mark')!, HIDDEN.esc.shown);
    expect(document.querySelector('img, b')).toBeNull();
  });
});

/** `n` groups, largest first, each on its own path. */
const many = (n: number): AttackGroup[] =>
  Array.from({ length: n }, (_, i) =>
    group({
      endpoint: `/p${String(i).padStart(4, '0')}`,
      requests: n - i,
      exampleRequestId: i + 1,
    }),
  );

const groupsGrid = (): HTMLElement => screen.getByRole('grid', { name: 'By path' });
const selectedRow = (grid: HTMLElement): Element | null =>
  grid.querySelector('[role="row"][aria-selected="true"]');

describe('attack groups, counted and paged', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('say how many of how many groups are listed, and list more on request', async () => {
    const fake = renderGroups(many(450));
    await waitFor(() =>
      expect(screen.getByTestId('attack-groups-count').textContent).toContain(
        '200 of 450 groups (largest first)',
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Show more groups' }));
    await waitFor(() =>
      expect(screen.getByTestId('attack-groups-count').textContent).toContain(
        '400 of 450 groups (largest first)',
      ),
    );
    expect(
      fake.calls.some(
        (c) =>
          c.name === 'listAttacks' && (c.input as { groupOffset?: number })?.groupOffset === 200,
      ),
    ).toBe(true);
  });

  it('say only the total when every group is listed', async () => {
    renderGroups(many(3));
    await waitFor(() =>
      expect(screen.getByTestId('attack-groups-count').textContent).toBe(
        '3 groups (largest first) ',
      ),
    );
    expect(screen.queryByRole('button', { name: 'Show more groups' })).toBeNull();
  });

  it('are a keyboard-driven table: j moves, Enter opens the group’s sessions', async () => {
    const fake = renderGroups(many(3));
    await screen.findByText('/p0000');
    const grid = groupsGrid();
    const scroller = grid.querySelector('[tabindex="0"]') ?? grid;
    fireEvent.keyDown(scroller, { key: 'j' });
    await waitFor(() => expect(selectedRow(grid)?.textContent).toContain('/p0001'));
    fireEvent.keyDown(scroller, { key: 'Enter' });
    await waitFor(() =>
      expect(sessionFilters(fake)).toEqual({
        attackTypes: ['sqli'],
        endpoints: [ENDPOINT],
        text: '/p0001',
      }),
    );
  });
});

describe('an attacks link', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  const open = (groups: AttackGroup[], state: Partial<ReturnType<typeof initialViewState>>) =>
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        listAttacks: (input) => attacks(groups, input),
      },
      { ...initialViewState(), view: 'attacks', ...state },
    ).fake;

  it('selects its group by key, on a later page too, whatever its row was', async () => {
    const fake = open(many(450), {
      // Row 1 is another group: the key wins.
      selected: { attackGroups: 1 },
      selectedIds: { attackGroups: 'sqli\tGET\t/p0321' },
      listFilters: { attacks: { type: 'sqli' } },
    });
    // Row 321 is past the rows drawn: the grid names it as its active row.
    await waitFor(() =>
      expect(groupsGrid().getAttribute('aria-activedescendant')).toBe('row-sqli\tGET\t/p0321'),
    );
    // The link's type is the one asked for.
    expect(
      fake.calls
        .filter((c) => c.name === 'listAttacks')
        .every((c) => (c.input as { type?: string })?.type === 'sqli'),
    ).toBe(true);
    expect(screen.queryByTestId('group-missing')).toBeNull();
  });

  it('says a group that is no longer there is gone, and selects no other', async () => {
    open(many(3), { selectedIds: { attackGroups: 'sqli\tGET\t/gone' } });
    expect((await screen.findByTestId('group-missing')).textContent).toContain(
      'not in this list any more',
    );
    expect(selectedRow(groupsGrid())).toBeNull();
  });
});
