import type { ReactNode } from 'react';
import { useApi } from '../api/ApiContext';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';
import { ErrorNote } from './ErrorNote';
import { flowAboutKey } from './flowAbout';

/**
 * The built-in business-flow rules as the rebuild applies them (the backend's own file): each
 * flow with what it covers and the patterns that tag an endpoint with it, shown as text.
 */
export function FlowRulesHelp(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const rules = useResult(() => client.call('flowRules'), 'flowRules');
  // The built-in rules' descriptions in the UI's language; any other as the file words it.
  const about = (flow: string, description: string): string => {
    const key = flowAboutKey(flow, description);
    return key === null ? description : t(key);
  };
  if (rules.error) return <ErrorNote error={rules.error} onRetry={rules.reload} />;
  if (!rules.value) return <p className="muted">{t('app.loading')}</p>;
  return (
    <table className="data help-flows" data-testid="help-flows">
      <thead>
        <tr>
          <th>{t('col.flow')}</th>
          <th>{t('help.flows.matched')}</th>
        </tr>
      </thead>
      <tbody>
        {rules.value.map((r) => (
          <tr key={r.flow}>
            <td>
              <strong>{r.flow}</strong>
              {r.description ? (
                <div className="muted small">{about(r.flow, r.description)}</div>
              ) : null}
            </td>
            <td>
              {(
                [
                  ['help.flows.paths', r.paths],
                  ['help.flows.hosts', r.hosts],
                  ['help.flows.params', r.params],
                ] as const
              )
                .filter(([, patterns]) => patterns.length > 0)
                .map(([label, patterns]) => (
                  <div key={label}>
                    <span className="muted small">{t(label)}</span>{' '}
                    {patterns.map((p) => (
                      <code key={p} className="help-pattern">
                        {p}
                      </code>
                    ))}
                  </div>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
