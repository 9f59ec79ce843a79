import { useVirtualizer } from '@tanstack/react-virtual';
import { observeContentSize, observeRectLazily, scrollToLazily, windowRect } from './lazyLayout';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useI18n } from '../i18n/I18nContext';
import { hiddenColumnIds } from './columnsThatFit';
import { Icon } from './Icon';

export interface Column<T> {
  id: string;
  header: string;
  /** A CSS grid track, e.g. '160px' or 'minmax(120px, 1fr)'. */
  width: string;
  render: (row: T) => ReactNode;
  /**
   * Plain-text hover title for the cell (hostile text is fine: titles are never markup; log
   * text goes through visibleText, so its control characters show there too).
   */
  title?: (row: T) => string | undefined;
  align?: 'left' | 'right';
  sortable?: boolean;
  /** What the column holds or sorts by, on its header's hover (with the sort order's). */
  headerTitle?: string;
  /**
   * Where the view is narrower than every column's least width, the columns with a rank are
   * hidden, 1 first, so the others keep theirs (columnsThatFit); a row's title then names the
   * hidden ones' values (their `title`) and the foot says which are hidden.
   */
  givesWay?: number;
}

export interface SortState {
  column: string;
  dir: 'asc' | 'desc';
}

/** How a row was selected: a click, or a key (j/k, arrows, Home/End, paging). */
export type SelectedBy = 'pointer' | 'key';

export interface VirtualTableProps<T> {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  /** Index of the keyboard-selected row (controlled, so the view state can hold it). */
  selected: number;
  /** A row selected by the keyboard, or clicked (`pointer`, also when already selected). */
  onSelect: (index: number, by: SelectedBy) => void;
  onOpen?: (row: T) => void;
  /**
   * The page has a search field that "/" focuses (App): the keys' hint offers it only then,
   * a promise of nothing where there is none.
   */
  searchable?: boolean;
  hasMore?: boolean;
  loading?: boolean;
  onLoadMore?: () => void;
  sort?: SortState | null;
  onSort?: (column: string) => void;
  rowClassName?: (row: T) => string | undefined;
  rowTitle?: (row: T) => string | undefined;
  empty?: ReactNode;
  autoFocus?: boolean;
  rowHeight?: number;
  /** The most the table's viewport can be tall, where its pane has a fixed height (px). */
  maxViewportHeight?: number;
}

const ROW_HEIGHT = 26;
/**
 * The header row's height. It sits in the rows' scroll container (sticky on top), so header
 * and rows scroll sideways together; the rows start below it, and a row scrolled to by key
 * stops below it, not under it.
 */
export const HEAD_HEIGHT = 28;

/**
 * A dense, windowed table: only visible rows are in the DOM, more keyset pages are fetched
 * as the end comes into view. Keyboard: j/k or ↓/↑ move, PageDown/PageUp jump, Home/End,
 * Enter opens. Esc and / are app-wide (see App).
 */
export function VirtualTable<T>(props: VirtualTableProps<T>): ReactNode {
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = props.rowHeight ?? ROW_HEIGHT;
  const { rows, hasMore, loading, onLoadMore, selected } = props;
  const count = rows.length + (hasMore ? 1 : 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is the documented way; its returned functions are not memoised by React Compiler, which we do not use.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    paddingStart: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    overscan: 8,
    observeElementRect: observeRectLazily,
    scrollToFn: scrollToLazily,
    initialRect: windowRect(props.maxViewportHeight),
  });
  const items = virtualizer.getVirtualItems();
  // Rows get callbacks that never change, reading the latest props, so a row re-renders only
  // when its own data, place or selection does (a selection move redraws two rows, not all).
  const latest = useRef({ onSelect: props.onSelect, onOpen: props.onOpen });
  useLayoutEffect(() => {
    latest.current = { onSelect: props.onSelect, onOpen: props.onOpen };
  });
  // The selection last brought into view, or made here (a key scrolls to its row, a click is
  // on one in view). A fresh table shows its first row.
  const shown = useRef(0);
  const selectRow = useCallback((i: number) => {
    shown.current = i;
    latest.current.onSelect(i, 'pointer');
  }, []);
  const openRow = useCallback((row: unknown) => latest.current.onOpen?.(row as T), []);
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (hasMore && !loading && onLoadMore && lastIndex >= rows.length - 1) onLoadMore();
  }, [lastIndex, rows.length, hasMore, loading, onLoadMore]);

  // A selection made elsewhere (a link, a row found by id on a later page, Back) is scrolled
  // into view once its row is loaded; 'auto' leaves a row already in view where it is. Only
  // when the selection changes or its row arrives: rows appended later, or the investigator's
  // own scrolling, leave the view alone.
  const selectedLoaded = selected >= 0 && selected < rows.length;
  useEffect(() => {
    if (!selectedLoaded || shown.current === selected) return;
    shown.current = selected;
    virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, selectedLoaded, virtualizer]);

  // Focused in the next frame's callback, where the browser lays the new page out anyway:
  // focusing during the commit forced that layout early (10-20 ms on a session page). Not
  // when the focus moved in between (a field the investigator or a dialog just focused).
  useEffect(() => {
    if (!props.autoFocus) return;
    const before = document.activeElement;
    const frame = requestAnimationFrame(() => {
      if (document.activeElement !== before) return;
      scrollRef.current?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [props.autoFocus]);

  const move = (to: number): void => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, to));
    shown.current = next;
    props.onSelect(next, 'key');
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        move(selected + 1);
        break;
      case 'k':
      case 'ArrowUp':
        move(selected - 1);
        break;
      case 'PageDown':
        move(selected + page);
        break;
      case 'PageUp':
        move(selected - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter': {
        const row = rows[selected];
        if (row && props.onOpen) props.onOpen(row);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  // The view's width, watched only where some column may give way to it.
  const [width, setWidth] = useState<number | null>(null);
  const mayGiveWay = props.columns.some((c) => c.givesWay !== undefined);
  useEffect(() => {
    const el = scrollRef.current;
    if (!mayGiveWay || !el) return;
    return observeContentSize(el, window.ResizeObserver, (w) => setWidth(Math.floor(w)));
  }, [mayGiveWay]);
  const hiddenIds = hiddenColumnIds(props.columns, width);
  const { columns, hidden } = useMemo(() => {
    const ids = new Set(hiddenIds.split(','));
    return {
      columns: props.columns.filter((c) => !ids.has(c.id)),
      hidden: props.columns.filter((c) => ids.has(c.id)),
    };
  }, [props.columns, hiddenIds]);
  const rowTitle = (row: T): string | undefined =>
    [props.rowTitle?.(row), ...hidden.map((c) => `${c.header}: ${c.title?.(row) ?? '—'}`)]
      .filter(Boolean)
      .join('\n') || undefined;

  const template = columns.map((c) => c.width).join(' ');
  const activeId =
    rows[selected] !== undefined ? `row-${String(props.rowKey(rows[selected]!))}` : undefined;

  return (
    <div className="vtable">
      {/* The grid is the element that takes focus, so its active row can be named on it. */}
      <div
        ref={scrollRef}
        className="vtable-scroll"
        role="grid"
        aria-label={props.label}
        aria-rowcount={rows.length + 1}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={activeId}
        data-table-focus
      >
        {/* One box as wide as the grid (at least the scroll view), so rows span it all. */}
        <div className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
          <TableHead
            columns={columns as readonly Column<unknown>[]}
            template={template}
            sort={props.sort}
            onSort={props.onSort}
          />
          {items.map((vi) => {
            const row = rows[vi.index];
            const style = {
              height: vi.size,
              transform: `translateY(${vi.start}px)`,
              gridTemplateColumns: template,
            };
            if (row === undefined) {
              return (
                <div key="more" className="vtable-row vtable-more muted" style={style} role="row">
                  {t('table.loadingMore')}
                </div>
              );
            }
            const key = props.rowKey(row);
            const isSel = vi.index === selected;
            const extra = props.rowClassName?.(row) ?? '';
            return (
              <TableRow
                key={key}
                row={row}
                index={vi.index}
                id={`row-${String(key)}`}
                selected={isSel}
                className={`vtable-row ${isSel ? 'selected' : ''} ${extra}`}
                start={vi.start}
                size={vi.size}
                template={template}
                title={rowTitle(row)}
                columns={columns as readonly Column<unknown>[]}
                onSelect={selectRow}
                onOpen={openRow}
              />
            );
          })}
        </div>
        {rows.length === 0 && !hasMore ? (
          <div className="vtable-empty muted">{props.empty}</div>
        ) : null}
      </div>
      <div className="vtable-foot muted">
        {/* "Enter open" only where a row opens something, "/ search" where there is a search. */}
        <span>
          {t(
            props.onOpen
              ? props.searchable
                ? 'table.keys'
                : 'table.keysNoSearch'
              : props.searchable
                ? 'table.keysNoOpen'
                : 'table.keysNoOpenNoSearch',
          )}
        </span>
        {hidden.length > 0 ? (
          <span data-testid="hidden-columns">
            {t('table.hiddenColumns', {
              columns: hidden.map((c) => c.header).join(t('table.columnSep')),
            })}
          </span>
        ) : null}
        {!hasMore && rows.length > 0 ? <span>{t('table.end')}</span> : null}
      </div>
    </div>
  );
}

/** The header row, sticky at the top of the rows' scroll container (see HEAD_HEIGHT). */
function TableHead(props: {
  columns: readonly Column<unknown>[];
  template: string;
  sort: SortState | null | undefined;
  onSort: ((column: string) => void) | undefined;
}): ReactNode {
  const { t } = useI18n();
  const { sort, onSort } = props;
  return (
    <div
      className="vtable-head"
      role="row"
      style={{ gridTemplateColumns: props.template, height: HEAD_HEIGHT }}
    >
      {props.columns.map((c) => {
        const sorted = sort?.column === c.id ? sort.dir : null;
        return (
          <div
            key={c.id}
            role="columnheader"
            className={`vtable-cell vtable-th ${c.align === 'right' ? 'num' : ''}`}
            aria-sort={
              sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
            }
          >
            {c.sortable && onSort ? (
              <button
                type="button"
                className="th-sort"
                onClick={() => onSort(c.id)}
                title={
                  [
                    c.headerTitle,
                    sorted ? t(sorted === 'asc' ? 'table.sortAsc' : 'table.sortDesc') : undefined,
                  ]
                    .filter(Boolean)
                    .join(' · ') || undefined
                }
              >
                {c.header}
                {sorted ? <Icon name={sorted === 'asc' ? 'up' : 'down'} size={11} /> : null}
              </button>
            ) : (
              <span title={c.headerTitle}>{c.header}</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** One row; memoised (see VirtualTable): its props are plain values and stable callbacks. */
const TableRow = memo(function TableRow(props: {
  row: unknown;
  index: number;
  id: string;
  selected: boolean;
  className: string;
  start: number;
  size: number;
  template: string;
  title: string | undefined;
  columns: readonly Column<unknown>[];
  onSelect: (index: number) => void;
  onOpen: (row: unknown) => void;
}): ReactNode {
  const { row, index, onSelect, onOpen } = props;
  return (
    <div
      id={props.id}
      role="row"
      aria-selected={props.selected}
      className={props.className}
      style={{
        height: props.size,
        transform: `translateY(${props.start}px)`,
        gridTemplateColumns: props.template,
      }}
      title={props.title}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onOpen(row)}
    >
      {props.columns.map((c) => (
        <div
          key={c.id}
          role="gridcell"
          className={`vtable-cell ${c.align === 'right' ? 'num' : ''}`}
          title={c.title?.(row)}
        >
          {c.render(row)}
        </div>
      ))}
    </div>
  );
});
