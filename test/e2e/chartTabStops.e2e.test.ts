import { describe, expect, it } from 'vitest';
import { combinedFixture, useBrowserMode } from './harness';

/** What the element with focus is, and the name a screen reader would have to read for it. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const by = el.getAttribute('aria-labelledby');
  const labelled = by
    ? by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
    : '';
  const labels = 'labels' in el && el.labels ? [...el.labels].map((l) => l.textContent).join(' ') : '';
  const name = [el.getAttribute('aria-label'), labelled, labels, el.getAttribute('title'),
    el.getAttribute('placeholder'), el.textContent].map((s) => (s ?? '').trim()).find((s) => s) ?? '';
  const cls = typeof el.className === 'string' ? el.className : el.getAttribute('class');
  return { tag: el.tagName.toLowerCase(), cls: cls ?? '', name };
})()`;

interface Stop {
  tag: string;
  cls: string;
  name: string;
}

// A recharts chart listens for events on its portal layers, and Chromium makes an SVG <g>
// with focus listeners a tab stop: unnamed stops a keyboard user lands on for nothing.
describe('chart tab stops (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': combinedFixture() });

  /** Tabs from the top of the page until focus comes round again; every stop on the way. */
  async function tabStops(): Promise<Stop[]> {
    const { page } = app.driven;
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const stops: Stop[] = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const s = (await page.evaluate(FOCUSED)) as Stop | null;
      // Focus leaves the page after its last stop (and may start outside it).
      if (s === null) {
        if (stops.length > 0) break;
        continue;
      }
      if (
        stops.length > 0 &&
        stops[0]!.tag === s.tag &&
        stops[0]!.cls === s.cls &&
        stops[0]!.name === s.name
      )
        break;
      stops.push(s);
    }
    return stops;
  }

  it('leaves no unnamed stop in the Overview, and names the chart', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page
      .getByTestId('requests-over-time')
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor();
    const stops = await tabStops();
    expect(stops.length).toBeGreaterThan(5);
    expect(stops.filter((s) => s.name === '')).toEqual([]);
    const svgs = stops.filter((s) => s.tag === 'svg');
    expect(svgs.map((s) => s.name)).toEqual([
      'Requests over time by status; the arrow keys move between the bars',
    ]);
    expect(app.driven.errors).toEqual([]);
  });

  it('leaves none in a session, timeline included', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const rows = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
    await rows.first().dblclick();
    await page.getByTestId('session-detail').waitFor();
    await page.getByTestId('timeline').locator('.stacked-bar').first().waitFor();
    const stops = await tabStops();
    expect(stops.filter((s) => s.name === '')).toEqual([]);
    expect(stops.some((s) => s.tag === 'svg' && /arrow keys/.test(s.name))).toBe(true);
    expect(app.driven.errors).toEqual([]);
  });
});
