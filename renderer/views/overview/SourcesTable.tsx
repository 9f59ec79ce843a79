import type { ReactNode } from 'react';
import type { SourceInfo } from '../../../shared/contract/caseApi';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { SourceSpan } from './SourceSpan';

/**
 * Every imported file with its SHA-256 (the evidence fingerprint) and what it gave, and a way
 * to take one out of the case (imported with the wrong format or time zone, say). A file's
 * name is shown with its control characters visible: a name can hold an ESC or a newline.
 */
export function SourcesTable(props: {
  sources: readonly SourceInfo[];
  onShowRejects: (sourceId: number) => void;
  /** Asks to remove the source (a confirmation follows). */
  onRemove: (source: SourceInfo) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  return (
    <table className="data" data-testid="sources">
      <thead>
        <tr>
          <th>{t('overview.sourceFile')}</th>
          <th>{t('overview.format')}</th>
          <th className="num">{t('overview.size')}</th>
          <th className="num">{t('import.accepted')}</th>
          <th className="num">{t('import.rejected')}</th>
          <th>{t('overview.sourceSpan')}</th>
          <th>{t('overview.imported')}</th>
          <th>{t('overview.status')}</th>
          <th>{t('overview.sha256')}</th>
          <th>{t('overview.sourceActions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.sources.map((s) => (
          <tr key={s.id}>
            <td className="mono" title={visibleText(s.path)}>
              <VisibleText text={s.fileName} />
            </td>
            <td>
              {s.format}
              {s.tz && s.withoutOffset !== 0 ? (
                // The zone is an assumption for times without an offset, not how every time was
                // read: said with the lines it applied to, and not at all when none had to take
                // it. A source imported before they were counted (null) keeps the general note.
                <span
                  className="muted"
                  title={t('overview.tzAssumed.title', { tz: s.tz })}
                  data-testid="source-tz"
                >
                  {' · '}
                  {s.withoutOffset === null
                    ? t('overview.tzAssumed', { tz: s.tz })
                    : t(
                        s.withoutOffset === 1
                          ? 'overview.tzAssumedLinesOne'
                          : 'overview.tzAssumedLines',
                        { tz: s.tz, n: fmt.num(s.withoutOffset) },
                      )}
                </span>
              ) : null}
              {s.assumedHost ? (
                <span className="muted" title={t('overview.assumedHost.title')}>
                  {' · '}
                  {t('overview.assumedHost', { host: s.assumedHost })}
                </span>
              ) : null}
            </td>
            <td className="num">{fmt.bytes(s.sizeBytes)}</td>
            <td className="num">{fmt.num(s.accepted)}</td>
            <td className="num">
              {s.rejected > 0 ? (
                <button
                  type="button"
                  className="btn btn-link warn-text"
                  // The figure alone would name the button "2": say whose lines it shows.
                  aria-label={t(
                    s.rejected === 1
                      ? 'overview.showRejects.labelOne'
                      : 'overview.showRejects.label',
                    {
                      n: fmt.num(s.rejected),
                      file: visibleText(s.fileName),
                    },
                  )}
                  onClick={() => props.onShowRejects(s.id)}
                >
                  {fmt.num(s.rejected)}
                </button>
              ) : (
                fmt.num(0)
              )}
            </td>
            <td className="source-span" data-testid="source-span">
              <SourceSpan firstUs={s.firstUs} lastUs={s.lastUs} />
            </td>
            <td>{fmt.ts(Date.parse(s.importedAt) * 1000)}</td>
            <td>{t(`overview.sourceStatus.${s.status}`)}</td>
            <td className="mono hash" title={s.sha256}>
              {s.sha256}
            </td>
            <td>
              <button
                type="button"
                className="btn btn-small"
                // Every row's button says "Remove…": its name says which file it removes.
                aria-label={t('overview.removeSource.label', { file: visibleText(s.fileName) })}
                onClick={() => props.onRemove(s)}
              >
                {t('overview.removeSource')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
