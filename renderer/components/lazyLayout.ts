import { elementScroll, type Rect, type Virtualizer } from '@tanstack/react-virtual';

// Virtualizer options that never make the browser lay the page out in the middle of a render.

/**
 * Reports an element's content box each time it changes, from a ResizeObserver: after the
 * browser's own layout, never by asking for one. Where there is no ResizeObserver (`RO`
 * undefined) its size is read once. Returns the disconnect, if any.
 */
export function observeContentSize(
  element: Element,
  RO: typeof ResizeObserver | undefined,
  cb: (width: number, height: number) => void,
): (() => void) | undefined {
  if (!RO) {
    cb(element.clientWidth, element.clientHeight);
    return undefined;
  }
  const observer = new RO((entries) => {
    const box = entries[entries.length - 1]?.contentRect;
    if (box) cb(box.width, box.height);
  });
  observer.observe(element, { box: 'content-box' });
  return () => observer.disconnect();
}

/**
 * The virtualizer's size watcher without its first synchronous measurement: the library's
 * reads the scroll element's size as the table mounts, forcing a layout of the whole page
 * mid-commit (about 10 ms when a session page opens). Here the size comes from a
 * ResizeObserver, which reports after the browser's own layout, before paint; until then the
 * virtualizer works from `initialRect` (the window's size, so the first rows cover the view).
 * Where there is no ResizeObserver, the size is read once, as the library does.
 */
export function observeRectLazily(
  instance: Virtualizer<HTMLDivElement, Element>,
  cb: (rect: Rect) => void,
): (() => void) | undefined {
  const element = instance.scrollElement;
  const win = instance.targetWindow;
  if (!element || !win) return undefined;
  return observeContentSize(element, win.ResizeObserver, (width, height) =>
    cb({ width: Math.round(width), height: Math.round(height) }),
  );
}

/**
 * A first guess at the table's viewport: the window, so no row is missing before the first
 * report, or less where the page knows the most the table can show (`maxHeight`, a fixed-height
 * pane): rows it would render and drop at the first report are not rendered at all.
 */
export function windowRect(maxHeight = Infinity): Rect {
  return typeof window === 'undefined'
    ? { width: 0, height: Math.min(800, maxHeight) }
    : { width: window.innerWidth, height: Math.min(window.innerHeight, maxHeight) };
}

/** Scroll elements the virtualizer has positioned at least once. */
const positioned = new WeakSet<Element>();

/**
 * The virtualizer's scroll, without its first call: on mount it scrolls its fresh element to
 * offset 0 — where a new element already is — and that scroll forces a layout of the page
 * mid-commit (about 8 ms when a session opens). Every later scroll goes through.
 */
export function scrollToLazily(
  offset: number,
  options: { adjustments?: number; behavior?: ScrollBehavior },
  instance: Virtualizer<HTMLDivElement, Element>,
): void {
  const el = instance.scrollElement;
  if (el && !positioned.has(el)) {
    positioned.add(el);
    if (offset + (options.adjustments ?? 0) === 0) return;
  }
  elementScroll(offset, options, instance);
}
