import { describe, expect, it } from 'vitest';
import { escapeCell, hasHiddenChars } from '../../shared/export/cellEscapes';
import { HIDDEN_CHAR_CLASS } from '../../shared/model/hiddenChars';
import { visibleText } from './VisibleText';

// The app and the CSV export mark the same characters the same way (one list in shared/), so
// what the investigator saw marked on screen is what the exported file marks.
describe('hidden characters: the UI and the export agree', () => {
  it('on every code point', () => {
    const hidden = new RegExp(`^${HIDDEN_CHAR_CLASS}$`, 'u');
    const layout = new Set(['\t', '\n', '\r']);
    const disagree: string[] = [];
    let marked = 0;
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      const shown = visibleText(ch);
      const ui = shown !== ch;
      if (ui) marked++;
      // The export leaves tab, CR and LF to CSV quoting; every other one it writes as the UI shows it.
      const csv = layout.has(ch) ? ui : hasHiddenChars(ch) && escapeCell(ch) === shown;
      if (ui !== hidden.test(ch) || ui !== csv) disagree.push(`U+${c.toString(16)}`);
    }
    expect(disagree).toEqual([]);
    // C0 (32) + DEL and C1 (33) + the format characters and the two supplementary ranges.
    expect(marked).toBe(32 + 33 + 1 + 1 + 1 + 5 + 7 + 5 + 4 + 16 + 1 + 128 + 240);
  });
});
