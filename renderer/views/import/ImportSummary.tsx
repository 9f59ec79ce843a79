import { useState, type ReactNode } from 'react';
import type { ImportDoneEvent } from '../../../shared/contract/caseApi';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { RejectsViewer } from '../RejectsViewer';
import { SourceSpan } from '../overview/SourceSpan';

type Sources = NonNullable<ImportDoneEvent['result']>['sources'];

/** Other sources named in the shared-endpoints warning before the rest are only counted. */
const PEERS_NAMED = 3;

/**
 * A file some of whose requests name no host, in a case holding other such sources (found by
 * the import: electron/ingest/importWarnings.ts): their requests share endpoints.
 */
function sharesEndpoints(s: Sources[number]): boolean {
  return s.status === 'complete' && s.withoutHost > 0 && s.hostlessPeers.length > 0;
}

/** What each file gave: lines, accepted, rejected, and the rejected lines themselves. */
export function ImportSummary(props: {
  sources: Sources;
  onOpenCase: () => void;
  onAnother: () => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const withRejects = props.sources.filter((s) => s.rejected > 0);
  const [rejectSource, setRejectSource] = useState<number | null>(withRejects[0]?.sourceId ?? null);
  return (
    <div className="import-summary" data-testid="import-summary">
      <table className="data">
        <thead>
          <tr>
            <th>{t('overview.sourceFile')}</th>
            <th>{t('overview.format')}</th>
            <th className="num">{t('import.linesHeader')}</th>
            <th className="num">{t('import.accepted')}</th>
            <th className="num">{t('import.rejected')}</th>
            <th>{t('overview.sourceSpan')}</th>
            <th>{t('overview.status')}</th>
          </tr>
        </thead>
        <tbody>
          {props.sources.map((s) => (
            <tr key={`${s.sourceId}-${s.file}`}>
              <td className="mono">
                <VisibleText text={s.file} />
              </td>
              <td>{s.format}</td>
              <td className="num">{fmt.num(s.lines)}</td>
              <td className="num">{fmt.num(s.accepted)}</td>
              <td className={s.rejected > 0 ? 'num warn-text' : 'num'}>{fmt.num(s.rejected)}</td>
              <td className="source-span" data-testid="import-span">
                <SourceSpan firstUs={s.firstUs} lastUs={s.lastUs} />
              </td>
              <td>
                {s.status === 'skipped'
                  ? t('import.skipped')
                  : (s.message ??
                    ((s.lines > 0 && s.accepted === 0) ||
                    s.unreadableParts > 0 ||
                    sharesEndpoints(s)
                      ? '⚠'
                      : '✓'))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.sources
        .filter((s) => s.status === 'complete' && s.lines > 0 && s.accepted === 0)
        .map((s) => (
          <p key={`none-${s.sourceId}`} className="warn-text" role="alert">
            {t('import.noRequests', { file: visibleText(s.file), n: fmt.num(s.rejected) })}
          </p>
        ))}
      {props.sources.map((s) =>
        // Skipped as a copy of a source that accepted few or no lines (a wrong format): how to
        // import it again.
        s.status === 'skipped' && s.duplicateOf?.poor === true ? (
          <p key={`dup-${s.sourceId}-${s.file}`} className="warn-text" role="alert">
            {t('import.skippedPoor', {
              file: visibleText(s.file),
              id: String(s.duplicateOf.sourceId),
              format: s.duplicateOf.format,
              accepted: fmt.num(s.duplicateOf.accepted),
              lines: fmt.num(s.duplicateOf.lines),
            })}
          </p>
        ) : null,
      )}
      {props.sources
        .filter((s) => s.unreadableParts > 0)
        .map((s) => (
          <p key={`unread-${s.sourceId}`} className="warn-text" role="alert">
            {t('import.unreadable', {
              file: visibleText(s.file),
              n: fmt.num(s.unreadableParts),
            })}
          </p>
        ))}
      {props.sources.filter(sharesEndpoints).map((s) => {
        const named = s.hostlessPeers.slice(0, PEERS_NAMED).map((p) =>
          t('import.sharedEndpoints.peer', {
            file: visibleText(p.file),
            n: fmt.num(p.withoutHost),
          }),
        );
        const more = s.hostlessPeers.length - named.length;
        if (more > 0) named.push(t('import.sharedEndpoints.more', { n: fmt.num(more) }));
        return (
          <p key={`hostless-${s.sourceId}`} className="warn-text" role="alert">
            {t('import.sharedEndpoints', {
              file: visibleText(s.file),
              n: fmt.num(s.withoutHost),
              others: named.join(', '),
            })}
          </p>
        );
      })}
      <div className="button-row">
        <button
          type="button"
          className="btn btn-primary"
          onClick={props.onOpenCase}
          data-testid="go-to-case"
        >
          {t('import.openCase')}
        </button>
        <button type="button" className="btn" onClick={props.onAnother}>
          {t('import.another')}
        </button>
      </div>
      {withRejects.length > 0 ? (
        <div className="rejects-section">
          <h3>
            {t('rejects.title')}
            {withRejects.length > 1 ? (
              <select
                value={rejectSource ?? ''}
                onChange={(e) => setRejectSource(Number(e.target.value))}
                aria-label={t('rejects.source')}
              >
                {withRejects.map((s) => (
                  <option key={s.sourceId} value={s.sourceId}>
                    {visibleText(s.file)}
                  </option>
                ))}
              </select>
            ) : null}
          </h3>
          {rejectSource !== null ? (
            <RejectsViewer key={rejectSource} sourceId={rejectSource} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
