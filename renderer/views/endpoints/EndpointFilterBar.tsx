import { useEffect, useState, type ReactNode } from 'react';
import { FLOWS, type Flow } from '../../../shared/analysis/flowRules';
import type { EndpointFilters } from '../../../shared/contract/analysisApi';
import type { RiskLevel } from '../../../shared/contract/specApi';
import { Icon } from '../../components/Icon';
import { useI18n } from '../../i18n/I18nContext';

const LEVELS: readonly RiskLevel[] = ['High', 'Medium', 'Low'];
const SPEC_STATUSES = ['shadow', 'zombie', 'documented'] as const;
/** What the text box waits for after the last key before it asks the backend. */
const TYPING_MS = 250;

/**
 * The endpoint inventory's filters, all applied together: text in the method, host or template
 * (as typed, after a pause), a risk level, a spec status (once a spec is loaded), a flow.
 * `/` reaches the text box as it reaches the sessions' search.
 */
export function EndpointFilterBar(props: {
  filters: EndpointFilters;
  onChange: (f: EndpointFilters) => void;
  withSpec: boolean;
}): ReactNode {
  const { t } = useI18n();
  const { filters, onChange } = props;
  const [text, setText] = useState(filters.text ?? '');
  useEffect(() => {
    const wanted = text.trim() || undefined;
    if (wanted === filters.text) return;
    const timer = setTimeout(() => onChange({ ...filters, text: wanted }), TYPING_MS);
    return () => clearTimeout(timer);
  }, [text, filters, onChange]);

  /** One choice of a list filter: the value, or none for "all". */
  const pick = <K extends 'levels' | 'spec' | 'flows'>(key: K, value: string): EndpointFilters => {
    const next = { ...filters };
    if (value === '') delete next[key];
    else next[key] = [value] as EndpointFilters[K];
    return next;
  };

  return (
    <div className="filterbar endpoint-filters" role="search">
      <form
        className="filter-search"
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ ...filters, text: text.trim() || undefined });
        }}
      >
        <Icon name="search" />
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('endpoints.search')}
          aria-label={t('endpoints.search')}
          data-search="primary"
          spellCheck={false}
        />
      </form>
      <select
        aria-label={t('col.risk')}
        value={filters.levels?.[0] ?? ''}
        onChange={(e) => onChange(pick('levels', e.target.value))}
      >
        <option value="">{t('endpoints.anyRisk')}</option>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {t(`risk.${l}`)}
          </option>
        ))}
      </select>
      {props.withSpec || filters.spec ? (
        <select
          aria-label={t('col.spec')}
          value={filters.spec?.[0] ?? ''}
          onChange={(e) => onChange(pick('spec', e.target.value))}
        >
          <option value="">{t('endpoints.anySpec')}</option>
          {SPEC_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`spec.${s}`)}
            </option>
          ))}
        </select>
      ) : null}
      <select
        aria-label={t('col.flows')}
        value={filters.flows?.[0] ?? ''}
        onChange={(e) => onChange(pick('flows', e.target.value as Flow | ''))}
      >
        <option value="">{t('endpoints.anyFlow')}</option>
        {FLOWS.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </div>
  );
}
