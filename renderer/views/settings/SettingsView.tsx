import { useMemo, useState, type ReactNode } from 'react';
import {
  analysisSettingsSchema,
  DEFAULT_CONTEXT_PARAMS,
  defaultSettings,
  type AnalysisSettings,
} from '../../../shared/analysis/settings';
import type { RebuildSummary } from '../../../shared/contract/analysisApi';
import type { ErrorInfo } from '../../../shared/contract/errors';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { Icon } from '../../components/Icon';
import { RebuildProgress, RebuildWaitNote, useRebuilds } from '../../components/RebuildProgress';
import { useResult } from '../../hooks/useResult';
import { useI18n } from '../../i18n/I18nContext';
import {
  ContextParamsEditor,
  KIND_LABEL,
  PARAM_FIELD_LABEL,
  ROLE_LABEL,
} from './ContextParamsEditor';
import { NumberField } from './NumberField';
import {
  OUTLIER_FIELDS,
  readNumber,
  SESSION_FIELDS,
  settingLabel,
  TEMPLATE_FIELDS,
  VERDICT_FIELDS,
  writeNumber,
  type NumberFieldDef,
} from './settingsFields';

/**
 * The case's analysis settings: how requests become sessions (context parameters, timeouts),
 * outlier and template thresholds, and the behavioural detectors' thresholds. Checked with the
 * contract's own schema before it is sent; saving stores them (audited) and rebuilds the
 * analysis, with progress and Cancel — a cancelled save leaves the old settings in place.
 */
export function SettingsView(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const loaded = useResult(() => client.call('getSettings', {}), 'settings');
  // The edited copy and what the edit started from (the settings loaded then), which the save
  // sends: a case changed meanwhile (another window, the CLI) refuses it rather than lose that
  // change. A reload under an edit keeps the edit's base.
  const [edited, setEdited] = useState<{
    draft: AnalysisSettings;
    base: AnalysisSettings | null;
  } | null>(null);
  const draft = edited?.draft ?? null;
  const setDraft = (next: AnalysisSettings | null): void =>
    setEdited(
      next === null ? null : { draft: next, base: edited ? edited.base : (loaded.value ?? null) },
    );
  const [saving, setSaving] = useState(false);
  // Another rebuild (an import's) holds the case: saving waits for it (the note says so).
  const { running } = useRebuilds();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [rebuilt, setRebuilt] = useState<RebuildSummary | null>(null);

  // The loaded settings until the first edit; then the edited copy.
  const current = draft ?? loaded.value ?? null;
  const base = edited ? edited.base : (loaded.value ?? null);

  const parsed = useMemo(
    () => (current ? analysisSettingsSchema.safeParse(current) : null),
    [current],
  );
  const invalid = useMemo(
    () =>
      new Set(parsed?.success === false ? parsed.error.issues.map((i) => i.path.join('.')) : []),
    [parsed],
  );
  const invalidParams = useMemo(
    () =>
      new Set(
        parsed?.success === false
          ? parsed.error.issues
              .filter((i) => i.path[0] === 'contextParams')
              .map((i) => Number(i.path[1]))
          : [],
      ),
    [parsed],
  );

  /**
   * The refused settings as the form names them: a field's label, or a context parameter by
   * its row number and column ("Context parameters #2 (Name)"), never the schema's path.
   */
  const refused = (): string[] => {
    if (parsed?.success !== false) return [];
    const names = parsed.error.issues.map((i) => {
      if (i.path[0] === 'contextParams' && typeof i.path[1] === 'number') {
        // A parameter's own checks (a header's or a column's name) are about its name.
        const column = PARAM_FIELD_LABEL[String(i.path[2] ?? 'name')];
        const row = `${t('settings.params.title')} #${i.path[1] + 1}`;
        return column ? `${row} (${t(column)})` : row;
      }
      const label = settingLabel(i.path);
      return label ? t(label) : i.path.map(String).join('.');
    });
    return [...new Set(names)];
  };

  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!current) return <p className="page muted">{t('app.loading')}</p>;

  const changed = JSON.stringify(current) !== JSON.stringify(loaded.value);
  const save = async (): Promise<void> => {
    if (!parsed?.success) return;
    setSaving(true);
    setError(null);
    setRebuilt(null);
    const r = await client.call('setSettings', {
      settings: parsed.data,
      ...(base ? { base } : {}),
    });
    setSaving(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setEdited({ draft: r.value.settings, base: r.value.settings });
    setRebuilt(r.value.rebuild);
    loaded.reload();
  };

  const numbers = (defs: readonly NumberFieldDef[]): ReactNode =>
    defs.map((d) => (
      <NumberField
        key={d.path.join('.')}
        label={t(d.label)}
        value={readNumber(current, d.path)}
        integer={d.integer}
        invalid={invalid.has(d.path.join('.'))}
        onChange={(v) => setDraft(writeNumber(current, d.path, v))}
      />
    ));

  return (
    <div className="page" data-testid="settings">
      <div className="list-head">
        <h1>{t('settings.title')}</h1>
        <span className="muted">{t('settings.help')}</span>
      </div>

      <section className="form" aria-label={t('settings.sessions')}>
        <h2>{t('settings.sessions')}</h2>
        <div className="settings-grid">{numbers(SESSION_FIELDS)}</div>
      </section>

      <section className="form" aria-label={t('settings.params.title')}>
        <h2>{t('settings.params.title')}</h2>
        <p className="muted small">{t('settings.params.help')}</p>
        <ContextParamsEditor
          params={current.contextParams}
          invalid={invalidParams}
          onChange={(contextParams) => setDraft({ ...current, contextParams })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={current.useDefaultParams}
            onChange={(e) => setDraft({ ...current, useDefaultParams: e.target.checked })}
          />
          <span>{t('settings.params.useDefaults')}</span>
        </label>
        <details>
          <summary>{t('settings.params.builtIn', { n: DEFAULT_CONTEXT_PARAMS.length })}</summary>
          <ol className="small mono">
            {DEFAULT_CONTEXT_PARAMS.map((p, i) => (
              <li key={i}>
                {`${t(KIND_LABEL[p.kind])} ${p.name} → ${t(ROLE_LABEL[p.names])}`}
                {p.secret ? ` (${t('settings.params.secret')})` : ''}
              </li>
            ))}
          </ol>
        </details>
      </section>

      <section className="form" aria-label={t('settings.outliers')}>
        <h2>{t('settings.outliers')}</h2>
        <div className="settings-grid">
          {numbers(OUTLIER_FIELDS)}
          {numbers(TEMPLATE_FIELDS)}
        </div>
      </section>

      <section className="form" aria-label={t('settings.verdicts')}>
        <h2>{t('settings.verdicts')}</h2>
        <div className="settings-grid">{numbers(VERDICT_FIELDS)}</div>
        <label className="check">
          <input
            type="checkbox"
            checked={current.verdicts.flagScriptAgents}
            onChange={(e) =>
              setDraft({
                ...current,
                verdicts: { ...current.verdicts, flagScriptAgents: e.target.checked },
              })
            }
          />
          <span>{t('settings.verdicts.flagScriptAgents')}</span>
        </label>
      </section>

      {parsed?.success === false ? (
        // The form's own check, so no error kind ("Invalid input") above it: just what to fix.
        <div className="error-note" role="alert">
          <Icon name="warn" />
          <span className="error-message">
            {t('settings.invalid', { fields: refused().join(', ') })}
          </span>
        </div>
      ) : null}
      {error ? (
        <ErrorNote
          error={error}
          {...(error.code === 'CONFLICT'
            ? {
                // The stored settings replace the edit: the investigator makes it again on them.
                onRetry: () => {
                  setError(null);
                  setDraft(null);
                  loaded.reload();
                },
                retryLabel: t('settings.reloadStored'),
              }
            : {})}
        />
      ) : null}
      {saving ? <RebuildProgress /> : null}
      {rebuilt && !changed ? (
        <p role="status">
          {t('settings.saved', {
            sessions: fmt.num(rebuilt.sessions),
            endpoints: fmt.num(rebuilt.endpoints),
            requests: fmt.num(rebuilt.requests),
          })}
        </p>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={saving || running || !changed || parsed?.success !== true}
          onClick={() => void save()}
        >
          {t('settings.save')}
        </button>{' '}
        <button
          type="button"
          className="btn"
          disabled={saving || !changed}
          onClick={() => setDraft(null)}
        >
          {t('settings.discard')}
        </button>{' '}
        <button
          type="button"
          className="btn"
          disabled={saving}
          onClick={() => setDraft(defaultSettings())}
        >
          {t('settings.defaults')}
        </button>
        {running && !saving ? <RebuildWaitNote /> : null}
      </div>
    </div>
  );
}
