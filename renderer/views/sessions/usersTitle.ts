import type { SessionSummary } from '../../../shared/contract/analysisApi';
import { visibleText } from '../../components/VisibleText';
import type { TFunction } from '../../i18n/I18nContext';

/**
 * A hover title naming a session's users: how many, then each named one on its line (log
 * text: control characters shown), then "+N more" for those the summary does not name.
 * Undefined for a session with one user or none.
 */
export function usersTitle(
  s: Pick<SessionSummary, 'userCount' | 'users'>,
  t: TFunction,
  num: (n: number) => string,
): string | undefined {
  if (s.userCount <= 1) return undefined;
  const lines = [
    t('sessions.usersTitle', { n: num(s.userCount) }),
    ...s.users.map((u) => visibleText(u)),
  ];
  if (s.userCount > s.users.length)
    lines.push(t('app.more', { n: num(s.userCount - s.users.length) }));
  return lines.join('\n');
}
