import { useState, type FormEvent, type ReactNode } from 'react';
import type { Filters } from '../../shared/query/filterModel';
import type { VerdictLevel } from '../../shared/verdicts/types';
import { useI18n } from '../i18n/I18nContext';
import {
  ADDABLE_FIELDS,
  FIELD_LABEL,
  FLOW_CHOICES,
  VERDICT_CHOICES,
  addFilterValue,
  filterChips,
  parseUserTime,
  type ChipSpec,
  type FilterField,
} from '../state/filters';
import { Chip } from './Chip';
import { Icon } from './Icon';

/**
 * The filter chips of one scope (case-wide or in-session), a text search (focused by "/"),
 * and an "add filter" row. Every change goes through the shared schema before it is applied.
 */
export function FilterBar(props: {
  filters: Filters;
  onChange: (f: Filters) => void;
  /** Display names for values that are ids (endpoint templates). */
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
  const [field, setField] = useState<FilterField>('ips');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const chips = filterChips(filters);

  const display = (c: ChipSpec): string => {
    if (c.field === 'from' || c.field === 'to') return fmt.ts(Number(c.value));
    if (c.field === 'outliersOnly') return '✓';
    if (c.field === 'verdicts') return t(`sessionVerdict.level.${c.value as VerdictLevel}`);
    const v = String(c.value);
    return props.labels?.[v] ?? v;
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
    else setError(r.message);
  };

  const add = (e: FormEvent): void => {
    e.preventDefault();
    const raw = value.trim();
    if (!raw) return;
    let v: string | number = raw;
    if (field === 'from' || field === 'to') {
      const us = parseUserTime(raw, fmt.zone);
      if (us === null) {
        setError(`${t(FIELD_LABEL[field])}: YYYY-MM-DD HH:mm:ss (${fmt.zoneName})`);
        return;
      }
      v = us;
    }
    const r = addFilterValue(filters, field, v);
    if (!r.ok) {
      setError(`${t(FIELD_LABEL[field])}: ${r.message}`);
      return;
    }
    setError(null);
    setValue('');
    onChange(r.filters);
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
          const label = `${t(FIELD_LABEL[c.field])}: ${display(c)}`;
          return (
            <Chip
              key={c.key}
              tone={props.tone === 'accent' ? 'accent' : 'neutral'}
              label={label}
              title={label}
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
          onChange={(e) => setText(e.target.value)}
          placeholder={t('filter.search')}
          aria-label={t('filter.search')}
          data-search={props.primary ? 'primary' : 'secondary'}
          spellCheck={false}
        />
      </form>
      <form className="filter-add" onSubmit={add}>
        <select
          value={field}
          onChange={(e) => {
            setField(e.target.value as FilterField);
            setValue('');
          }}
          aria-label={t('filter.add')}
        >
          {ADDABLE_FIELDS.map((f) => (
            <option key={f} value={f}>
              {t(FIELD_LABEL[f])}
            </option>
          ))}
        </select>
        {field === 'flows' ? (
          <select
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-label={t('filter.field.flow')}
          >
            <option value="" />
            {FLOW_CHOICES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        ) : field === 'verdicts' ? (
          <select
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-label={t('filter.field.verdict')}
          >
            <option value="" />
            {VERDICT_CHOICES.map((v) => (
              <option key={v} value={v}>
                {t(`sessionVerdict.level.${v}`)}
              </option>
            ))}
          </select>
        ) : (
          <input
            type="text"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={field === 'from' || field === 'to' ? 'YYYY-MM-DD HH:mm:ss' : ''}
            aria-label={t(FIELD_LABEL[field])}
            spellCheck={false}
          />
        )}
        <button type="submit" className="btn btn-small">
          {t('filter.add')}
        </button>
      </form>
      {error ? (
        <span className="warn-text small" role="status">
          {error}
        </span>
      ) : null}
    </div>
  );
}
