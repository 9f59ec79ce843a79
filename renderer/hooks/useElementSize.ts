import { useEffect, useState, type RefObject } from 'react';
import { observeContentSize } from '../components/lazyLayout';

export interface Size {
  width: number;
  height: number;
}

/**
 * An element's content size, as its ResizeObserver reports it: after the browser's own layout,
 * never by asking for one mid-render (as a chart's measuring container does on mount). Null
 * until the first report, or `guess` (a size the element is expected to have, drawn at once and
 * corrected by the first report if wrong); where there is no ResizeObserver, read once.
 */
export function useElementSize(
  ref: RefObject<HTMLElement | null>,
  guess: Size | null = null,
): Size | null {
  const [size, setSize] = useState<Size | null>(guess);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const report = (width: number, height: number): void =>
      setSize((s) =>
        s !== null && s.width === width && s.height === height ? s : { width, height },
      );
    return observeContentSize(
      el,
      typeof ResizeObserver === 'undefined' ? undefined : ResizeObserver,
      (width, height) => report(Math.floor(width), Math.floor(height)),
    );
  }, [ref]);
  return size;
}
