import { useState, type FormEvent, type ReactNode } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useI18n } from '../i18n/I18nContext.js';
import { useCase } from '../state/CaseContext.js';

type Status =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'mismatch'; found: string }
  | { kind: 'failed'; message: string };

/**
 * Asks for the case file a link names when the app does not know it: the native open dialog
 * in the desktop app, a path field in browser mode (the server reads files on its own
 * machine). The backend opens the file only when its UUID is the link's (locateCase); the
 * link's view then opens by itself (useOpenLink sees the case change). A different case is
 * refused, with both UUIDs, and the case on screen stays.
 */
export function LocateCase(props: { uuid: string }): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const { app, setCase } = useCase();
  const [path, setPath] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const check = async (file: string): Promise<void> => {
    setStatus({ kind: 'checking' });
    const r = await client.call('locateCase', { path: file, uuid: props.uuid });
    if (!r.ok) setStatus({ kind: 'failed', message: r.error.message });
    else if (r.value.opened === null) setStatus({ kind: 'mismatch', found: r.value.foundUuid });
    else {
      setStatus({ kind: 'idle' });
      setCase(r.value.opened);
    }
  };

  const choose = async (): Promise<void> => {
    const r = await client.call('chooseFiles', { purpose: 'openCase' });
    const file = r.ok ? r.value.paths[0] : undefined;
    if (!r.ok) setStatus({ kind: 'failed', message: r.error.message });
    else if (file) await check(file);
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (path.trim() !== '') void check(path.trim());
  };

  const busy = status.kind === 'checking';
  return (
    <div className="locate-case" data-testid="locate-case">
      <strong>{t('locate.title')}</strong>{' '}
      <span className="muted small">{t('locate.help', { uuid: props.uuid })}</span>
      {app?.canChooseFiles ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void choose()}
          disabled={busy}
        >
          {t('locate.choose')}
        </button>
      ) : (
        <form className="button-row" onSubmit={submit}>
          <input
            type="text"
            className="mono"
            aria-label={t('locate.pathLabel')}
            placeholder="/path/to/case.sscase"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            spellCheck={false}
            disabled={busy}
          />
          <button type="submit" className="btn btn-small" disabled={busy || path.trim() === ''}>
            {busy ? t('locate.checking') : t('locate.open')}
          </button>
        </form>
      )}
      {status.kind === 'mismatch' ? (
        <span className="warn-text small" data-testid="locate-problem">
          {t('locate.mismatch', { found: status.found, wanted: props.uuid })}
        </span>
      ) : null}
      {status.kind === 'failed' ? (
        <span className="warn-text small" data-testid="locate-problem">
          {t('locate.failed', { message: status.message })}
        </span>
      ) : null}
    </div>
  );
}
