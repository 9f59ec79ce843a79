import { useState, type FormEvent, type ReactNode } from 'react';
import type { CaseInfo } from '../../shared/contract/caseApi';
import type { ErrorInfo, Result } from '../../shared/contract/errors';
import { useApi } from '../api/ApiContext';
import { ErrorNote } from '../components/ErrorNote';
import { PathField } from '../components/PathField';
import { Panel } from '../components/Panel';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';
import { useCase } from '../state/CaseContext';
import { useViewState } from '../state/ViewStateContext';
import { initialViewState } from '../state/viewState';

/**
 * Recent cases, create / open a case by path, or the demo case. The case open now heads the
 * recent list (the demo case too, which the list does not keep), to go back to as it is.
 */
export function StartScreen(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { caseInfo, setCase } = useCase();
  const { navigate, replaceAll } = useViewState();
  const recent = useResult(() => client.call('listRecentCases'), 'recent');
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const opened = async (p: Promise<Result<CaseInfo>>, emptyCase: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await p;
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setCase(r.value);
    // A fresh case has nothing to look at yet: go straight to importing.
    const view = emptyCase || r.value.counts.requests === 0 ? 'import' : 'overview';
    replaceAll({ ...initialViewState(), view });
  };

  const submit = (e: FormEvent, kind: 'open' | 'create'): void => {
    e.preventDefault();
    const p = path.trim();
    if (!p) return;
    void opened(
      client.call(kind === 'open' ? 'openCase' : 'createCase', { path: p }),
      kind === 'create',
    );
  };

  // The open case is listed once, first; the rest of the list is the other cases.
  const others = (recent.value ?? []).filter((c) => c.path !== caseInfo?.path);

  return (
    <div className="start">
      <div className="start-grid">
        <Panel title={t('start.title')} headingLevel={1}>
          <form className="form" onSubmit={(e) => submit(e, 'open')}>
            <PathField
              label={t('start.casePath')}
              value={path}
              onChange={setPath}
              purpose="openCase"
              chooseLabel={t('start.choose')}
              placeholder={t('start.casePathHint')}
              testId="case-path"
              autoFocus
            />
            <div className="button-row">
              <button type="submit" className="btn btn-primary" disabled={busy || !path.trim()}>
                {t('start.open')}
              </button>
              <button
                type="button"
                className="btn"
                disabled={busy || !path.trim()}
                onClick={(e) => submit(e, 'create')}
              >
                {t('start.create')}
              </button>
              <span className="spacer" />
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void opened(client.call('openDemoCase'), false)}
              >
                {t('start.openDemo')}
              </button>
            </div>
            {error ? <ErrorNote error={error} /> : null}
          </form>
        </Panel>
        <Panel title={t('start.recent')}>
          {recent.error ? <ErrorNote error={recent.error} onRetry={recent.reload} /> : null}
          {recent.value && others.length === 0 && !caseInfo ? (
            <p className="muted">{t('start.noRecent')}</p>
          ) : null}
          <ul className="recent-list">
            {caseInfo ? (
              <li key={caseInfo.path} data-testid="open-case">
                <button
                  type="button"
                  className="recent-item"
                  aria-current="true"
                  disabled={busy}
                  onClick={() =>
                    navigate({ view: caseInfo.counts.requests === 0 ? 'import' : 'overview' })
                  }
                >
                  <span className="recent-name">
                    {caseInfo.isDemo ? t('start.demoName') : caseInfo.name}
                  </span>
                  <span className="recent-path mono muted">{caseInfo.path}</span>
                  <span className="recent-when muted">
                    {t('start.openNow', { n: fmt.num(caseInfo.counts.requests) })}
                  </span>
                </button>
              </li>
            ) : null}
            {others.map((c) => (
              <li key={c.path}>
                <button
                  type="button"
                  className="recent-item"
                  disabled={busy || !c.exists}
                  onClick={() => void opened(client.call('openCase', { path: c.path }), false)}
                >
                  <span className="recent-name">{c.name}</span>
                  <span className="recent-path mono muted">{c.path}</span>
                  <span className="recent-when muted">
                    {t('start.lastOpened', { when: fmt.ts(Date.parse(c.openedAt) * 1000) })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </Panel>
      </div>
    </div>
  );
}
