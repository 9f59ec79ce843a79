import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import type { BrushSelection } from './brushSelection';

/** recharts' Brush handles: two `role="slider"` groups, the start's first as drawn. */
const HANDLE = '.recharts-brush-traveller';

type Handles = BrushSelection['handles'];

function set(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Names the handles inside `root`: the one further left is the range's start. */
function nameHandles(root: HTMLElement | null, handles: Handles): void {
  if (!root || !handles) return;
  const found = [...root.querySelectorAll(HANDLE)];
  if (found.length !== 2) return;
  const [a, b] = found as [Element, Element];
  // recharts lets the start handle be dragged past the end one; its offset says which is which.
  const swapped = Number(b.getAttribute('aria-valuenow')) < Number(a.getAttribute('aria-valuenow'));
  const [start, end] = swapped ? [b, a] : [a, b];
  set(start, 'aria-label', handles.start.name);
  set(start, 'aria-valuetext', handles.start.value);
  set(end, 'aria-label', handles.end.name);
  set(end, 'aria-valuetext', handles.end.value);
}

/**
 * Gives the two handles of the recharts Brush inside `box` distinct names ("Start of the
 * selected range", "End …") and their times as values. recharts gives its `ariaLabel` to both
 * handles and their pixel offsets as `aria-valuenow`, and takes no label per handle: so they
 * are named in the DOM after each render of the chart, and again whenever recharts redraws a
 * handle on its own (a drag, a key press) or puts its label back.
 */
export function useBrushHandleNames(box: RefObject<HTMLElement | null>, handles: Handles): void {
  const latest = useRef(handles);
  useLayoutEffect(() => {
    latest.current = handles;
    nameHandles(box.current, handles);
  });
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    // Setting an attribute below is a change observed too: the next pass finds nothing to set.
    const observer = new MutationObserver(() => nameHandles(root, latest.current));
    observer.observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['aria-label', 'aria-valuenow'],
    });
    return () => observer.disconnect();
  }, [box]);
}
