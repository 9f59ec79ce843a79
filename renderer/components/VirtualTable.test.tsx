// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/I18nContext';
import { stubLayout } from '../testing/renderWithApi';
import { HEAD_HEIGHT, VirtualTable, type Column } from './VirtualTable';

interface Item {
  id: number;
  name: string;
}

const ROWS: Item[] = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `row ${i}` }));

function Table(props: { columns: readonly Column<Item>[]; opened: Item[] }): ReactNode {
  const [selected, setSelected] = useState(0);
  return (
    <I18nProvider locale="en" zone="UTC">
      <VirtualTable
        label="items"
        rows={ROWS}
        columns={props.columns}
        rowKey={(r) => r.id}
        selected={selected}
        onSelect={setSelected}
        // A new function every render, as views pass them: rows must still use the latest.
        onOpen={(r) => props.opened.push({ ...r, name: `${r.name} (selected ${selected})` })}
      />
    </I18nProvider>
  );
}

/** Content far taller than the view, so the table's scroll view can scroll (happy-dom lays out nothing). */
function stubScrollHeight(): void {
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get: () => 100_000,
  });
}

function unstubScrollHeight(): void {
  delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
}

/** n rows named r0, r1, … */
function items(n: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({ id: i, name: `r${i}` }));
}

describe('VirtualTable rows', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('redraws only the rows whose selection changed, and opens with the latest handler', () => {
    const renders = new Map<number, number>();
    const columns: Column<Item>[] = [
      {
        id: 'name',
        header: 'Name',
        width: '1fr',
        render: (r) => {
          renders.set(r.id, (renders.get(r.id) ?? 0) + 1);
          return r.name;
        },
      },
    ];
    const opened: Item[] = [];
    render(<Table columns={columns} opened={opened} />);
    expect(screen.getByText('row 9')).toBeTruthy();
    const before = new Map(renders);
    fireEvent.click(screen.getByText('row 3'));
    const redrawn = [...renders].filter(([id, n]) => n !== before.get(id)).map(([id]) => id);
    expect(redrawn.sort()).toEqual([0, 3]);
    expect(screen.getByText('row 3').closest('[role="row"]')?.getAttribute('aria-selected')).toBe(
      'true',
    );
    fireEvent.doubleClick(screen.getByText('row 5'));
    // The handler of the latest render (after the click), not the first one's (selected 0).
    expect(opened).toEqual([{ id: 5, name: 'row 5 (selected 3)' }]);
  });

  it('says whether a row was selected by a click or by a key', () => {
    const seen: [number, string][] = [];
    const { container } = render(
      <I18nProvider locale="en" zone="UTC">
        <VirtualTable
          label="items"
          rows={ROWS}
          columns={[{ id: 'name', header: 'Name', width: '1fr', render: (r: Item) => r.name }]}
          rowKey={(r) => r.id}
          selected={0}
          onSelect={(i, by) => seen.push([i, by])}
        />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByText('row 2'));
    fireEvent.keyDown(container.querySelector('.vtable-scroll')!, { key: 'j' });
    expect(seen).toEqual([
      [2, 'pointer'],
      [1, 'key'],
    ]);
  });

  it('windows no more rows than a fixed-height pane can show before its size is reported', () => {
    const many = items(500);
    const columns: Column<Item>[] = [
      { id: 'name', header: 'Name', width: '1fr', render: (r) => r.name },
    ];
    const rendered = (maxViewportHeight?: number): number => {
      const { container, unmount } = render(
        <I18nProvider locale="en" zone="UTC">
          <VirtualTable
            label="items"
            rows={many}
            columns={columns}
            rowKey={(r) => r.id}
            selected={0}
            onSelect={() => undefined}
            maxViewportHeight={maxViewportHeight}
          />
        </I18nProvider>,
      );
      const n = container.querySelectorAll('.vtable-row[role="row"]').length;
      unmount();
      return n;
    };
    // 260 px, the header's 28 on top, then 26 px rows: 9 shown, plus the overscan below.
    expect(rendered(260)).toBe(9 + 8);
    // Without the hint, the window's height (happy-dom: 768 px): rows the pane may not show.
    expect(rendered()).toBe(Math.ceil((window.innerHeight - HEAD_HEIGHT) / 26) + 8);
  });

  it('scrolls the header sideways with the rows: one scroll box, one box as wide as the grid', () => {
    const columns: Column<Item>[] = [
      { id: 'name', header: 'Name', width: '600px', render: (r) => r.name },
      { id: 'id', header: 'Id', width: 'minmax(90px, 1fr)', render: (r) => String(r.id) },
    ];
    const { container } = render(
      <I18nProvider locale="en" zone="UTC">
        <VirtualTable
          label="items"
          rows={ROWS}
          columns={columns}
          rowKey={(r) => r.id}
          selected={0}
          onSelect={() => undefined}
        />
      </I18nProvider>,
    );
    const scroll = container.querySelector('.vtable-scroll')!;
    const header = screen.getByRole('columnheader', { name: 'Name' }).parentElement!;
    const row = screen.getByText('row 0').closest('[role="row"]')!;
    // The header is in the rows' scroll box (sticky on top), not above it: scrolling the box
    // sideways moves both. Header and rows share one parent, as wide as the grid's tracks.
    expect(scroll.contains(header)).toBe(true);
    expect(header.parentElement).toBe(row.parentElement);
    expect(header.parentElement!.className).toBe('vtable-body');
    // The rows start below the header, so the first one is not hidden under it.
    expect((row as HTMLElement).style.transform).toBe(`translateY(${HEAD_HEIGHT}px)`);
    expect(screen.getAllByRole('row')[0]).toBe(header);
  });

  it('scrolls a row reached by key to just below the header, not under it', () => {
    stubScrollHeight();
    try {
      const many = items(500);
      function Keyed(): ReactNode {
        const [selected, setSelected] = useState(50);
        return (
          <I18nProvider locale="en" zone="UTC">
            <VirtualTable
              label="items"
              rows={many}
              columns={[{ id: 'name', header: 'Name', width: '1fr', render: (r: Item) => r.name }]}
              rowKey={(r) => r.id}
              selected={selected}
              onSelect={setSelected}
            />
          </I18nProvider>
        );
      }
      const { container } = render(<Keyed />);
      const scroll = container.querySelector<HTMLElement>('.vtable-scroll')!;
      // Row 50 at the top of the rows' view (right under the header).
      scroll.scrollTop = 50 * 26;
      fireEvent.scroll(scroll);
      fireEvent.keyDown(scroll, { key: 'k' });
      // Row 49 is above the view: scrolled so it sits below the header, where rows show.
      expect(scroll.scrollTop).toBe(49 * 26);
    } finally {
      unstubScrollHeight();
    }
  });
});

describe('VirtualTable selection made elsewhere', () => {
  beforeEach(() => {
    stubLayout();
    stubScrollHeight();
  });
  afterEach(() => {
    cleanup();
    unstubScrollHeight();
  });

  const frames = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await new Promise((done) => requestAnimationFrame(() => done(0)));
  };
  /** The investigator scrolls the view (a scroll event, as a browser sends), then frames pass. */
  const scrollViewTo = async (el: HTMLElement, top: number): Promise<void> => {
    el.scrollTop = top;
    fireEvent.scroll(el);
    await frames(3);
  };
  /** The table as a view holds it: rows and selection given from outside. */
  const table = (rows: readonly Item[], selected: number): ReactNode => (
    <I18nProvider locale="en" zone="UTC">
      <VirtualTable
        label="items"
        rows={rows}
        columns={[{ id: 'name', header: 'Name', width: '1fr', render: (r: Item) => r.name }]}
        rowKey={(r) => r.id}
        selected={selected}
        onSelect={() => undefined}
        // The view's height as the virtualizer first takes it (happy-dom reports no resize).
        maxViewportHeight={600}
      />
    </I18nProvider>
  );
  // happy-dom sends no scroll event for a scroll made by script, as a browser does.
  const scrolled = (el: HTMLElement): void => void fireEvent.scroll(el);
  const selectedName = (): string | null | undefined =>
    document.querySelector('[role="row"][aria-selected="true"]')?.textContent;
  // 600 px tall: a row below the view is scrolled to its bottom edge ('auto').
  const bottomAt = (i: number): number => HEAD_HEIGHT + (i + 1) * 26 - 600;

  it('scrolls a selection set from outside into view, once, and not a row already in view', async () => {
    const { container, rerender } = render(table(items(500), 0));
    const scroll = container.querySelector<HTMLElement>('.vtable-scroll')!;
    expect(scroll.scrollTop).toBe(0);
    // A link (or a row found by id on a later page) selects row 300, far below the view.
    rerender(table(items(500), 300));
    expect(scroll.scrollTop).toBe(bottomAt(300));
    scrolled(scroll);
    expect(selectedName()).toBe('r300');
    await frames(3);
    // The investigator scrolls back up: rows appended, or the same selection rendered again,
    // do not pull the view back to it.
    await scrollViewTo(scroll, 0);
    rerender(table(items(700), 300));
    rerender(table(items(700), 300));
    await frames(3);
    expect(scroll.scrollTop).toBe(0);
    // A row in view when selected from outside: no jump.
    rerender(table(items(700), 5));
    await frames(3);
    expect(scroll.scrollTop).toBe(0);
    // Back to row 300 from outside (Back, say): brought into view again.
    rerender(table(items(700), 300));
    expect(scroll.scrollTop).toBe(bottomAt(300));
  });

  it('scrolls to a selection whose row was not loaded yet when its row arrives', async () => {
    const { container, rerender } = render(table(items(80), 0));
    const scroll = container.querySelector<HTMLElement>('.vtable-scroll')!;
    // An older link's row number, beyond the first page.
    rerender(table(items(80), 150));
    expect(scroll.scrollTop).toBe(0);
    expect(selectedName()).toBeUndefined();
    rerender(table(items(280), 150));
    expect(scroll.scrollTop).toBe(bottomAt(150));
    scrolled(scroll);
    expect(selectedName()).toBe('r150');
    await frames(3);
    await scrollViewTo(scroll, 0);
    rerender(table(items(480), 150));
    await frames(3);
    expect(scroll.scrollTop).toBe(0);
  });
});

describe('VirtualTable columns that give way', () => {
  const columns: Column<Item>[] = [
    { id: 'name', header: 'Name', width: '300px', render: (r) => r.name },
    {
      id: 'kind',
      header: 'Kind',
      width: 'minmax(150px, 1fr)',
      givesWay: 1,
      render: (r) => `kind ${r.id}`,
      title: (r) => `kind ${r.id} (whole)`,
    },
    { id: 'id', header: 'Id', width: '100px', render: (r) => `#${r.id}` },
  ];
  const renderAt = (width: number): void => {
    // No ResizeObserver: the table reads the view's width once (stubLayout's clientWidth).
    const RO = window.ResizeObserver;
    stubLayout(600, width);
    delete (window as { ResizeObserver?: unknown }).ResizeObserver;
    try {
      render(
        <I18nProvider locale="en" zone="UTC">
          <VirtualTable
            label="items"
            rows={ROWS}
            columns={columns}
            rowKey={(r) => r.id}
            selected={0}
            onSelect={() => undefined}
          />
        </I18nProvider>,
      );
    } finally {
      window.ResizeObserver = RO;
    }
  };
  afterEach(cleanup);

  it('hides a column that gives way where the view is narrower than every least width', () => {
    renderAt(500);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Id']);
    expect(screen.queryByText('kind 1')).toBeNull();
    const row = screen.getByText('row 1').closest('[role="row"]') as HTMLElement;
    // The cells left share the grid; the hidden value is in the row's title, and the foot
    // says what is hidden.
    expect(row.style.gridTemplateColumns).toBe('300px 100px');
    expect(row.title).toBe('Kind: kind 1 (whole)');
    expect(screen.getByTestId('hidden-columns').textContent).toBe(
      'Hidden at this width: Kind (in each row’s tooltip)',
    );
  });

  it('shows every column where they fit', () => {
    renderAt(550);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Name',
      'Kind',
      'Id',
    ]);
    expect(screen.getByText('kind 1')).toBeTruthy();
    expect(screen.queryByTestId('hidden-columns')).toBeNull();
  });
});

describe('VirtualTable autoFocus', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => done()));
  const renderFocused = (): void => {
    render(
      <I18nProvider locale="en" zone="UTC">
        <input aria-label="elsewhere" />
        <VirtualTable
          label="items"
          rows={ROWS}
          columns={[{ id: 'name', header: 'Name', width: '100px', render: (r: Item) => r.name }]}
          rowKey={(r) => r.id}
          selected={0}
          onSelect={() => undefined}
          autoFocus
        />
      </I18nProvider>,
    );
  };

  it('takes the focus in the frame after it mounts, so arrow keys work at once', async () => {
    renderFocused();
    await frame();
    await frame();
    expect(document.activeElement?.hasAttribute('data-table-focus')).toBe(true);
  });

  it('leaves the focus where the investigator moved it before that frame', async () => {
    renderFocused();
    screen.getByLabelText('elsewhere').focus();
    await frame();
    await frame();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('elsewhere');
  });
});

describe('VirtualTable keys hint', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  const hint = (props: { searchable?: boolean; open?: boolean }, locale: 'en' | 'ja' = 'en') => {
    const { container } = render(
      <I18nProvider locale={locale} zone="UTC">
        <VirtualTable
          label="items"
          rows={ROWS}
          columns={[{ id: 'name', header: 'Name', width: '1fr', render: (r: Item) => r.name }]}
          rowKey={(r) => r.id}
          selected={0}
          onSelect={() => undefined}
          onOpen={props.open ? () => undefined : undefined}
          searchable={props.searchable}
        />
      </I18nProvider>,
    );
    const text = container.querySelector('.vtable-foot > span')!.textContent;
    cleanup();
    return text;
  };

  // "/" focuses a page's search field (App); the audit trail, the attacks and the rejected
  // lines have none, and their hint offered "/ search" all the same.
  it('offers "/ search" only where the page has a search field', () => {
    expect(hint({ searchable: true, open: true })).toBe(
      'j/k or ↑/↓ move · Enter open · Esc back · / search',
    );
    expect(hint({ searchable: true })).toBe('j/k or ↑/↓ move · Esc back · / search');
    expect(hint({ open: true })).toBe('j/k or ↑/↓ move · Enter open · Esc back');
    expect(hint({})).toBe('j/k or ↑/↓ move · Esc back');
    expect(hint({}, 'ja')).toBe('j/k または ↑/↓ で移動 · Esc で戻る');
    expect(hint({ open: true }, 'ja')).not.toContain('検索');
  });
});
