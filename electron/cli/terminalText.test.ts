import { describe, expect, it } from 'vitest';
import { HIDDEN_CHAR_CLASS } from '../../shared/model/hiddenChars.js';
import { terminalJson, terminalText } from './terminalText.js';

const HIDDEN = new RegExp(HIDDEN_CHAR_CLASS, 'u');

describe('terminalText', () => {
  it('writes C0 (tab and line ends too), DEL, C1 and invisible characters as the app shows them', () => {
    expect(terminalText('\x1b[2J\x9b2J\u202eexe.pdf\x7f\x00')).toBe(
      '\\x1B[2J\\x9B2J\\u202Eexe.pdf\\x7F\\x00',
    );
    expect(terminalText('a\tb\r\nc\u200b\u{e0041}')).toBe('a\\x09b\\x0D\\x0Ac\\u200B\\u{E0041}');
    expect(terminalText('C:\\Users\\é ok')).toBe('C:\\Users\\é ok');
  });

  it('leaves nothing hidden, whatever the text', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    all += '\u{e0001}\u{e007f}\u{e0100}\u{e01ef}\ufeff\ufe0f';
    expect(terminalText(all)).not.toMatch(HIDDEN);
  });
});

describe('terminalJson', () => {
  it('keeps the JSON value and leaves no hidden character raw', () => {
    const value = { ua: 'x\x1b[2J\x9b\u202e\x7f\u{e0041}\n\t', n: [1, 'ok'] };
    const json = terminalJson(JSON.stringify(value, null, 2));
    expect(JSON.parse(json)).toEqual(value);
    // The indentation's line ends are JSON's own; no other hidden character is left.
    expect(json.replaceAll('\n', '')).not.toMatch(HIDDEN);
    expect(json).toContain('"x\\u001b[2J\\u009b\\u202e\\u007f\\udb40\\udc41\\n\\t"');
  });
});
