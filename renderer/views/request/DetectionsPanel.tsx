import type { ReactNode } from 'react';
import type { RequestDetail } from '../../../shared/contract/analysisApi';
import { Chip } from '../../components/Chip';
import { HighlightedText, findFragment } from '../../components/HighlightedText';
import { useI18n } from '../../i18n/I18nContext';

/** One finding as the detection engine reports it: where, what type, which fragment matched. */
export interface DetectionView {
  type: string;
  severity: string | null;
  /** Which part of the request matched ("path", "query", "header:user-agent"…). */
  location: string;
  /** The text of that part, and the fragment inside it that matched. */
  text: string;
  fragment: string;
  ruleId: string | null;
}

/**
 * Detections with the matched fragment marked by splitting the text into spans, so attacker
 * text is never parsed as markup. The detection contract is not in this build yet; until it is,
 * `detections` is empty and the panel says so.
 */
export function DetectionsPanel(props: {
  request: RequestDetail;
  detections?: readonly DetectionView[];
}): ReactNode {
  const { t } = useI18n();
  const list = props.detections ?? [];
  if (list.length === 0) return <p className="muted">{t('request.noDetections')}</p>;
  return (
    <div data-testid="detections">
      {list.map((d, i) => (
        <div key={i} className="detection">
          <div className="detection-head">
            <Chip tone="danger" label={d.type} />
            {d.severity ? <span className="muted small">{d.severity}</span> : null}
            <span className="muted small mono">{d.location}</span>
            {d.ruleId ? <span className="muted small mono">{d.ruleId}</span> : null}
          </div>
          <HighlightedText text={d.text} highlights={findFragment(d.text, d.fragment)} />
        </div>
      ))}
    </div>
  );
}
