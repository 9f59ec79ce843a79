import type { BotType, DetectorName, VerdictReason } from './types.js';

/** English names, for the CLI; the app has its own in en.ts and ja.ts. */
export const DETECTOR_LABEL: Readonly<Record<DetectorName, string>> = {
  brute: 'Failed logins',
  credential_stuffing: 'Users tried',
  account_takeover: 'Failures before a login',
  ip_rotation: 'IP rotation',
  session_rotation: 'Session rotation',
  bola: 'Object ids on one endpoint',
  enum: 'Values of one parameter',
  dirbust: 'Paths answered 404',
  sms_pumping: 'SMS numbers',
  scraping: 'Distinct resources',
  data_volume: 'Response bytes',
  request_rate: 'Page requests per minute',
  regular_intervals: 'Interval variation',
  low_uniqueness: 'Request uniqueness',
  bad_user_agent: 'User agent',
};

export const BOT_TYPE_LABEL: Readonly<Record<BotType, string>> = {
  account_takeover: 'account takeover',
  security_crawler: 'security crawler',
  scraping: 'scraping',
  resource_consumption: 'resource consumption',
  api_abuse: 'API abuse',
};

/**
 * `x` rounded to `digits` decimals; a value that would round to 0 but is not keeps two
 * significant digits ("0.0011"), so a reason never reads "0 vs ≥ 0.373 — 373.5× below".
 */
function trim(x: number, digits: number): string {
  const rounded = Math.round(x * 10 ** digits) / 10 ** digits;
  if (rounded === 0 && x !== 0 && Number.isFinite(x)) return String(Number(x.toPrecision(2)));
  return String(rounded);
}

/** A detector's value in its unit, as plain text. */
export function formatReasonValue(detector: DetectorName, v: number): string {
  switch (detector) {
    case 'data_volume':
      return v >= 1e6 ? `${trim(v / 1e6, 1)} MB` : v >= 1e3 ? `${trim(v / 1e3, 1)} kB` : `${v} B`;
    case 'request_rate':
      return trim(v, 1);
    case 'regular_intervals':
    case 'low_uniqueness':
      return trim(v, 3);
    case 'bad_user_agent':
      return `${trim(v * 100, 1)}%`;
    default:
      return trim(v, 1);
  }
}

/** The pieces of a reason's sentence, so each language can order them its own way. */
export function reasonParts(r: VerdictReason): {
  value: string;
  op: '≤' | '≥';
  baseline: string | null;
  ratio: string | null;
  threshold: string;
} {
  const ua = r.detector === 'bad_user_agent';
  return {
    value: ua ? (r.detail ?? '') : formatReasonValue(r.detector, r.value),
    op: r.direction === 'above' ? '≤' : '≥',
    baseline: r.baseline === null ? null : formatReasonValue(r.detector, r.baseline),
    // Against a zero baseline a ratio means nothing ("15× above 0"), nor for a zero value
    // below one ("0 vs ≥ 0.373 — 373.5× below"): the text says so instead.
    ratio:
      r.ratio === null ||
      (r.direction === 'above' && r.baseline === 0) ||
      (r.direction === 'below' && r.value === 0)
        ? null
        : trim(r.ratio, 1),
    threshold: ua ? '' : formatReasonValue(r.detector, r.threshold),
  };
}

/**
 * One reason as an English sentence: "IP rotation 15 vs ≤ 2 — 7.5× above". A user agent
 * reason names its class and the share of sessions in it: "User agent scanner (0.4% of sessions)".
 */
export function reasonText(r: VerdictReason): string {
  const p = reasonParts(r);
  const label = (r.scope === 'ip' ? 'Per IP: ' : '') + DETECTOR_LABEL[r.detector];
  if (r.detector === 'bad_user_agent')
    return p.baseline === null
      ? `${label} ${p.value}`
      : `${label} ${p.value} (${p.baseline} of sessions)`;
  if (p.baseline === null) return `${label} ${p.value} (threshold ${p.threshold}, no baseline)`;
  if (p.ratio === null && r.direction === 'below')
    return `${label} ${p.value} vs ${p.op} ${p.baseline}`;
  if (p.ratio === null) return `${label} ${p.value} vs ${p.op} ${p.baseline} (none elsewhere)`;
  return `${label} ${p.value} vs ${p.op} ${p.baseline} — ${p.ratio}× ${r.direction}`;
}
