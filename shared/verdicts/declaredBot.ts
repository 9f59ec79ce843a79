import { saysAbuse } from './combine.js';
import type { SessionFeatures } from './features.js';
import type { DetectorName, SessionVerdict } from './types.js';

/**
 * Declared crawlers: a client whose agent says it is a bot (Googlebot, bingbot, AhrefsBot, an
 * uptime monitor; `declared_bot` in userAgent.ts). Crawling walks every product, filter and
 * image id at a steady pace, which the id, volume and timing detectors rightly see; but a
 * search engine indexing the catalogue is not an attack. Its verdict is therefore at most
 * `suspicious`, bot type scraping, unless it also attacks. An agent is easily spoofed, so the
 * cap does not hold for a session that
 * - fires a detector no crawler has reason to (ATTACK_DETECTORS: logins, SMS codes), or
 * - has at least CRAWLER_MAX_ERROR_SHARE of its requests answered 4xx/5xx (a crawler follows
 *   links that exist; a scanner guesses), or
 * - holds signature detections (attacks in its requests): the rebuild learns those only after
 *   the judging, so it restores `uncapped` then (withAttacks), and keeps `uncapped` beside the
 *   stored verdict so that a mark or rule change that moves the attacks can decide again
 *   without judging (electron/analysis/verdictsStep.ts).
 *
 * A declared bot whose only reasons say that a program sends the requests (regular intervals,
 * few distinct resources: none `saysAbuse`) has no verdict at all: its agent says so already.
 * A feed reader fetching one feed every hour and an uptime monitor asking for `/` every minute
 * are that, and nothing else.
 */

/** Evidence of an attack whatever the agent claims. */
export const ATTACK_DETECTORS: ReadonlySet<DetectorName> = new Set<DetectorName>([
  'brute',
  'credential_stuffing',
  'account_takeover',
  'sms_pumping',
]);

/** A declared crawler with this share of requests answered 4xx/5xx or more is not capped. */
export const CRAWLER_MAX_ERROR_SHARE = 0.5;

/** What a capped verdict was before the cap (SessionVerdict.uncapped). */
export type UncappedVerdict = NonNullable<SessionVerdict['uncapped']>;

/** `v` under the cap: suspicious scraping, its reasons kept and its verdict before in `uncapped`. */
export function capVerdict(v: SessionVerdict): SessionVerdict {
  return {
    ...v,
    level: 'suspicious',
    botType: 'scraping',
    uncapped: { level: v.level, botType: v.botType, confidence: v.confidence },
  };
}

/**
 * The verdict of a session with features `f`, capped when `f` is a declared crawler's, and none
 * when all a declared crawler's reasons say is that it is a program.
 */
export function capDeclaredBot(v: SessionVerdict, f: SessionFeatures): SessionVerdict {
  if (f.uaClass !== 'declared_bot' || v.level === 'none') return v;
  if (!v.reasons.some(saysAbuse))
    return { level: 'none', botType: null, confidence: 0, reasons: [] };
  if (v.level !== 'malicious') return v;
  if (f.errorShare >= CRAWLER_MAX_ERROR_SHARE) return v;
  if (v.reasons.some((r) => ATTACK_DETECTORS.has(r.detector))) return v;
  return capVerdict(v);
}

/** The verdict before the declared-crawler cap (when there was one): for a session with attacks. */
export function uncap(v: SessionVerdict): SessionVerdict {
  if (!v.uncapped) return v;
  const { uncapped, ...rest } = v;
  return { ...rest, ...uncapped };
}

/**
 * The verdict a judged one `v` stands at once signature detections are known: uncapped when
 * the session has attacks. The one place that decides it, for the verdicts step after the
 * judging and for a partial rebuild whose marks or rules moved the attacks without one
 * (electron/analysis/verdictsStep.ts).
 */
export function withAttacks(v: SessionVerdict, attacked: boolean): SessionVerdict {
  return attacked ? uncap(v) : v;
}
