import type { ReactNode } from 'react';
import type { Filters } from '../../../shared/query/filterModel';
import type { VerdictLevel } from '../../../shared/verdicts/types';
import { Chip } from '../../components/Chip';
import { useEndpointLabels } from '../../components/filterBarLabels';
import { Icon } from '../../components/Icon';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { FIELD_LABEL, filterChips, type ChipSpec } from '../../state/filters';

/**
 * The case-wide filters (the Sessions list's) that the chart above counts through, each with
 * its ×, and a way to clear them: the overview's other figures count the whole case, so a
 * filtered figure must say so where it is shown. Nothing when no filter is set.
 */
export function OverviewFilters(props: {
  filters: Filters;
  onChange: (f: Filters) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const { filters, onChange } = props;
  const chips = filterChips(filters);
  const names = useEndpointLabels(filters.endpoints, undefined);
  if (chips.length === 0) return null;
  // As the filter bar shows them: times in the chosen zone, endpoint ids by name.
  const display = (c: ChipSpec): string => {
    if (c.field === 'from' || c.field === 'to') return fmt.ts(Number(c.value));
    if (c.field === 'outliersOnly') return '✓';
    if (c.field === 'verdicts') return t(`sessionVerdict.level.${c.value as VerdictLevel}`);
    const v = String(c.value);
    return (c.field === 'endpoints' ? names[v] : undefined) ?? v;
  };
  return (
    <div className="overview-filtered" data-testid="overview-filters">
      <span className="overview-filtered-label">
        <Icon name="filter" /> {t('overview.filtered')}
      </span>
      <span className="chips">
        {chips.map((c) => {
          // A value from the logs, its control characters shown.
          const field = t(FIELD_LABEL[c.field]);
          const value = display(c);
          const label = `${field}: ${visibleText(value)}`;
          return (
            <Chip
              key={c.key}
              tone="accent"
              label={
                <>
                  {field}: <VisibleText text={value} />
                </>
              }
              title={label}
              onRemove={() => onChange(c.remove(filters))}
              removeLabel={t('filter.remove', { label })}
            />
          );
        })}
        <button type="button" className="btn btn-link small" onClick={() => onChange({})}>
          {t('overview.clearFilters')}
        </button>
      </span>
    </div>
  );
}
