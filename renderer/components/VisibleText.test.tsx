// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MatchedText } from './HighlightedText';
import { TruncatedText } from './TruncatedText';
import { VisibleText, visibleParts, visibleText } from './VisibleText';
import { I18nProvider } from '../i18n/I18nContext';

afterEach(cleanup);

describe('control characters in log text', () => {
  it('shows each as a symbol or an escape, never as a space or nothing', () => {
    expect(visibleText('/nul\0byte')).toBe('/nul\\x00byte');
    expect(visibleText('a\x1b[31mb\x7f')).toBe('a\\x1B[31mb\\x7F');
    expect(visibleText('tab\there\r\n')).toBe('tab\\there\\r\\n');
    expect(visibleText('c1\x85 rlo\u202Eoc.exe zw\u200Bsp')).toBe(
      'c1\\x85 rlo\\u202Eoc.exe zw\\u200Bsp',
    );
    expect(visibleText('plain text, é 日本 😀')).toBe('plain text, é 日本 😀');
    // A run of them is one part, named on hover.
    expect(visibleParts('a\0\0\x01b')).toEqual([
      { text: 'a' },
      { text: '\\x00\\x00\\x01', hidden: 'U+0000 NUL, U+0001 SOH' },
      { text: 'b' },
    ]);
  });

  it('shows the invisible characters that hide or smuggle text', () => {
    // Tag characters (two UTF-16 units each) spell hidden ASCII: "curl" + TAG A, TAG B.
    expect(visibleText('curl\u{E0041}\u{E0042}')).toBe('curl\\u{E0041}\\u{E0042}');
    expect(visibleParts('x\u{E0041}y')).toEqual([
      { text: 'x' },
      { text: '\\u{E0041}', hidden: 'U+E0041' },
      { text: 'y' },
    ]);
    expect(visibleText('soft\xadhyphen alm\u061C mvs\u180E ls\u2028ps\u2029')).toBe(
      'soft\\xADhyphen alm\\u061C mvs\\u180E ls\\u2028ps\\u2029',
    );
    expect(visibleText('vs\uFE0F vss\u{E0100}')).toBe('vs\\uFE0F vss\\u{E0100}');
  });

  it('keeps the layout of a text block (tabs, LF, CR LF), marking a lone CR', () => {
    expect(visibleText('a\tb\r\nc\nd\re\0', true)).toBe('a\tb\r\nc\nd\\re\\x00');
    expect(visibleParts('a\r\nb', true)).toEqual([{ text: 'a\r\nb' }]);
  });

  it('renders them muted, as text: hostile markup stays text', () => {
    const { container } = render(<VisibleText text={'<img src=x onerror=alert(1)>\0<b>x</b>'} />);
    expect(container.textContent).toBe('<img src=x onerror=alert(1)>\\x00<b>x</b>');
    expect(container.querySelector('img, b')).toBeNull();
    const mark = container.querySelector('.hidden-char')!;
    expect(mark.textContent).toBe('\\x00');
    expect(mark.getAttribute('title')).toBe('U+0000 NUL');
    // A log's own escape (nginx writes a NUL as the text \x00) stays plain text.
    const own = render(<VisibleText text={'/nul\\x00byte'} />).container;
    expect(own.textContent).toBe('/nul\\x00byte');
    expect(own.querySelector('.hidden-char')).toBeNull();
  });

  it('lines the free-text filter’s marks up with the text around a NUL', () => {
    const { container } = render(<MatchedText text={'/nul\0byte/\0BYTE'} needle="byte" />);
    expect(container.textContent).toBe('/nul\\x00byte/\\x00BYTE');
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
      'byte',
      'BYTE',
    ]);
    expect([...container.querySelectorAll('.hidden-char')].map((m) => m.textContent)).toEqual([
      '\\x00',
      '\\x00',
    ]);
  });

  it('shows them in a body, its lines kept', () => {
    const { container } = render(
      <I18nProvider locale="en" zone="UTC">
        <TruncatedText text={'{"a":"x\0y"}\r\nline two'} />
      </I18nProvider>,
    );
    expect(container.querySelector('pre')!.textContent).toBe('{"a":"x\\x00y"}\r\nline two');
  });
});
