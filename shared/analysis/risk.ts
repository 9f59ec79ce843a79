/**
 * Endpoint risk: a score from 1 to 10 and the factors behind it, so an investigator knows where
 * to look first and why. The score is the weight of the strongest factor present (1 when none
 * is): factors explain, they do not add up, so ten weak signals never outrank one strong one.
 * Weights and their reasons are in RISK.md beside this file.
 */

import { assertNever } from '../contract/errors.js';
import { isStaticAssetTemplate } from '../verdicts/staticAssets.js';

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
  'scanner-probed',
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
  'scanner-probed': 3,
};

/**
 * Engine findings that only fingerprint the client (a scanner's user agent, test marker or
 * out-of-band domain, or a source label saying "scanner"), not a payload: a 2xx answered to
 * one proves nothing about the endpoint, so it is 'scanner-probed', not 'succeeded-attack'.
 * The scanner's path probes (backup, legacy, sensitive-path) stay attacks: a 2xx served the
 * file. A custom rule's finding is always an attack.
 */
export const CLIENT_ONLY_RULES: readonly string[] = [
  'scanner.tool-ua',
  'scanner.tool-marker',
  'scanner.oast-domain',
  'source-label',
];
export const CLIENT_ONLY_TYPE = 'scanner';

/**
 * Static files (by the extension of the last path segment): the shadow factor does not apply
 * to them; a spec describes an API, not its site's pages, scripts, styles, images, fonts or
 * robots.txt.
 */
const STATIC_ASSET =
  /\.(?:html?|js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot|txt)$/i;

export function isStaticAsset(template: string): boolean {
  const last = template.slice(template.lastIndexOf('/') + 1);
  return STATIC_ASSET.test(last);
}

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

/**
 * The values each factor's detail is made of, so that a UI says it in its own language
 * (renderer: risk.detail.<id>). Lists are data (parameter names, media types, flows), kept as
 * seen. Object types, not interfaces: the contract takes them as a plain record.
 */
export interface RiskFactorArgs {
  'succeeded-attack': { count: number };
  /** Either may be empty (0): the factor fires on names, card numbers, or both. */
  'sensitive-params': { params: string[]; cards: number };
  zombie: { reason: 'deprecated' | 'removed' };
  'unauthenticated-sensitive-flow': { count: number; flows: string[] };
  'many-params': { count: number };
  'structured-body': { types: string[] };
  'file-upload': Record<string, never>;
  bola: { segments: string[] };
  'sensitive-flow': { flows: string[] };
  shadow: Record<string, never>;
  /** `pct`: errors per hundred requests, to one decimal as the detail shows it. */
  'server-errors': { pct: number; errors: number; requests: number };
  'scanner-probed': { count: number };
}

/** A factor as found: its id and the values behind it. */
type FoundFactor = { [K in RiskFactorId]: { id: K; args: RiskFactorArgs[K] } }[RiskFactorId];

export type RiskFactor = FoundFactor & {
  weight: number;
  /**
   * Plain English: what was seen, made from `args` (riskDetail). The CLI, --json and the CSV
   * export show it; a case scored before `args` existed has only this.
   */
  detail: string;
};

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
  /** 2xx answers to requests that a detection flagged (not only client fingerprints). */
  succeededAttacks: number;
  /** 2xx answers to requests flagged only by CLIENT_ONLY_RULES (a scanner, no payload). */
  scannerProbed?: number;
  /** Request body media types seen, lower case, without parameters. */
  bodyTypes: readonly string[];
  flows: readonly string[];
  /** 2xx answers to requests that carried no cookie and no Authorization header. */
  unauthenticatedOk: number;
  specStatus: 'documented' | 'shadow' | 'zombie' | null;
  specReason?: 'deprecated' | 'removed' | 'not-found' | 'unresolved-ref' | null;
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

/** A factor's detail in English, as the CLI and the exports show it. */
export function riskDetail(f: FoundFactor): string {
  switch (f.id) {
    case 'succeeded-attack':
      return `${f.args.count} flagged request(s) answered 2xx`;
    case 'sensitive-params': {
      const parts = [];
      if (f.args.params.length > 0) parts.push(`in the query: ${f.args.params.join(', ')}`);
      if (f.args.cards > 0) parts.push(`${f.args.cards} card number(s) in the query`);
      return parts.join('; ');
    }
    case 'zombie':
      return f.args.reason === 'removed'
        ? 'removed from the newest spec, still called'
        : 'deprecated in the spec, still called';
    case 'unauthenticated-sensitive-flow':
      return `${f.args.count} anonymous 2xx on ${f.args.flows.join(', ')}`;
    case 'many-params':
      return `${f.args.count} distinct parameters`;
    case 'structured-body':
      return `accepts ${f.args.types.join(', ')}`;
    case 'file-upload':
      return 'multipart/form-data uploads';
    case 'bola':
      return `object id in the path: ${f.args.segments.join(', ')}`;
    case 'sensitive-flow':
      return `business flow: ${f.args.flows.join(', ')}`;
    case 'shadow':
      return 'not in any loaded spec';
    case 'server-errors':
      return `5xx on ${f.args.pct.toFixed(1)}% (${f.args.errors} of ${f.args.requests})`;
    case 'scanner-probed':
      return `${f.args.count} scanner request(s) answered 2xx (client fingerprint only, no payload)`;
    default:
      return assertNever(f, 'risk factor');
  }
}

export function scoreEndpoint(f: EndpointRiskFacts): EndpointRisk {
  const found: RiskFactor[] = [];
  const add = (factor: FoundFactor): void => {
    found.push({ ...factor, weight: RISK_WEIGHTS[factor.id], detail: riskDetail(factor) });
  };
  if (f.succeededAttacks > 0) add({ id: 'succeeded-attack', args: { count: f.succeededAttacks } });
  const sensitive = f.params.filter(isSensitiveParam);
  if (sensitive.length > 0 || f.cardNumbersInQuery > 0)
    add({ id: 'sensitive-params', args: { params: sensitive, cards: f.cardNumbersInQuery } });
  if (f.specStatus === 'zombie')
    add({
      id: 'zombie',
      args: { reason: f.specReason === 'removed' ? 'removed' : 'deprecated' },
    });
  const exposed = f.flows.filter((x) => PROTECTED_FLOWS.includes(x));
  if (f.unauthenticatedOk > 0 && exposed.length > 0)
    add({
      id: 'unauthenticated-sensitive-flow',
      args: { count: f.unauthenticatedOk, flows: exposed },
    });
  if (f.params.length >= MANY_PARAMS) add({ id: 'many-params', args: { count: f.params.length } });
  const structured = f.bodyTypes.filter((t) => STRUCTURED.test(t));
  if (structured.length > 0) add({ id: 'structured-body', args: { types: structured } });
  if (f.bodyTypes.includes('multipart/form-data')) add({ id: 'file-upload', args: {} });
  // A page's pictures, styles and scripts by id (`/image/{id}/200x200`) are not objects behind
  // an authorization check: the verdicts' bola check leaves them out too (staticAssets.ts).
  const ids = isStaticAssetTemplate(f.template) ? [] : objectIdSegments(f.template);
  if (ids.length > 0) add({ id: 'bola', args: { segments: ids } });
  const flows = f.flows.filter((x) => SENSITIVE_FLOWS.includes(x));
  if (flows.length > 0) add({ id: 'sensitive-flow', args: { flows } });
  // A path that only ever answered 404 is a probe, not a hidden API; a static file is not an API.
  if (f.specStatus === 'shadow' && f.specReason !== 'not-found' && !isStaticAsset(f.template))
    add({ id: 'shadow', args: {} });
  if (
    f.requests > 0 &&
    f.serverErrors >= SERVER_ERROR_MIN &&
    f.serverErrors / f.requests > SERVER_ERROR_RATE
  ) {
    const pct = Number(((100 * f.serverErrors) / f.requests).toFixed(1));
    add({
      id: 'server-errors',
      args: { pct, errors: f.serverErrors, requests: f.requests },
    });
  }
  if ((f.scannerProbed ?? 0) > 0) add({ id: 'scanner-probed', args: { count: f.scannerProbed! } });
  found.sort(
    (a, b) => b.weight - a.weight || RISK_FACTORS.indexOf(a.id) - RISK_FACTORS.indexOf(b.id),
  );
  const score = found.length > 0 ? found[0]!.weight : 1;
  return { score, level: riskLevel(score), factors: found };
}
