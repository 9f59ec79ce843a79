import type { ReactNode } from 'react';
import type { RequestDetail } from '../../../shared/contract/analysisApi';
import { useApi } from '../../api/ApiContext';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { HighlightedText, findFragment } from '../../components/HighlightedText';
import { VisibleText } from '../../components/VisibleText';
import { useResult } from '../../hooks/useResult';
import { useI18n } from '../../i18n/I18nContext';
import { detectionContext, windowAround } from './detectionText';
import { FindingVerdict } from './FindingVerdict';

/**
 * The request's detections, each with the part of the request it matched and the matched
 * fragment marked by splitting the text into spans: attacker text never becomes markup.
 * False positives stay listed here, greyed with their mark (they are counted nowhere else),
 * and each finding carries its verdict controls.
 */
export function DetectionsPanel(props: { request: RequestDetail }): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const r = props.request;
  const list = useResult(() => client.call('requestDetections', { requestId: r.id }), String(r.id));
  if (list.error) return <ErrorNote error={list.error} onRetry={list.reload} />;
  const items = list.value ?? [];
  if (list.status === 'loading' && items.length === 0)
    return <p className="muted">{t('app.loading')}</p>;
  if (items.length === 0) return <p className="muted">{t('request.noDetections')}</p>;
  return (
    <div data-testid="detections">
      {items.map((d) => {
        const fragment = d.fragment ?? '';
        const context = detectionContext(r, d);
        const shown = context ? windowAround(context, fragment) : null;
        const marks = shown ? findFragment(shown, fragment) : [];
        const fp = d.verdict === 'false_positive';
        return (
          <div
            key={d.id}
            className="detection"
            data-verdict={d.verdict ?? 'none'}
            style={fp ? { opacity: 0.6, borderLeftColor: 'var(--border)' } : undefined}
          >
            <div className="detection-head">
              <Chip tone={fp ? 'neutral' : 'danger'} label={d.type} />
              {fp ? <span className="small">{t('verdict.notCounted')}</span> : null}
              <span className="mono small">{d.ruleId}</span>
              <span className="muted small mono">
                {d.location ?? d.source}
                {d.param ? (
                  <>
                    {': '}
                    <VisibleText text={d.param} />
                  </>
                ) : null}
                {d.part === 'name' ? ' (name)' : ''}
              </span>
              {d.source === 'source-label' ? (
                <span className="muted small">source label</span>
              ) : null}
            </div>
            {shown && marks.length > 0 ? (
              <HighlightedText text={shown} highlights={marks} />
            ) : (
              <>
                {shown ? (
                  <div className="mono small muted highlighted">
                    <VisibleText text={shown} />
                  </div>
                ) : null}
                {fragment ? (
                  <div>
                    <span className="muted small">
                      {t('col.fragment')}
                      {d.basis === 'decoded' ? ' (decoded)' : ''}:{' '}
                    </span>
                    <HighlightedText
                      text={fragment}
                      highlights={[{ start: 0, end: fragment.length }]}
                    />
                  </div>
                ) : null}
              </>
            )}
            <FindingVerdict finding={d} onChanged={list.reload} />
          </div>
        );
      })}
    </div>
  );
}
