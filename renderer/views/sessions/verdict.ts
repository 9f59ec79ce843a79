import type { SessionSummary } from '../../../shared/contract/analysisApi';
import type { MessageKey } from '../../i18n/en';

export type Verdict = 'attack' | 'suspicious' | 'clean';

/**
 * A session's verdict as shown in lists: any detected attack makes it an attack session, any
 * latency/size outlier without attacks makes it worth a look, otherwise clean.
 */
export function verdictOf(s: Pick<SessionSummary, 'attackCount' | 'outlierCount'>): Verdict {
  if (s.attackCount > 0) return 'attack';
  if (s.outlierCount > 0) return 'suspicious';
  return 'clean';
}

export const VERDICT_LABEL: Record<Verdict, MessageKey> = {
  attack: 'verdict.attack',
  suspicious: 'verdict.suspicious',
  clean: 'verdict.clean',
};
