import { numericDetectors } from './detectors/index.js';
import {
  BOT_TYPES,
  type BotType,
  type DetectorName,
  type SessionVerdict,
  type VerdictReason,
} from './types.js';

const BOT_OF: ReadonlyMap<DetectorName, BotType> = new Map<DetectorName, BotType>([
  ...numericDetectors.map((d): [DetectorName, BotType] => [d.name, d.botType]),
  ['bad_user_agent', 'security_crawler'],
]);

export function botTypeOf(d: DetectorName): BotType {
  const b = BOT_OF.get(d);
  if (!b) throw new Error(`detector ${d} has no bot type`);
  return b;
}

/**
 * The bot type a reason votes for. An HTTP library's user agent says "a program" but not
 * which kind of abuse, so it votes for none.
 */
export function voteOf(r: VerdictReason): BotType | null {
  if (r.detector === 'bad_user_agent' && r.detail !== 'scanner') return null;
  return botTypeOf(r.detector);
}

/** Reasons that alone make a session malicious when none is strong. */
export const MALICIOUS_MIN_REASONS = 3;

/**
 * Detectors that say a program sends the requests, not what it does with them: machine-regular
 * intervals, few distinct resources, and an agent that is empty or a library's. Every monitor,
 * health check and polling client shows all three together, so they count towards a malicious
 * verdict only beside a reason that says abuse (a scanner's agent does).
 */
const AUTOMATION_ONLY: ReadonlySet<DetectorName> = new Set<DetectorName>([
  'regular_intervals',
  'low_uniqueness',
  'bad_user_agent',
]);

/** True when `r` says what a client does, not only that it is a program. */
export function saysAbuse(r: VerdictReason): boolean {
  return (
    !AUTOMATION_ONLY.has(r.detector) || (r.detector === 'bad_user_agent' && r.detail === 'scanner')
  );
}

/**
 * The verdict from the reasons: malicious when a strong detector fired or at least
 * MALICIOUS_MIN_REASONS did, one of them saying abuse (saysAbuse), suspicious with any reason. The bot type is the one with the most
 * weight (strong 2, weak 1; ties to the larger ratio, then BOT_TYPES order). Confidence is 1 − 0.5^w, w the weight of
 * the reasons that agree on that type: one weak reason 0.5, one strong 0.75, three weak 0.88.
 */
export function combineVerdict(reasons: readonly VerdictReason[]): SessionVerdict {
  if (reasons.length === 0) return { level: 'none', botType: null, confidence: 0, reasons: [] };
  const weight = new Map<BotType, number>();
  const maxRatio = new Map<BotType, number>();
  for (const r of reasons) {
    const b = voteOf(r);
    if (b === null) continue;
    weight.set(b, (weight.get(b) ?? 0) + (r.strong ? 2 : 1));
    maxRatio.set(b, Math.max(maxRatio.get(b) ?? 0, r.ratio ?? 0));
  }
  let botType: BotType = BOT_TYPES[0];
  let best = 0;
  for (const b of BOT_TYPES) {
    const w = weight.get(b) ?? 0;
    // Equal weight: the type whose evidence is furthest from normal wins.
    if (
      w > best ||
      (w === best && w > 0 && (maxRatio.get(b) ?? 0) > (maxRatio.get(botType) ?? 0))
    ) {
      best = w;
      botType = b;
    }
  }
  const malicious =
    reasons.some((r) => r.strong) ||
    (reasons.length >= MALICIOUS_MIN_REASONS && reasons.some(saysAbuse));
  return {
    level: malicious ? 'malicious' : 'suspicious',
    botType,
    confidence: Math.round((1 - 0.5 ** best) * 100) / 100,
    reasons: [...reasons],
  };
}
