// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, it } from 'vitest';
import { createI18n } from '../../i18n/I18nContext';
import { endpointSummary } from '../../testing/endpointSummary';
import { HIDDEN, expectShown, expectShownString } from '../../testing/hiddenChars';
import { endpointColumns, riskText } from './endpointColumns';

afterEach(cleanup);

const i18n = createI18n('en', 'UTC');

const ENDPOINT = endpointSummary({
  method: `GE\x1bT`,
  host: `shop\u202Eexample`,
  template: HIDDEN.nul.raw,
  risk: {
    score: 6,
    level: 'Medium',
    factors: [
      {
        id: 'sensitive-params',
        weight: 3,
        detail: '',
        args: { params: ['pass\nword', 'to\u202Eken'] },
      },
    ],
  },
});

/** Column `id`'s cell for ENDPOINT, rendered, and its hover title. */
function cell(id: string): { el: HTMLElement; title: string | undefined } {
  const c = endpointColumns(i18n, false).find((x) => x.id === id)!;
  const { container } = render(<div>{c.render(ENDPOINT)}</div>);
  return { el: container, title: c.title?.(ENDPOINT) };
}

describe('endpoint inventory cells', () => {
  it('show the control characters of method, host and template', () => {
    expectShown(cell('method').el, 'GE\\x1BT');
    const host = cell('host');
    expectShown(host.el, 'shop\\u202Eexample');
    expectShownString(host.title, 'shop\\u202Eexample');
    const template = cell('template');
    expectShown(template.el, HIDDEN.nul.shown);
    expectShownString(template.title, HIDDEN.nul.shown);
  });

  it('show those of the parameter names a risk factor quotes, a line each factor', () => {
    const text = riskText(ENDPOINT, i18n);
    expectShownString(text, 'pass\\nword, to\\u202Eken');
    // The names' own line feed does not break the factor's line.
    expectShownString(text.split('\n')[1], 'pass\\nword');
    expectShownString(cell('risk').title, 'to\\u202Eken');
  });
});
