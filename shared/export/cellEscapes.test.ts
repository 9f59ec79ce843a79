import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeCell, hasHiddenChars, unEscapeCell } from './cellEscapes.js';

/** Characters that make escaping hard: backslashes, escape letters, hex, hidden characters. */
const tricky = fc.constantFrom(
  '\\',
  '\\',
  'x',
  'u',
  '{',
  '}',
  '0',
  '1',
  'B',
  'E',
  'F',
  'e',
  '2',
  'a',
  '\x00',
  '\x1b',
  '\x07',
  '\x7f',
  '\x9b',
  '\t',
  '\n',
  '\r',
  '\u202e',
  '\u2028',
  '\ufeff',
  '\u{e0041}',
  '\ud800',
  'é',
  '"',
);
const anyText = fc.oneof(fc.string({ unit: tricky, maxLength: 24 }), fc.string({ unit: 'binary' }));

describe('escapeCell', () => {
  it('writes control and invisible characters as the UI shows them', () => {
    expect(escapeCell('x=\x07\x08\x1b[31mRED\x1b[0m\x00nul')).toBe(
      'x=\\x07\\x08\\x1B[31mRED\\x1B[0m\\x00nul',
    );
    expect(escapeCell('ua\x01\x02\x7f')).toBe('ua\\x01\\x02\\x7F');
    expect(escapeCell('invoice\u202efdp.exe')).toBe('invoice\\u202Efdp.exe');
    expect(escapeCell('\x9b2J and \u{e0041}')).toBe('\\x9B2J and \\u{E0041}');
    // Tab and line ends are CSV's to carry.
    expect(escapeCell('a\tb\r\nc')).toBe('a\tb\r\nc');
  });

  it('keeps a literal escape apart from the character by doubling the backslashes before it', () => {
    // nginx writes a byte it escapes as the four characters \x1B: that is not an ESC.
    expect(escapeCell('\\x1B')).toBe('\\\\x1B');
    expect(escapeCell('\\\x1b')).toBe('\\\\\\x1B');
    expect(unEscapeCell('\\\\x1B')).toBe('\\x1B');
    expect(unEscapeCell('\\x1B')).toBe('\x1b');
    // Other backslashes are left alone.
    for (const plain of ['C:\\Users\\x', '\\\\server\\share', 'a\\nb', '\\x1b', '\\u0041', '\\xZZ'])
      expect(escapeCell(plain)).toBe(plain);
  });

  it('unEscapeCell is its exact inverse, and nothing hidden is left', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = escapeCell(s);
        expect(unEscapeCell(out)).toBe(s);
        expect(hasHiddenChars(out)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps a JSON cell JSON of the stored value, and unEscapeCell gives JSON of it too', () => {
    const value = fc.dictionary(anyText, fc.oneof(anyText, fc.array(anyText, { maxLength: 3 })));
    fc.assert(
      fc.property(value, (v) => {
        const json = JSON.stringify(v);
        const out = escapeCell(json, true);
        expect(hasHiddenChars(out)).toBe(false);
        expect(JSON.parse(out)).toEqual(v);
        expect(JSON.parse(unEscapeCell(out))).toEqual(v);
      }),
      { numRuns: 3000 },
    );
    // Without a backslash before it, a hidden character's JSON escape parses to itself.
    const headers = { 'x-a': 'ok\u202e\x85\x7f', 'x-b': 'esc\x1b' };
    const cell = escapeCell(JSON.stringify(headers), true);
    expect(cell).toBe('{"x-a":"ok\\u202E\\u0085\\u007F","x-b":"esc\\u001b"}');
    expect(JSON.parse(cell)).toEqual(headers);
  });

  it('doubles no backslash in a JSON cell: a backslash before a hidden character stays one', () => {
    // a, backslash, U+202E, b: once written {"k":"a\\\\\u202Eb"}, which parsed to two backslashes.
    const stored = { k: 'a\\\u202eb' };
    const cell = escapeCell(JSON.stringify(stored), true);
    expect(cell).toBe('{"k":"a\\u005C\\u202Eb"}');
    expect(JSON.parse(cell)).toEqual(stored);
    expect(JSON.parse(unEscapeCell(cell))).toEqual(stored);
    // nginx's literal \x1B in a header value, two backslashes before a tag character.
    for (const v of ['\\x1B', '\\\\\u{e0041}', '\\\\\\x9B\\\u202e', '\\\x85']) {
      const out = escapeCell(JSON.stringify({ v }), true);
      expect(JSON.parse(out)).toEqual({ v });
      expect(JSON.parse(unEscapeCell(out))).toEqual({ v });
    }
  });

  it('keeps JSON text that already holds upper-case escapes the same value both ways', () => {
    // Not what JSON.stringify writes, but valid JSON: escapes after escaped backslashes.
    for (const json of [
      '{"k":"\\\\\\u202E"}',
      '{"k":"\\\\\\\\\\uD800x"}',
      '{"k":"\\u202E\\\\x1B"}',
    ]) {
      const value: unknown = JSON.parse(json);
      const out = escapeCell(json, true);
      expect(JSON.parse(out)).toEqual(value);
      expect(JSON.parse(unEscapeCell(out))).toEqual(value);
    }
  });
});
