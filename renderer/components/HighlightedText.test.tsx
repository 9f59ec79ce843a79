// @vitest-environment happy-dom
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HighlightedText, findFragment, splitHighlights } from './HighlightedText';

describe('highlighting matched fragments', () => {
  it('splits text into plain and marked parts, merging overlaps and clamping ranges', () => {
    expect(
      splitHighlights('abcdef', [
        { start: 1, end: 3 },
        { start: 2, end: 4 },
        { start: 9, end: 12 },
      ]),
    ).toEqual([
      { text: 'a', marked: false },
      { text: 'bcd', marked: true },
      { text: 'ef', marked: false },
    ]);
    expect(findFragment('a<SCRIPT>b<script>', '<script>')).toEqual([
      { start: 1, end: 9 },
      { start: 10, end: 18 },
    ]);
  });

  it('renders attacker markup as text: no element is created from it', () => {
    const text = '<img src=x onerror="window.__x=1"><script>alert(1)</script>';
    const { container } = render(
      <HighlightedText text={text} highlights={findFragment(text, '<script>')} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('mark')?.textContent).toBe('<script>');
    expect(container.textContent).toBe(text);
  });
});
