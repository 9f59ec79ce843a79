import { useState, type FormEvent, type ReactNode } from 'react';
import { ATTACK_TYPES } from '../../shared/detect/types';
import type { Filters } from '../../shared/query/filterModel';
import type { VerdictLevel } from '../../shared/verdicts/types';
import { useI18n } from '../i18n/I18nContext';
import {
  ADDABLE_FIELDS,
  FIELD_LABEL,
  FLAG_FIELDS,
  FLOW_CHOICES,
  VERDICT_CHOICES,
  type FilterField,
} from '../state/filters';
import { addTypedFilter } from './filterBarChecks';

/** Values offered as the investigator types (any other value can still be typed). */
const SUGGESTIONS: Partial<Record<FilterField, readonly string[]>> = {
  attackTypes: ATTACK_TYPES,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
};

/**
 * The filter bar's "Add filter" row: a field, its value (typed or picked; none for a flag
 * such as "Outliers only"), and the reason a value is refused, shown until the field or the
 * value changes.
 */
export function FilterAdd(props: { filters: Filters; onChange: (f: Filters) => void }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const [field, setField] = useState<FilterField>('ips');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const flag = FLAG_FIELDS.includes(field);
  const edit = (v: string): void => {
    setValue(v);
    setError(null);
  };

  const add = (e: FormEvent): void => {
    e.preventDefault();
    if (!flag && !value.trim()) return;
    const r = addTypedFilter(props.filters, field, value, i18n);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setError(null);
    setValue('');
    props.onChange(r.filters);
  };

  const choices = (options: readonly string[], label: (v: string) => string): ReactNode => (
    <select value={value} onChange={(e) => edit(e.target.value)} aria-label={t(FIELD_LABEL[field])}>
      <option value="" />
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );

  return (
    <>
      <form className="filter-add" onSubmit={add}>
        <select
          value={field}
          onChange={(e) => {
            setField(e.target.value as FilterField);
            edit('');
          }}
          aria-label={t('filter.add')}
        >
          {ADDABLE_FIELDS.map((f) => (
            <option key={f} value={f}>
              {t(FIELD_LABEL[f])}
            </option>
          ))}
        </select>
        {flag ? null : field === 'flows' ? (
          choices(FLOW_CHOICES, (f) => f)
        ) : field === 'verdicts' ? (
          choices(VERDICT_CHOICES, (v) => t(`sessionVerdict.level.${v as VerdictLevel}`))
        ) : (
          <input
            type="text"
            value={value}
            onChange={(e) => edit(e.target.value)}
            placeholder={field === 'from' || field === 'to' ? 'YYYY-MM-DD HH:mm:ss' : ''}
            aria-label={t(FIELD_LABEL[field])}
            spellCheck={false}
            list={SUGGESTIONS[field] ? `filter-suggest-${field}` : undefined}
          />
        )}
        {SUGGESTIONS[field] ? (
          <datalist id={`filter-suggest-${field}`}>
            {SUGGESTIONS[field].map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
        ) : null}
        <button type="submit" className="btn btn-small">
          {t('filter.add')}
        </button>
      </form>
      {error ? (
        <span className="warn-text small" role="status">
          {error}
        </span>
      ) : null}
    </>
  );
}
