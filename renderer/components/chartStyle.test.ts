import { describe, expect, it } from 'vitest';
import css from '../styles/app.css?raw';
import { contrastRatio, deltaE2000, resolveColour, themeProperties } from '../testing/colours';
import { BAR_MARKS, STATUS_SERIES } from './chartStyle';

const THEMES = { dark: "[data-theme='dark']", light: "[data-theme='light']" } as const;

describe('the timeline marks’ colours', () => {
  it('are read by the colour arithmetic as a viewer would', () => {
    expect(deltaE2000('#d0605a', '#d0605a')).toBe(0);
    expect(deltaE2000('#000000', '#ffffff')).toBeCloseTo(100, 0);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });

  for (const [theme, selector] of Object.entries(THEMES)) {
    it(`stand apart from every status class's bar and from each other (${theme} theme)`, () => {
      const props = themeProperties(css, selector);
      const panel = resolveColour('var(--bg-raised)', props);
      const marks = BAR_MARKS.map((m) => ({ key: m.key, hex: resolveColour(m.color, props) }));
      for (const mark of marks) {
        // A mark sits on its bar (any status class) and on the panel: it must read as
        // another colour than any bar's (the 5xx bar's red and 4xx's amber were 2-16 apart),
        // and show on the panel.
        for (const s of STATUS_SERIES) {
          const bar = resolveColour(s.color, props);
          expect(deltaE2000(mark.hex, bar), `${mark.key} vs ${s.key}`).toBeGreaterThanOrEqual(20);
        }
        expect(contrastRatio(mark.hex, panel), `${mark.key} on the panel`).toBeGreaterThan(3);
      }
      expect(deltaE2000(marks[0]!.hex, marks[1]!.hex)).toBeGreaterThanOrEqual(20);
    });
  }
});
