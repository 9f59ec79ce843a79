// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionVerdictDetail } from '../../../shared/contract/verdictApi';
import { ApiProvider } from '../../api/ApiContext';
import { createClient, createFakeTransport } from '../../api/client';
import { I18nProvider } from '../../i18n/I18nContext';
import { SessionVerdict } from './SessionVerdict';

const SID = 's00000000000000ab';
const NOTE = `<img src=x onerror=alert(1)> ${'N'.repeat(1500)}`;

const VERDICT: SessionVerdictDetail = {
  sessionId: SID,
  level: 'suspicious',
  botType: null,
  confidence: 0.75,
  reasons: [],
  review: {
    decision: 'confirmed',
    note: NOTE,
    at: '2026-11-25T10:00:00.000Z',
    level: 'suspicious',
    botType: null,
  },
};

describe('session verdict review note', () => {
  afterEach(cleanup);

  it('wraps a long unbroken note inside its panel, as text', async () => {
    const fake = createFakeTransport({ getSessionVerdict: () => VERDICT });
    render(
      <ApiProvider client={createClient(fake)}>
        <I18nProvider locale="en" zone="UTC">
          <SessionVerdict sessionId={SID} />
        </I18nProvider>
      </ApiProvider>,
    );
    const review = await screen.findByTestId('verdict-review');
    expect(review.textContent).toContain(NOTE);
    // overflow-wrap: anywhere (app.css): the run breaks at the panel's edge.
    expect(review.classList.contains('wrap-anywhere')).toBe(true);
    expect(document.querySelector('img')).toBeNull();
  });
});
