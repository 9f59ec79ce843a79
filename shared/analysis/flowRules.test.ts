import builtInFlows from '../../resources/flows.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  compileFlowRules,
  flowRulesFileSchema,
  flowsOfMask,
  maskOfFlows,
  type Flow,
} from './flowRules.js';

// The shipped rules, read as data exactly as the electron side loads them.
const rules = flowRulesFileSchema.parse(builtInFlows).rules;
const matcher = compileFlowRules(rules);
const flowsOf = (template: string, host = 'shop.example', params: string[] = []): Flow[] =>
  flowsOfMask(matcher.match({ host, template, params }));

const cases: Record<Flow, { hit: string[]; miss: string[]; hosts?: string[]; params?: string[] }> =
  {
    'AI/LLM': {
      hit: [
        '/v1/chat/completions',
        '/v1/embeddings',
        '/api/embeddings',
        '/v1/completions',
        '/api/generate',
      ],
      miss: ['/chat', '/completions-report'],
      hosts: ['api.openai.com'],
    },
    'Acc create': {
      hit: [
        '/signup',
        '/register',
        '/api/v1/users/new',
        '/account/sign-up',
        '/registration/step/{id}',
      ],
      miss: ['/registered-trademarks', '/design'],
    },
    'Acc mgmt': {
      hit: ['/password', '/account/password/reset', '/profile', '/settings/mfa', '/api/me'],
      miss: ['/profiles-of-products', '/passwordless-marketing-page'],
    },
    Admin: {
      hit: ['/admin', '/admin/users/{id}', '/internal/metrics', '/actuator/env', '/wp-admin/'],
      miss: ['/administrivia', '/badmin'],
      hosts: ['admin.shop.example'],
    },
    Auth: {
      hit: [
        '/login',
        '/oauth/token',
        '/oauth2/authorize',
        '/sso/saml',
        '/wp-login.php',
        '/api/auth/refresh',
      ],
      miss: ['/loginhelp-article', '/author/{id}'],
      params: ['j_password'],
    },
    Billing: {
      hit: ['/billing', '/payment/confirm', '/checkout', '/invoices/{id}', '/api/subscriptions'],
      miss: ['/paypal-logo.png', '/payments-history-blog'.replace('payments', 'paym')],
      params: ['card_number'],
    },
    'SMS GW': {
      hit: ['/sms/send', '/otp/send', '/api/send-code', '/verify-phone'],
      miss: ['/smsx', '/otp/verify'],
    },
  };

describe('built-in flow rules', () => {
  it('has a rule for every flow and test cases for each', () => {
    expect(new Set(rules.map((r) => r.flow))).toEqual(new Set(Object.keys(cases)));
  });

  for (const [flow, c] of Object.entries(cases) as [Flow, (typeof cases)[Flow]][]) {
    describe(flow, () => {
      it.each(c.hit)(`tags %s`, (t) => expect(flowsOf(t)).toContain(flow));
      it.each(c.miss)(`does not tag %s`, (t) => expect(flowsOf(t)).not.toContain(flow));
      if (c.hosts)
        it.each(c.hosts)('tags host %s', (h) => expect(flowsOf('/x', h)).toContain(flow));
      if (c.params)
        it.each(c.params)('tags parameter %s', (p) =>
          expect(flowsOf('/x', 'h', [p])).toContain(flow),
        );
    });
  }

  it('an endpoint can belong to several flows', () => {
    expect(flowsOf('/admin/login')).toEqual(['Admin', 'Auth']);
  });

  it('masks round-trip', () => {
    expect(flowsOfMask(maskOfFlows(['Billing', 'AI/LLM']))).toEqual(['AI/LLM', 'Billing']);
  });
});
