import { describe, expect, it } from 'vitest';
import { scoreEndpoint, type EndpointRiskFacts } from '../../../shared/analysis/risk';
import type { RiskFactorInfo } from '../../../shared/contract/specApi';
import { createI18n } from '../../i18n/I18nContext';
import { factorDetail } from './riskFactorDetail';

const en = createI18n('en', 'UTC');
const ja = createI18n('ja', 'UTC');

/** Every factor at once (shadow aside: a zombie is not also a shadow). */
const FACTS: EndpointRiskFacts = {
  template: '/admin/{id}',
  params: ['password', 'token', ...'abcdefghij'.split('')],
  requests: 160,
  serverErrors: 12,
  succeededAttacks: 3,
  bodyTypes: ['application/json', 'multipart/form-data'],
  flows: ['Admin'],
  unauthenticatedOk: 2,
  specStatus: 'zombie',
  specReason: 'removed',
  cardNumbersInQuery: 2,
};

function factors(facts: EndpointRiskFacts): RiskFactorInfo[] {
  return scoreEndpoint(facts).factors;
}

describe('factorDetail', () => {
  const all = [...factors(FACTS), ...factors({ ...FACTS, specStatus: 'shadow', specReason: null })];

  it('reads in English as the analysis wrote the detail', () => {
    for (const f of all) expect(factorDetail(f, en), f.id).toBe(f.detail);
  });

  it('says every factor in Japanese, its data as seen', () => {
    const said = Object.fromEntries(all.map((f) => [f.id, factorDetail(f, ja)]));
    expect(said).toEqual({
      'succeeded-attack': '検知されたリクエスト 3 件に 2xx で応答',
      'sensitive-params': 'クエリ内: password, token、クエリ内のカード番号 2 件',
      zombie: '最新の仕様から削除されたが、まだ呼ばれている',
      'unauthenticated-sensitive-flow': 'Admin への匿名の 2xx 応答 2 件',
      'many-params': '異なるパラメータ 12 個',
      'structured-body': 'application/json を受け付ける',
      'file-upload': 'multipart/form-data のアップロード',
      bola: 'パス内のオブジェクト ID: {id}',
      'sensitive-flow': '業務フロー: Admin',
      shadow: '読み込んだどの仕様にもない',
      'server-errors': '5xx が 7.5%（160 件中 12 件）',
    });
  });

  it('formats numbers as the views do', () => {
    const [f] = factors({ ...FACTS, succeededAttacks: 12_345 });
    expect(factorDetail(f!, en)).toBe('12,345 flagged request(s) answered 2xx');
    expect(factorDetail(f!, ja)).toBe('検知されたリクエスト 12,345 件に 2xx で応答');
  });

  it('shows the stored detail for a case scored before args, or args it cannot word', () => {
    const old = { id: 'bola', weight: 6, detail: 'object id in the path: {id}' };
    expect(factorDetail(old, ja)).toBe('object id in the path: {id}');
    expect(factorDetail({ ...old, args: { segments: 'x' } }, ja)).toBe(old.detail);
    expect(factorDetail({ id: 'new-factor', weight: 3, detail: 'new', args: {} }, ja)).toBe('new');
  });
});
