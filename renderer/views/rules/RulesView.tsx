import { useState, type ReactNode } from 'react';
import type { ErrorInfo, Result } from '../../../shared/contract/errors';
import type { RuleInfo } from '../../../shared/rules/ruleModel';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { useResult } from '../../hooks/useResult';
import { RebuildWaitNote, useRebuilds } from '../../components/RebuildProgress';
import { VisibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { useViewState } from '../../state/ViewStateContext';
import { firstSessionSelected } from '../sessions/openSessions';
import { FIELD_LABEL, KIND_LABEL, RuleForm } from './RuleForm';

/**
 * The case's rules: suppress (false positives by scope), custom detections and custom tags.
 * Each can be enabled, disabled or deleted; every change is audited and rebuilds the analysis.
 * Patterns and notes may hold hostile text copied from logs: they are shown as text only, their
 * control characters shown (VisibleText).
 */
export function RulesView(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const { state, navigate } = useViewState();
  const list = useResult(() => client.call('listRules', {}), 'rules');
  const [busy, setBusy] = useState<number | null>(null);
  // A rebuild holds the case for writing: no change until it has finished (the note says so).
  const { running } = useRebuilds();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [editing, setEditing] = useState<RuleInfo | undefined>(undefined);

  const change = async (id: number, call: () => Promise<Result<unknown>>): Promise<void> => {
    setBusy(id);
    setError(null);
    const r = await call();
    setBusy(null);
    if (r.ok) list.reload();
    else setError(r.error);
  };

  const what = (r: RuleInfo): string => {
    if (r.kind === 'suppress') {
      const sig =
        r.scope === 'signature'
          ? (r.ruleId ?? '')
          : r.scope === 'type'
            ? t('rules.typeIs', { type: r.type ?? '' })
            : t('rules.scope.all');
      const where = r.endpoint
        ? `${r.endpoint.method} ${r.endpoint.host}${r.endpoint.template}`
        : t('rules.anyEndpoint');
      return `${sig} — ${where} — ${r.param ?? t('rules.anyParam')}`;
    }
    const field = `${t(FIELD_LABEL[r.field!])}${r.fieldName ? ` ${r.fieldName}` : ''}`;
    const how = r.match === 'regex' ? t('rules.match.regex') : t('rules.match.literal');
    const target = r.kind === 'detect' ? r.type : r.label;
    return `${field} · ${how}: ${r.pattern ?? ''} → ${target ?? ''}`;
  };

  const rules = list.value ?? [];
  return (
    <div className="page" data-testid="rules">
      <div className="list-head">
        <h1>{t('rules.title')}</h1>
        <span className="muted">{t('rules.help')}</span>
      </div>
      {running ? <RebuildWaitNote /> : null}
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {error ? <ErrorNote error={error} /> : null}
      {list.status === 'loading' && rules.length === 0 ? (
        <p className="muted">{t('app.loading')}</p>
      ) : rules.length === 0 ? (
        <p className="muted">{t('rules.empty')}</p>
      ) : (
        <table className="data" aria-label={t('rules.title')}>
          <thead>
            <tr>
              <th>#</th>
              <th>{t('rules.kind')}</th>
              <th>{t('rules.rule')}</th>
              <th>{t('rules.note')}</th>
              <th>{t('rules.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr
                key={r.id}
                data-enabled={r.enabled}
                style={r.enabled ? undefined : { opacity: 0.6 }}
              >
                <td className="mono">{r.id}</td>
                <td>{t(KIND_LABEL[r.kind])}</td>
                <td className="mono">
                  <VisibleText text={what(r)} />
                </td>
                <td>
                  <VisibleText text={r.note ?? ''} />
                </td>
                <td>
                  {r.enabled ? t('rules.enabled') : t('rules.disabled')}
                  {r.notApplied === null ? null : (
                    // The rebuild leaves the rule out (its stored pattern no longer compiles).
                    <div className="warn-text">
                      <VisibleText text={t('rules.notApplied', { reason: r.notApplied })} />
                    </div>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy !== null || running}
                    onClick={() =>
                      void change(r.id, () =>
                        client.call('updateRule', { id: r.id, enabled: !r.enabled }),
                      )
                    }
                  >
                    {r.enabled ? t('rules.disable') : t('rules.enable')}
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy !== null || running}
                    onClick={() => setEditing(r)}
                  >
                    {t('rules.edit')}
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy !== null || running}
                    onClick={() => void change(r.id, () => client.call('deleteRule', { id: r.id }))}
                  >
                    {t('rules.delete')}
                  </button>{' '}
                  {r.kind !== 'suppress' && r.enabled ? (
                    <button
                      type="button"
                      className="btn btn-link"
                      onClick={() =>
                        navigate({
                          view: 'sessions',
                          filters:
                            r.kind === 'tag'
                              ? { ...state.filters, tags: [r.label!] }
                              : { ...state.filters, attackTypes: [r.type!] },
                          ...firstSessionSelected(state),
                        })
                      }
                    >
                      {t('rules.showRequests')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {busy !== null ? <p className="muted">{t('verdict.working')}</p> : null}
      <RuleForm
        key={editing?.id ?? 'new'}
        editing={editing}
        onDone={() => {
          setEditing(undefined);
          list.reload();
        }}
        {...(editing ? { onCancel: () => setEditing(undefined) } : {})}
      />
    </div>
  );
}
