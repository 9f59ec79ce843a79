import { useState, type FormEvent, type ReactNode } from 'react';
import type { Filters } from '../../shared/query/filterModel';
import type { VerdictLevel } from '../../shared/verdicts/types';
import { useI18n } from '../i18n/I18nContext';
import { FIELD_LABEL, addFilterValue, filterChips, type ChipSpec } from '../state/filters';
import { Chip } from './Chip';
import { FilterAdd } from './filterBarAdd';
import { useEndpointLabels } from './filterBarLabels';
import { Icon } from './Icon';
import { VisibleText, visibleText } from './VisibleText';

/**
 * The filter chips of one scope (case-wide or in-session), a text search (focused by "/"),
 * and an "add filter" row. Every change goes through the shared schema before it is applied.
 */
export function FilterBar(props: {
  filters: Filters;
  onChange: (f: Filters) => void;
  /** Display names for values that are ids (endpoint templates); others are looked up. */
  labels?: Readonly<Record<string, string>>;
  /** Whether this bar owns the app-wide "/" search shortcut. */
  primary?: boolean;
  label: string;
  tone?: 'accent' | 'neutral';
}): ReactNode {
  const { t, fmt } = useI18n();
  const { filters, onChange } = props;
  const [text, setText] = useState(filters.text ?? '');
  // Keep the search box in step when its chip is removed or a link sets it.
  const [seenText, setSeenText] = useState(filters.text);
  if (filters.text !== seenText) {
    setSeenText(filters.text);
    setText(filters.text ?? '');
  }
  const [textError, setTextError] = useState<string | null>(null);
  const chips = filterChips(filters);
  const names = useEndpointLabels(filters.endpoints, props.labels);

  const display = (c: ChipSpec): string => {
    if (c.field === 'from' || c.field === 'to') return fmt.ts(Number(c.value));
    if (c.field === 'outliersOnly') return '✓';
    if (c.field === 'verdicts') return t(`sessionVerdict.level.${c.value as VerdictLevel}`);
    const v = String(c.value);
    return (c.field === 'endpoints' ? names[v] : props.labels?.[v]) ?? v;
  };

  const applyText = (e: FormEvent): void => {
    e.preventDefault();
    const v = text.trim();
    if (!v) {
      const { text: _drop, ...rest } = filters;
      onChange(rest);
      return;
    }
    const r = addFilterValue(filters, 'text', v);
    if (r.ok) onChange(r.filters);
    else setTextError(r.message);
  };

  return (
    <div
      className={`filterbar filterbar-${props.tone ?? 'neutral'}`}
      aria-label={props.label}
      role="search"
    >
      <span className="filterbar-label">
        <Icon name="filter" /> {props.label}
      </span>
      <div className="chips" data-testid="filter-chips">
        {chips.length === 0 ? <span className="muted small">{t('filter.none')}</span> : null}
        {chips.map((c) => {
          // A value typed or picked from the logs (a user, a path) with its control
          // characters shown: in the chip, and as a string in its title and remove label.
          const field = t(FIELD_LABEL[c.field]);
          const value = display(c);
          const label = `${field}: ${visibleText(value)}`;
          // A named endpoint keeps its id at hand (the filter and links hold only the id).
          const id = c.field === 'endpoints' ? String(c.value) : null;
          const named = id !== null && names[id] !== undefined;
          return (
            <Chip
              key={c.key}
              tone={props.tone === 'accent' ? 'accent' : 'neutral'}
              label={
                <>
                  {field}: <VisibleText text={value} />
                </>
              }
              title={named ? `${label} (${id})` : label}
              onRemove={() => onChange(c.remove(filters))}
              removeLabel={t('filter.remove', { label })}
            />
          );
        })}
        {chips.length > 1 ? (
          <button type="button" className="btn btn-link small" onClick={() => onChange({})}>
            {t('filter.clear')}
          </button>
        ) : null}
      </div>
      <form className="filter-search" onSubmit={applyText}>
        <Icon name="search" />
        <input
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setTextError(null);
          }}
          placeholder={t('filter.search')}
          aria-label={t('filter.search')}
          data-search={props.primary ? 'primary' : 'secondary'}
          spellCheck={false}
        />
        {/* Typed but not applied: the list below does not reflect it yet. */}
        {text.trim() !== (filters.text ?? '') ? (
          <span className="muted small" data-testid="search-pending">
            {t('filter.searchPending')}
          </span>
        ) : null}
      </form>
      <FilterAdd filters={filters} onChange={onChange} />
      {textError ? (
        <span className="warn-text small" role="status">
          {textError}
        </span>
      ) : null}
    </div>
  );
}
