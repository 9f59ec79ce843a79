import { useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/contract/errors';
import type { SpecOverview } from '../../../shared/contract/specApi';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { PathField } from '../../components/PathField';
import { useResult } from '../../hooks/useResult';
import { useI18n } from '../../i18n/I18nContext';
import { useCase } from '../../state/CaseContext';

/** A path's last part, '/' or '\\' separated: an upload's path is the server's temp copy. */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/**
 * The API specs loaded into the case, how the traffic compares with them, the spec paths never
 * called (orphans), and loading one more (by path, the file dialog, or an upload in browser
 * mode). Collapsed by default under one summary line; `onLoaded` lets the list re-read the
 * endpoints, whose spec status and risk the load changed.
 */
export function SpecPanel(props: {
  onLoaded: () => void;
  /** Rebuilds as the page sees them: none may run while a spec loads (it writes the case). */
  rebuilds: { running: boolean; done: number };
}): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { app } = useCase();
  const overview = useResult(() => client.call('listSpecs', {}), `specs|${props.rebuilds.done}`);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const blocked = busy || props.rebuilds.running;
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const o: SpecOverview | undefined = overview.value;

  const load = async (file: string): Promise<void> => {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await client.call('loadSpec', { path: file });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    const last = r.value.specs[r.value.specs.length - 1];
    setDone(last ? t('endpoints.specLoaded', { title: last.title, version: last.version }) : null);
    setPath('');
    overview.reload();
    props.onLoaded();
  };

  const upload = async (input: HTMLInputElement): Promise<void> => {
    const file = input.files?.[0];
    if (!file || !client.upload) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await client.upload(file, file.name);
    if (r.ok) await load(r.value.path);
    else {
      setBusy(false);
      setError(r.error);
    }
    // Loaded or refused, the same file can be chosen again (a fixed copy, or to see why).
    input.value = '';
  };

  const specNames = new Map((o?.specs ?? []).map((x) => [x.id, `${x.title} ${x.version}`]));
  const summary =
    o && o.specs.length > 0
      ? t('endpoints.specsSummary', {
          specs: fmt.num(o.specs.length),
          documented: fmt.num(o.counts.documented),
          shadow: fmt.num(o.counts.shadow),
          probes: fmt.num(o.counts.probes),
          zombie: fmt.num(o.counts.zombie),
          orphans: fmt.num(o.counts.orphans),
        })
      : t('endpoints.specsNone');

  return (
    <details className="spec-panel" data-testid="spec-panel">
      <summary>
        <strong>{t('endpoints.specs')}</strong> <span className="muted">{summary}</span>
      </summary>
      {overview.error ? <ErrorNote error={overview.error} onRetry={overview.reload} /> : null}
      {o && o.specs.length > 0 ? (
        <ul className="spec-list">
          {o.specs.map((s) => (
            <li key={s.id}>
              <span className="mono" title={s.file}>
                {t('endpoints.specRow', {
                  title: s.title,
                  version: s.version,
                  kind: s.kind,
                  operations: fmt.num(s.operations),
                  file: baseName(s.file),
                })}
              </span>
              {s.unresolvedRefs.length > 0 ? (
                <div className="warn-text small">
                  {t('endpoints.specUnresolved', { refs: s.unresolvedRefs.join(', ') })}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {o && o.orphans.length > 0 ? (
        <div className="spec-orphans">
          <h3>{t('endpoints.orphans', { n: fmt.num(o.orphans.length) })}</h3>
          <ul>
            {o.orphans.map((x) => (
              <li key={`${x.specId} ${x.method} ${x.pathTemplate}`} className="mono">
                {x.method} {x.pathTemplate}
                {x.deprecated ? (
                  <span className="muted"> ({t('endpoints.orphanDeprecated')})</span>
                ) : null}
                {/* Which spec documents it, once there are several. */}
                {o.specs.length > 1 ? (
                  <span className="muted"> · {specNames.get(x.specId) ?? `#${x.specId}`}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form
        className="form spec-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim() && !blocked) void load(path.trim());
        }}
      >
        <PathField
          label={t('endpoints.specPath')}
          value={path}
          onChange={setPath}
          purpose="spec"
          chooseLabel={t('endpoints.specChoose')}
          testId="spec-path"
        >
          <button type="submit" className="btn btn-primary" disabled={blocked || !path.trim()}>
            {t('endpoints.specLoad')}
          </button>
        </PathField>
        {client.upload && app?.canUpload !== false ? (
          <label className="field">
            <span>{t('endpoints.specUpload')}</span>
            <input
              type="file"
              accept=".json,.yaml,.yml,application/json,application/yaml"
              data-testid="spec-upload"
              disabled={blocked}
              onChange={(e) => void upload(e.currentTarget)}
            />
          </label>
        ) : null}
        {busy ? <p className="muted">{t('endpoints.specLoading')}</p> : null}
        {props.rebuilds.running && !busy ? (
          <p className="muted">{t('endpoints.specWaitRebuild')}</p>
        ) : null}
        {done ? (
          <p className="ok-text" role="status">
            {done}
          </p>
        ) : null}
        {error ? <ErrorNote error={error} /> : null}
      </form>
    </details>
  );
}
