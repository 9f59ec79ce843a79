import { expect } from 'vitest';

/**
 * Log values holding characters a page would draw as nothing or as a space, each with how it
 * is shown (VisibleText): a NUL in a path, an ESC in a user agent, a U+202E override that
 * turns a user name round.
 */
export const HIDDEN = {
  nul: { raw: '/nul\0byte', shown: '/nul\\x00byte' },
  esc: { raw: 'curl\x1b[31m<b>x</b>', shown: 'curl\\x1B[31m<b>x</b>' },
  rlo: { raw: 'admin\u202Egnp.exe', shown: 'admin\\u202Egnp.exe' },
} as const;

// eslint-disable-next-line no-control-regex -- the raw characters are what must not be there
const RAW = /[\0\x1b\u202e]/;

/**
 * `el` shows each of `shown` with its escapes marked (.hidden-char, named on hover), and none
 * of the raw characters is left in its text.
 */
export function expectShown(el: Element, ...shown: string[]): void {
  const text = el.textContent ?? '';
  for (const s of shown) expect(text).toContain(s);
  expect(text).not.toMatch(RAW);
  expect(el.querySelector('.hidden-char')).not.toBeNull();
}

/** A hover title or label (a string) with no raw hidden character, holding `shown`. */
export function expectShownString(value: string | null | undefined, shown: string): void {
  expect(value).toContain(shown);
  expect(value).not.toMatch(RAW);
}
