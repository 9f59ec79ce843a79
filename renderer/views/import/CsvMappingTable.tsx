import type { ReactNode } from 'react';
import type { CsvMappingInfo } from '../../../shared/contract/caseApi';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { chosenTarget, UNMAPPED, withColumnTarget } from './csvMapping';

const SAMPLE_ROWS = 5;

/**
 * One column per CSV source column: its header, the field it feeds (editable), how that was
 * decided, and the first values. Cells come from the log file and are rendered as text only,
 * their control characters shown (VisibleText).
 */
export function CsvMappingTable(props: {
  csv: CsvMappingInfo;
  columnMap: string;
  onColumnMap: (text: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const { csv, columnMap } = props;
  const targets = Object.keys(csv.targets).filter((f) => f !== UNMAPPED);
  const rows = csv.rows.slice(0, SAMPLE_ROWS);
  const rejected = csv.preview.filter((p) => 'reason' in p);
  const firstReason = rejected[0] && 'reason' in rejected[0] ? rejected[0].reason : '';
  return (
    <div className="csv-mapping" data-testid="csv-mapping">
      <div className="muted small">{t('import.csv.title')}</div>
      <div className="csv-mapping-scroll">
        <table className="data">
          <thead>
            <tr>
              {csv.columns.map((c) => (
                <th key={c.index} className="mono">
                  <VisibleText text={csv.hasHeader ? c.name : `#${c.index}`} />
                </th>
              ))}
            </tr>
            <tr>
              {csv.columns.map((c) => (
                <th key={c.index}>
                  <select
                    value={chosenTarget(csv, c.index, columnMap)}
                    onChange={(e) =>
                      props.onColumnMap(withColumnTarget(columnMap, csv, c.index, e.target.value))
                    }
                    aria-label={t('import.csv.fieldFor', {
                      column: csv.hasHeader ? visibleText(c.name) : `#${c.index}`,
                    })}
                    data-testid={`csv-map-${c.index}`}
                  >
                    {targets.map((f) => (
                      <option key={f} value={f} title={csv.targets[f]}>
                        {f}
                      </option>
                    ))}
                    <option value={UNMAPPED}>{t('import.csv.unmapped')}</option>
                  </select>
                  <div className="muted small">
                    {c.mappedBy ? t(`import.csv.by.${c.mappedBy}`) : t('import.csv.by.none')}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {csv.columns.map((c) => (
                  <td key={c.index} className="mono">
                    <VisibleText text={r[c.index] ?? ''} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {csv.problem ? (
        <div className="error-note" role="alert" data-testid="csv-problem">
          <strong>{t('import.csv.problem')}</strong>
          <span className="error-message">
            <VisibleText text={csv.problem} />
          </span>
        </div>
      ) : rejected.length > 0 ? (
        <div className="warn-text small" data-testid="csv-sample-rejects">
          {t('import.csv.sampleRejects', {
            n: rejected.length,
            total: csv.preview.length,
            reason: visibleText(firstReason),
          })}
        </div>
      ) : null}
    </div>
  );
}
