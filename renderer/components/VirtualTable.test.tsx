// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/I18nContext';
import { stubLayout } from '../testing/renderWithApi';
import { VirtualTable, type Column } from './VirtualTable';

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
    const many: Item[] = Array.from({ length: 500 }, (_, i) => ({ id: i, name: `r${i}` }));
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
    // 260 px of 26 px rows: 10 shown, plus the overscan below.
    expect(rendered(260)).toBe(10 + 8);
    // Without the hint, the window's height (happy-dom: 768 px): rows the pane may not show.
    expect(rendered()).toBe(Math.ceil(window.innerHeight / 26) + 8);
  });
});
