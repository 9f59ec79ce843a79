import type { SessionSummary } from '../../../shared/contract/analysisApi';
import type { TFunction } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/en';

/**
 * What a session list shows in its verdict column. The behavioural verdict
 * (shared/verdicts) comes first, unless the investigator dismissed it; then signature
 * findings make it an attack session; otherwise nothing was found ("clean" here means only that:
 * the label says "No verdict", as the behaviour panel does: not a clean bill of health).
 */
export type Verdict = 'malicious' | 'suspicious' | 'attack' | 'clean';

export function verdictOf(s: Pick<SessionSummary, 'attackCount' | 'verdict'>): Verdict {
  const v = s.verdict;
  if (v && v.level !== 'none' && v.review !== 'dismissed') return v.level;
  if (s.attackCount > 0) return 'attack';
  return 'clean';
}

export const VERDICT_LABEL: Record<Verdict, MessageKey> = {
  malicious: 'sessionVerdict.level.malicious',
  suspicious: 'verdict.suspicious',
  attack: 'verdict.attack',
  clean: 'verdict.clean',
};

/** The CSS tone class: malicious shares the attack colour. */
export const VERDICT_CLASS: Record<Verdict, string> = {
  malicious: 'verdict verdict-attack verdict-malicious',
  suspicious: 'verdict verdict-suspicious',
  attack: 'verdict verdict-attack',
  clean: 'verdict verdict-clean',
};

/** Bot type, confidence and review of the behavioural verdict, for a tooltip; '' without one. */
export function verdictTitle(s: Pick<SessionSummary, 'verdict'>, t: TFunction): string {
  const v = s.verdict;
  if (!v || v.level === 'none') return '';
  const parts = [
    t(`sessionVerdict.level.${v.level}`),
    v.botType ? t(`sessionVerdict.bot.${v.botType}`) : null,
    t('sessionVerdict.confidence', { pct: Math.round(v.confidence * 100) }),
    v.review ? t(`sessionVerdict.${v.review}`) : null,
  ];
  return parts.filter((p) => p !== null).join(' · ');
}
