import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, foldAscii } from './decode.js';

const q = { plusAsSpace: true, maxLength: 4096 };
const plain = { plusAsSpace: false, maxLength: 4096 };

describe('decodeText', () => {
  it('peels URL encoding, double and triple', () => {
    expect(decodeText('%27', q).text).toBe("'");
    expect(decodeText('%2527', q).text).toBe("'");
    expect(decodeText('%252527', q).text).toBe("'");
    expect(decodeText('%253CSCRIPT%253E', q).folded).toBe('<script>');
  });

  it('treats + as space only in form values and only in the first layer', () => {
    expect(decodeText('a+b', q).text).toBe('a b');
    expect(decodeText('a+b', plain).text).toBe('a+b');
    expect(decodeText('a%2Bb', q).text).toBe('a+b');
  });

  it('decodes HTML entities, named and numeric, with or without semicolons', () => {
    expect(decodeText('&lt;script&gt;', plain).text).toBe('<script>');
    expect(decodeText('&#60;&#x3C;&#X3c', plain).text).toBe('<<<');
    expect(decodeText('jav&#x09;ascript:', plain).text).toBe('jav\tascript:');
    expect(decodeText('%26lt%3Bb%26gt%3B', q).text).toBe('<b>');
    // A named reference without its semicolon stays (it is how URLs carry "&copy=").
    expect(decodeText('a&copy=1', plain).text).toBe('a&copy=1');
  });

  it('decodes \\uXXXX, \\u{…}, \\xHH and IIS %uXXXX', () => {
    expect(decodeText('\\u0027 or 1=1', plain).text).toBe("' or 1=1");
    expect(decodeText('\\u{3c}\\x3e', plain).text).toBe('<>');
    expect(decodeText('%u0027', plain).text).toBe("'");
  });

  it('folds ASCII case without changing length', () => {
    const d = decodeText('SeLeCt%20İx', q);
    expect(d.text).toBe('SeLeCt İx');
    expect(d.folded).toBe('select İx');
    expect(d.folded.length).toBe(d.text.length);
    expect(foldAscii('ÀBC')).toBe('àbc');
  });

  it('decodes UTF-8 and falls back to Latin-1 with a flag', () => {
    expect(decodeText('%C3%B1', q)).toMatchObject({ text: 'ñ', flags: [] });
    expect(decodeText('Jam%F3n', q)).toMatchObject({ text: 'Jamón', flags: ['not-utf8'] });
    // Overlong "/" is how filters are bypassed: kept as its bytes, flagged.
    expect(decodeText('%c0%af', q).flags).toContain('not-utf8');
  });

  it('flags what it cannot decode and keeps going', () => {
    const d = decodeText('100%zz%27', q);
    expect(d.text).toBe("100%zz'");
    expect(d.flags).toContain('bad-percent');
  });

  it('bounds the work: truncates long input and stops after a few layers', () => {
    const d = decodeText('a'.repeat(5000), { plusAsSpace: false, maxLength: 100 });
    expect(d.text.length).toBe(100);
    expect(d.flags).toContain('truncated');
    const deep = decodeText('%2525252527', q);
    expect(deep.flags).toContain('too-deep');
  });

  it('reports unchanged text as unchanged', () => {
    const d = decodeText('plain value', q);
    expect(d.changed).toBe(false);
    expect(d.text).toBe('plain value');
  });

  it('never throws and keeps folded aligned with text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const d = decodeText(s, q);
        expect(d.folded.length).toBe(d.text.length);
        expect(d.rawFolded.length).toBe(d.raw.length);
      }),
    );
  });
});
