import { useEffect, useState, type RefObject } from 'react';

export interface Size {
  width: number;
  height: number;
}

/**
 * An element's content size, as its ResizeObserver reports it: after the browser's own layout,
 * never by asking for one mid-render (as a chart's measuring container does on mount). Null
 * until the first report; where there is no ResizeObserver, read once.
 */
export function useElementSize(ref: RefObject<HTMLElement | null>): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const report = (width: number, height: number): void =>
      setSize((s) =>
        s !== null && s.width === width && s.height === height ? s : { width, height },
      );
    if (typeof ResizeObserver === 'undefined') {
      report(el.clientWidth, el.clientHeight);
      return;
    }
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) report(Math.floor(box.width), Math.floor(box.height));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
