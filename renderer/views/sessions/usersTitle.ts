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

/**
 * The order a session's users are named in (the list's User column, the session header):
 * those the user filter names first (in the filter's order), then the last one seen, then the
 * others by name. A filtered user the session does not name (it names 10 at most) comes first
 * only where it is certainly one of its users: the filter names that user alone and some of
 * the session's requests match it.
 */
export function usersInOrder(
  s: Pick<SessionSummary, 'user' | 'users' | 'userCount' | 'matchedRequests'>,
  usersFilter: readonly string[] = [],
): string[] {
  const named = new Set(s.users);
  if (s.user !== null) named.add(s.user);
  const certain = usersFilter.length === 1 && s.matchedRequests > 0 && s.userCount > named.size;
  const wanted = usersFilter.filter((u) => named.has(u) || certain);
  const rest = s.user === null ? s.users : [s.user, ...s.users.filter((u) => u !== s.user)];
  return [...new Set([...wanted, ...rest])];
}
