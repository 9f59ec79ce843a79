import path from 'node:path';

/**
 * The name offered for an export (save dialog, Content-Disposition): the case's name and the
 * session id, "requests" or "endpoints". Reduced to [A-Za-z0-9._-], so a case file name can never smuggle
 * a quote or a path into a header or a dialog.
 */
export function exportFileName(
  casePath: string,
  sessionId: string | undefined,
  table: 'requests' | 'endpoints' = 'requests',
): string {
  const base = path
    .basename(casePath)
    .replace(/\.sscase$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return `${base || 'case'}-${table === 'endpoints' ? 'endpoints' : (sessionId ?? 'requests')}.csv`;
}
