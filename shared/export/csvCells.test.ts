import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, jsonCell, neutralizeFormula, unNeutralizeCell } from './csvCells.js';

function parseOne(text: string): string[][] {
  const r = Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n', header: false });
  expect(r.errors).toEqual([]);
  return r.data;
}

/** What a terminal or a C tool would act on: controls but tab, CR and LF; an RLO. */
// eslint-disable-next-line no-control-regex -- the raw characters are what must not be there
const ACTIVE = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202e]/;

/** What some spreadsheet evaluates: a formula after optional whitespace, full-width too; tab, CR. */
const FORMULA = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;

describe('csvCell', () => {
  it('prefixes a quote to every cell a spreadsheet would evaluate', () => {
    for (const v of ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutralizeFormula(v)).toBe(`'${v}`);
    }
    expect(neutralizeFormula('/login')).toBe('/login');
    expect(neutralizeFormula("'quoted")).toBe("'quoted");
    // Already-quoted triggers get one more quote, so the prefix can always be taken off again.
    expect(neutralizeFormula("'=1")).toBe("''=1");
    expect(unNeutralizeCell("''=1")).toBe("'=1");
    expect(unNeutralizeCell("'quoted")).toBe("'quoted");
  });

  it('neutralizes a trigger after leading whitespace and the full-width triggers', () => {
    const hidden = [' =1+1', '\u00a0=1+1', '\u3000=1+1', '\n=1+1', ' \t -1', '\u2003@x'];
    const fullWidth = ['\uff1d1+1', '\uff0b1', '\uff0d1', '\uff20SUM(A1)', ' \uff1dA1'];
    for (const v of [...hidden, ...fullWidth]) {
      expect(neutralizeFormula(v)).toBe(`'${v}`);
      expect(unNeutralizeCell(`'${v}`)).toBe(v);
      expect(neutralizeFormula(`'${v}`)).toBe(`''${v}`);
      expect(unNeutralizeCell(`''${v}`)).toBe(`'${v}`);
    }
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\uff1d1+1')).toBe("'\uff1d1+1");
    // Whitespace alone, or before anything else, is no formula and is written as it is.
    for (const v of [' pad', '\u3000x', '\n1', " '=1", 'a =1', '\u2212 1', '\uff1e1']) {
      expect(neutralizeFormula(v)).toBe(v);
      expect(unNeutralizeCell(v)).toBe(v);
    }
  });

  it('quotes per RFC 4180 and keeps null apart from the empty string', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('""');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(' pad ')).toBe('" pad "');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('=a,b')).toBe('"\'=a,b"');
    // Numbers are numbers: a negative latency is not a formula.
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvRow(['a', null, 3])).toBe('a,,3\r\n');
  });

  it('any strings round-trip through escape, papaparse and un-neutralize', () => {
    const cellText = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({
        unit: fc.constantFrom(
          ...['=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', 'a', ' '],
          ...['\u00a0', '\u3000', '\uff1d', '\uff0b', '\uff0d', '\uff20'],
          ...['\x00', '\x1b', '\x9b', '\u202e', '\\', 'x', '1', 'B'],
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 6 }), (cells) => {
        const line = csvRow(cells);
        const rows = parseOne(line.slice(0, -2));
        expect(rows).toHaveLength(1);
        const back = rows[0]!.map(unNeutralizeCell);
        expect(back).toEqual(cells);
        // No parsed cell is left where a spreadsheet would evaluate it.
        for (const c of rows[0]!) expect(c).not.toMatch(FORMULA);
        // Nor a control character other than tab, CR and LF, nor a bidi override.
        for (const c of rows[0]!) expect(c).not.toMatch(ACTIVE);
      }),
      { numRuns: 2000 },
    );
  });
  it('a JSON column parses to the stored value as written and after un-neutralize', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom(...['\\', '\\', 'x', 'u', '{', '1', 'B', 'E', '2', '"', ',', '=']),
        maxLength: 16,
      }),
      fc.string({ unit: fc.constantFrom('\\', '\x1b', '\x85', '\u202e', '\u{e0041}', '\ufeff') }),
    );
    fc.assert(
      fc.property(fc.dictionary(text, text), (stored) => {
        const rows = parseOne(csvRow([jsonCell(JSON.stringify(stored))]).slice(0, -2));
        const cell = rows[0]![0]!;
        expect(JSON.parse(cell)).toEqual(stored);
        expect(JSON.parse(unNeutralizeCell(cell))).toEqual(stored);
        expect(cell).not.toMatch(ACTIVE);
      }),
      { numRuns: 3000 },
    );
  });
});
