import type { ReactNode } from 'react';
import {
  CONTEXT_KINDS,
  CONTEXT_ROLES,
  SOURCE_COLUMNS,
  type ContextKind,
  type ContextParam,
  type ContextRole,
} from '../../../shared/analysis/settings';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/I18nContext';

export const KIND_LABEL: Record<ContextKind, MessageKey> = {
  cookie: 'settings.kind.cookie',
  header: 'settings.kind.header',
  jwt: 'settings.kind.jwt',
  query: 'settings.kind.query',
  column: 'settings.kind.column',
};
/** The column of the parameters' table that shows each field. */
export const PARAM_FIELD_LABEL: Readonly<Record<string, MessageKey>> = {
  kind: 'settings.params.kind',
  name: 'settings.params.name',
  names: 'settings.params.names',
  secret: 'settings.params.secret',
};
export const ROLE_LABEL: Record<ContextRole, MessageKey> = {
  session: 'settings.names.session',
  user: 'settings.names.user',
  role: 'settings.names.role',
};

/**
 * The investigator's own context parameters, in the order the rebuild tries them (before the
 * built-in ones): kind, name, what the value names, secret; move up/down, remove, add.
 */
export function ContextParamsEditor(props: {
  params: ContextParam[];
  /** Row indexes the schema refused. */
  invalid: ReadonlySet<number>;
  onChange: (params: ContextParam[]) => void;
}): ReactNode {
  const { t } = useI18n();
  const { params, onChange } = props;
  const set = (i: number, patch: Partial<ContextParam>): void =>
    onChange(params.map((p, k) => (k === i ? { ...p, ...patch } : p)));
  const move = (i: number, by: -1 | 1): void => {
    const next = [...params];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  return (
    <div>
      {params.length === 0 ? <p className="muted">{t('settings.params.none')}</p> : null}
      {params.length > 0 ? (
        <table className="data" aria-label={t('settings.params.title')}>
          <thead>
            <tr>
              <th>#</th>
              <th>{t('settings.params.kind')}</th>
              <th>{t('settings.params.name')}</th>
              <th>{t('settings.params.names')}</th>
              <th>{t('settings.params.secret')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {params.map((p, i) => (
              <tr key={i} aria-invalid={props.invalid.has(i) ? true : undefined}>
                <td className="mono">{i + 1}</td>
                <td>
                  <select
                    aria-label={t('settings.params.kind')}
                    value={p.kind}
                    onChange={(e) => {
                      const kind = e.target.value as ContextKind;
                      set(i, kind === 'column' ? { kind, name: SOURCE_COLUMNS[0] } : { kind });
                    }}
                  >
                    {CONTEXT_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(KIND_LABEL[k])}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {p.kind === 'column' ? (
                    <select
                      aria-label={t('settings.params.name')}
                      value={p.name}
                      onChange={(e) => set(i, { name: e.target.value })}
                    >
                      {SOURCE_COLUMNS.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      className="mono"
                      aria-label={t('settings.params.name')}
                      value={p.name}
                      onChange={(e) => set(i, { name: e.target.value })}
                    />
                  )}
                </td>
                <td>
                  <select
                    aria-label={t('settings.params.names')}
                    value={p.names}
                    onChange={(e) => set(i, { names: e.target.value as ContextRole })}
                  >
                    {CONTEXT_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(ROLE_LABEL[r])}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('settings.params.secret')}
                    checked={p.secret}
                    onChange={(e) => set(i, { secret: e.target.checked })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('settings.params.up', { n: i + 1 })}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                  >
                    ↑
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('settings.params.down', { n: i + 1 })}
                    disabled={i === params.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onChange(params.filter((_, k) => k !== i))}
                  >
                    {t('settings.params.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button
        type="button"
        className="btn"
        onClick={() =>
          onChange([...params, { kind: 'cookie', name: '', names: 'session', secret: false }])
        }
      >
        {t('settings.params.add')}
      </button>
    </div>
  );
}
