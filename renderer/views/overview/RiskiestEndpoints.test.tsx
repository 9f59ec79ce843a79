// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RiskFactorInfo } from '../../../shared/contract/specApi';
import type { Locale } from '../../i18n/format';
import { I18nProvider } from '../../i18n/I18nContext';
import { endpointSummary } from '../../testing/endpointSummary';
import { RiskiestEndpoints } from './RiskiestEndpoints';

afterEach(cleanup);

function riskTitle(locale: Locale, factors: RiskFactorInfo[]): string | null {
  const e = endpointSummary({
    template: '/orders/{id}',
    risk: { score: 6, level: 'Medium', factors },
  });
  render(
    <I18nProvider locale={locale} zone="UTC">
      <RiskiestEndpoints endpoints={[e]} onPick={() => {}} />
    </I18nProvider>,
  );
  return screen.getByTestId('riskiest-endpoints').querySelector('td[title]')!.getAttribute('title');
}

const SCORED: RiskFactorInfo[] = [
  {
    id: 'bola',
    weight: 6,
    detail: 'object id in the path: {id}',
    args: { segments: ['{id}'] },
  },
  {
    id: 'server-errors',
    weight: 4,
    detail: '5xx on 7.5% (12 of 160)',
    args: { pct: 7.5, errors: 12, requests: 160 },
  },
];

describe('RiskiestEndpoints factor details', () => {
  it('says them in Japanese from their args', () => {
    expect(riskTitle('ja', SCORED)).toBe(
      'リスク 6 中\nパス内のオブジェクト ID（BOLA） (6): パス内のオブジェクト ID: {id}\n' +
        'サーバーエラー (4): 5xx が 7.5%（160 件中 12 件）',
    );
  });

  it('says them in English as the analysis wrote them', () => {
    expect(riskTitle('en', SCORED)).toBe(
      'Risk 6 Medium\nobject id in the path (BOLA) (6): object id in the path: {id}\n' +
        'server errors (4): 5xx on 7.5% (12 of 160)',
    );
  });

  it('shows the stored detail of a case analysed before args', () => {
    const old = SCORED.map(({ args: _, ...f }) => f);
    expect(riskTitle('ja', old)).toBe(
      'リスク 6 中\nパス内のオブジェクト ID（BOLA） (6): object id in the path: {id}\n' +
        'サーバーエラー (4): 5xx on 7.5% (12 of 160)',
    );
  });
});

describe('RiskiestEndpoints long templates', () => {
  it('cuts one to a line in a cell that cannot widen the table, all of it in the title', () => {
    const template = `/admin/${'section/'.repeat(120)}end`;
    render(
      <I18nProvider locale="en" zone="UTC">
        <RiskiestEndpoints endpoints={[endpointSummary({ template })]} onPick={() => {}} />
      </I18nProvider>,
    );
    const link = screen.getByRole('button', { name: `GET ${template}` });
    expect(link.classList.contains('text-clip')).toBe(true);
    expect(link.closest('td')!.classList.contains('cell-clip')).toBe(true);
    expect(link.title).toBe(`GET api.example${template}`);
  });
});
