import { useEffect, type RefObject } from 'react';

/** recharts' z-index layers: the `<g>`s it renders parts of a chart into, through portals. */
const LAYER = 'g[class*="recharts-zIndex-layer_"]';

function untab(el: Element): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
}

/**
 * Takes recharts' layer groups inside `box` out of the tab order. React listens for events on
 * every portal container, and Chromium makes an SVG element with focus listeners focusable:
 * the layers the axes, their labels and the tooltip's cursor are drawn into became three
 * unlabelled tab stops between the brush and the next control. A layer appears as a part
 * first asks for it (the cursor once the tooltip is engaged), so new ones are caught as added.
 * Every recharts chart's box uses it; the chart's own keyboard layer (the <svg>) stays a stop
 * and is given an aria-label where the chart is drawn.
 */
export function useNoLayerTabStops(box: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    root.querySelectorAll(LAYER).forEach(untab);
    const observer = new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (node.matches(LAYER)) untab(node);
          node.querySelectorAll(LAYER).forEach(untab);
        }
      }
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [box]);
}
