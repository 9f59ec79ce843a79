// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MatchedText } from '../../components/HighlightedText';
import { I18nProvider } from '../../i18n/I18nContext';
import { folded, LongValue, MATCH_CONTEXT } from './LongValue';

afterEach(cleanup);

/** A 20,000-character query with the filter's text once, at 12,000. */
const QUERY = `p=${'A'.repeat(11_998)}needle${'B'.repeat(7_994)}`;

function show(text: string, needle: string | undefined): HTMLElement {
  render(
    <I18nProvider locale="en" zone="UTC">
      <div data-testid="value">
        <LongValue
          text={text}
          name="query"
          needle={needle}
          render={(s) => <MatchedText text={s} needle={needle} />}
        />
      </div>
    </I18nProvider>,
  );
  return screen.getByTestId('value');
}

describe('a folded value and the free-text filter', () => {
  it('shows a match in the folded part, with its context, the characters skipped counted', () => {
    const value = show(QUERY, 'NEEDLE');
    const marks = [...value.querySelectorAll('mark.search-match')];
    expect(marks.map((m) => m.textContent)).toEqual(['needle']);
    const text = value.textContent!;
    const gap = 12_000 - MATCH_CONTEXT - 300;
    expect(text).toContain(
      `${'A'.repeat(298)} … ${gap.toLocaleString('en')} characters … ${'A'.repeat(MATCH_CONTEXT)}needle${'B'.repeat(MATCH_CONTEXT)}…`,
    );
    // Still folded: the fields after it stay in view; "Show all" shows all, without the gap.
    expect(text.length).toBeLessThan(700);
    fireEvent.click(within(value).getByRole('button', { name: 'Show all (20,000 characters)' }));
    expect(value.textContent).toContain(QUERY);
    expect(value.textContent).not.toContain('characters …');
  });

  it('folds as before without a filter, or with a match in the start', () => {
    expect(show(QUERY, undefined).textContent).toMatch(/^p=A{298}…Show all/);
    cleanup();
    const early = `p=needle${'A'.repeat(19_992)}`;
    const value = show(early, 'needle');
    expect(value.textContent).toMatch(/^p=needleA{292}…Show all/);
    expect(value.querySelectorAll('mark')).toHaveLength(1);
  });

  it('keeps whole a match the cut would halve, and runs on to one just past the start', () => {
    const halved = `${'A'.repeat(297)}needle${'B'.repeat(1_000)}`;
    expect(folded(halved, 300, 'needle')).toEqual({ head: 303, match: null });
    const near = `${'A'.repeat(320)}needle${'B'.repeat(1_000)}`;
    expect(folded(near, 300, 'needle')).toEqual({ head: 326 + MATCH_CONTEXT, match: null });
    // A match at the very end: no trailing ellipsis, the stretch ends with the text.
    const last = `${'A'.repeat(2_000)}needle`;
    expect(folded(last, 300, 'needle')).toEqual({
      head: 300,
      match: { from: 2_000 - MATCH_CONTEXT, to: 2_006 },
    });
    // Never inside a surrogate pair.
    // The context would start between the halves of the emoji at 1,000: it starts before it.
    const emoji = `${'A'.repeat(1_000)}😀${'A'.repeat(MATCH_CONTEXT - 1)}needle${'B'.repeat(500)}`;
    expect(folded(emoji, 300, 'needle').match!.from).toBe(1_000);
  });
});
