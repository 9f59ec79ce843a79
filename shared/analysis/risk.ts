/**
 * Endpoint risk: a score from 1 to 10 and the factors behind it, so an investigator knows where
 * to look first and why. The score is the weight of the strongest factor present (1 when none
 * is): factors explain, they do not add up, so ten weak signals never outrank one strong one.
 * Weights and their reasons are in RISK.md beside this file.
 */

export type RiskLevel = 'Low' | 'Medium' | 'High';

export const RISK_FACTORS = [
  'succeeded-attack',
  'sensitive-params',
  'zombie',
  'unauthenticated-sensitive-flow',
  'many-params',
  'structured-body',
  'file-upload',
  'bola',
  'sensitive-flow',
  'shadow',
  'server-errors',
] as const;
export type RiskFactorId = (typeof RISK_FACTORS)[number];

export const RISK_WEIGHTS: Readonly<Record<RiskFactorId, number>> = {
  'succeeded-attack': 9,
  'sensitive-params': 8,
  zombie: 7,
  'unauthenticated-sensitive-flow': 7,
  'many-params': 6,
  'structured-body': 6,
  'file-upload': 6,
  bola: 6,
  'sensitive-flow': 5,
  shadow: 5,
  'server-errors': 4,
};

/** Flows whose mere presence marks an endpoint as sensitive. */
export const SENSITIVE_FLOWS: readonly string[] = ['Admin', 'Auth', 'Billing'];
/**
 * Flows where an anonymous 2xx is an exposure. Auth and sign-up are left out: logging in and
 * signing up are anonymous by nature.
 */
export const PROTECTED_FLOWS: readonly string[] = [
  'Admin',
  'Billing',
  'SMS GW',
  'AI/LLM',
  'Acc mgmt',
];

export const MANY_PARAMS = 10;
export const SERVER_ERROR_RATE = 0.05;
/** A rate needs a few errors behind it: one 500 out of three requests is not a pattern. */
export const SERVER_ERROR_MIN = 3;

export interface RiskFactor {
  id: RiskFactorId;
  weight: number;
  /** Plain text: what was seen. */
  detail: string;
}

export interface EndpointRisk {
  score: number;
  level: RiskLevel;
  /** Strongest first. */
  factors: RiskFactor[];
}

/** What the rebuild knows about one endpoint, gathered from its requests. */
export interface EndpointRiskFacts {
  template: string;
  /** Query parameter names seen. */
  params: readonly string[];
  requests: number;
  serverErrors: number;
  /** 2xx answers to requests that a detection flagged. */
  succeededAttacks: number;
  /** Request body media types seen, lower case, without parameters. */
  bodyTypes: readonly string[];
  flows: readonly string[];
  /** 2xx answers to requests that carried no cookie and no Authorization header. */
  unauthenticatedOk: number;
  specStatus: 'documented' | 'shadow' | 'zombie' | null;
  specReason?: 'deprecated' | 'removed' | 'not-found' | null;
  /** Query values that are Luhn-valid card numbers. */
  cardNumbersInQuery: number;
}

const SENSITIVE_PARAM =
  /^(?:pass(?:word)?|passwd|pwd|new_?password|old_?password|secret|client_?secret|token|access_?token|refresh_?token|id_?token|auth_?token|reset_?token|api_?key|apikey|x-api-key|access_?key|private_?key|ssn|social_?security(?:_?number)?|card|card_?number|cc|cc_?num(?:ber)?|cvv|cvc|pan)$/i;

export function isSensitiveParam(name: string): boolean {
  return SENSITIVE_PARAM.test(name.trim());
}

/** A 13–19 digit Luhn-valid number (spaces and dashes allowed between digits). */
export function looksLikeCardNumber(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (!/^\d{13,19}$/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Path segments that name one object: `{id}`, `{uuid}`, `{hash}`, or a spec-style `{userId}`. */
export function objectIdSegments(template: string): string[] {
  return template
    .split('/')
    .filter((s) => /^\{(?:id|uuid|hash|[A-Za-z_]*(?:Id|_id|ID))\}$/.test(s) || /^\{id\}\./.test(s));
}

export function riskLevel(score: number): RiskLevel {
  return score >= 8 ? 'High' : score >= 4 ? 'Medium' : 'Low';
}

const STRUCTURED = /^(?:application|text)\/(?:[\w.+-]+\+)?(?:json|xml)$/;

export function scoreEndpoint(f: EndpointRiskFacts): EndpointRisk {
  const found: RiskFactor[] = [];
  const add = (id: RiskFactorId, detail: string): void => {
    found.push({ id, weight: RISK_WEIGHTS[id], detail });
  };
  if (f.succeededAttacks > 0)
    add('succeeded-attack', `${f.succeededAttacks} flagged request(s) answered 2xx`);
  const sensitive = f.params.filter(isSensitiveParam);
  if (sensitive.length > 0 || f.cardNumbersInQuery > 0) {
    const parts = [];
    if (sensitive.length > 0) parts.push(`in the query: ${sensitive.join(', ')}`);
    if (f.cardNumbersInQuery > 0) parts.push(`${f.cardNumbersInQuery} card number(s) in the query`);
    add('sensitive-params', parts.join('; '));
  }
  if (f.specStatus === 'zombie')
    add(
      'zombie',
      f.specReason === 'removed'
        ? 'removed from the newest spec, still called'
        : 'deprecated in the spec, still called',
    );
  const exposed = f.flows.filter((x) => PROTECTED_FLOWS.includes(x));
  if (f.unauthenticatedOk > 0 && exposed.length > 0)
    add(
      'unauthenticated-sensitive-flow',
      `${f.unauthenticatedOk} anonymous 2xx on ${exposed.join(', ')}`,
    );
  if (f.params.length >= MANY_PARAMS) add('many-params', `${f.params.length} distinct parameters`);
  const structured = f.bodyTypes.filter((t) => STRUCTURED.test(t));
  if (structured.length > 0) add('structured-body', `accepts ${structured.join(', ')}`);
  if (f.bodyTypes.includes('multipart/form-data'))
    add('file-upload', 'multipart/form-data uploads');
  const ids = objectIdSegments(f.template);
  if (ids.length > 0) add('bola', `object id in the path: ${ids.join(', ')}`);
  const flows = f.flows.filter((x) => SENSITIVE_FLOWS.includes(x));
  if (flows.length > 0) add('sensitive-flow', `business flow: ${flows.join(', ')}`);
  // A path that only ever answered 404 is a probe, not a hidden API.
  if (f.specStatus === 'shadow' && f.specReason !== 'not-found')
    add('shadow', 'not in any loaded spec');
  if (
    f.requests > 0 &&
    f.serverErrors >= SERVER_ERROR_MIN &&
    f.serverErrors / f.requests > SERVER_ERROR_RATE
  ) {
    const pct = ((100 * f.serverErrors) / f.requests).toFixed(1);
    add('server-errors', `5xx on ${pct}% (${f.serverErrors} of ${f.requests})`);
  }
  found.sort(
    (a, b) => b.weight - a.weight || RISK_FACTORS.indexOf(a.id) - RISK_FACTORS.indexOf(b.id),
  );
  const score = found.length > 0 ? found[0]!.weight : 1;
  return { score, level: riskLevel(score), factors: found };
}
