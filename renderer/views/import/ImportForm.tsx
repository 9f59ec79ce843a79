import { useId, useMemo, useState, type ReactNode } from 'react';
import type { ImportPreview } from '../../../shared/contract/caseApi';
import type { ErrorInfo } from '../../../shared/contract/errors';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { Icon } from '../../components/Icon';
import { useI18n } from '../../i18n/I18nContext';
import { useCase } from '../../state/CaseContext';
import { parseColumnMap, zoneChoices, type ImportFormOptions } from './importOptions';

/**
 * Choose a file (a path on the backend's machine, or an upload in browser mode), see the
 * detected format and its first lines, adjust options, start.
 */
export function ImportForm(props: {
  options: ImportFormOptions;
  onOptions: (o: ImportFormOptions) => void;
  onStart: (path: string) => void;
  starting: boolean;
  startError: ErrorInfo | null;
}): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { app } = useCase();
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const zonesId = useId();
  const pathId = useId();
  const zones = useMemo(() => zoneChoices(), []);
  const { options: o, onOptions } = props;
  const mapCheck = parseColumnMap(o.columnMap);

  const runPreview = async (p: string): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await client.call('previewImport', { path: p });
    setBusy(false);
    if (r.ok) setPreview(r.value);
    else {
      setPreview(null);
      setError(r.error);
    }
  };

  const onUpload = async (file: File | undefined): Promise<void> => {
    if (!file || !client.upload) return;
    setBusy(true);
    setError(null);
    // The preview of a previous file must not stand in for this one while it uploads.
    setPreview(null);
    const r = await client.upload(file, file.name);
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setPath(r.value.path);
    await runPreview(r.value.path);
  };

  const choose = async (): Promise<void> => {
    const r = await client.call('chooseFiles', { purpose: 'import' });
    if (r.ok && r.value.paths[0]) {
      setPath(r.value.paths[0]);
      await runPreview(r.value.paths[0]);
    }
  };

  const formats = app?.formats ?? [];
  const detectedLabel = preview?.format
    ? (formats.find((f) => f.id === preview.format)?.label ?? preview.format)
    : null;

  return (
    <form
      className="form import-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim() && mapCheck.badLines.length === 0) props.onStart(path.trim());
      }}
    >
      <div className="field">
        <label htmlFor={pathId}>{t('import.byPath')}</label>
        <span className="field-row">
          <input
            id={pathId}
            type="text"
            className="mono"
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
              setPreview(null);
            }}
            placeholder={t('import.byPathHint')}
            spellCheck={false}
            data-testid="import-path"
          />
          {app?.canChooseFiles ? (
            <button type="button" className="btn" onClick={() => void choose()}>
              <Icon name="file" />
            </button>
          ) : null}
          <button
            type="button"
            className="btn"
            disabled={busy || !path.trim()}
            onClick={() => void runPreview(path.trim())}
          >
            {t('import.preview')}
          </button>
        </span>
      </div>
      {client.upload && app?.canUpload !== false ? (
        <label className="field">
          <span>{t('import.upload')}</span>
          <input
            type="file"
            data-testid="import-upload"
            onChange={(e) => void onUpload(e.target.files?.[0])}
          />
        </label>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {preview ? (
        <div className="preview" data-testid="import-preview">
          <div className="preview-head">
            {detectedLabel ? (
              <strong>
                {t('import.detected', {
                  format: detectedLabel,
                  confidence: fmt.pct(preview.confidence),
                })}
              </strong>
            ) : (
              <span className="warn-text">{preview.problem ?? t('error.UNKNOWN_FORMAT')}</span>
            )}
            <span className="muted mono">
              {preview.fileName} · {fmt.bytes(preview.sizeBytes)} B{preview.gzip ? ' · gzip' : ''}
            </span>
          </div>
          <div className="muted small">{t('import.sample')}</div>
          <pre className="mono sample">{preview.lines.slice(0, 8).join('\n')}</pre>
        </div>
      ) : null}
      <div className="options-grid">
        <label className="field">
          <span>{t('import.format')}</span>
          <select value={o.format} onChange={(e) => onOptions({ ...o, format: e.target.value })}>
            <option value="">
              {t('import.format.auto')}
              {detectedLabel ? ` (${detectedLabel})` : ''}
            </option>
            {formats.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('import.tz')}</span>
          <input
            type="text"
            list={zonesId}
            value={o.tz}
            onChange={(e) => onOptions({ ...o, tz: e.target.value })}
            spellCheck={false}
          />
          <datalist id={zonesId}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
        <label className="field wide">
          <span>{t('import.logFormat')}</span>
          <input
            type="text"
            className="mono"
            value={o.logFormat}
            onChange={(e) => onOptions({ ...o, logFormat: e.target.value })}
            spellCheck={false}
            placeholder='$remote_addr - $remote_user [$time_local] "$request" $status …'
          />
        </label>
        <label className="field wide">
          <span>{t('import.columnMap')}</span>
          <textarea
            className="mono"
            rows={3}
            value={o.columnMap}
            onChange={(e) => onOptions({ ...o, columnMap: e.target.value })}
            spellCheck={false}
            placeholder={'client_ip=ip\nuri=path'}
            aria-invalid={mapCheck.badLines.length > 0}
          />
          {mapCheck.badLines.length > 0 ? (
            <span className="warn-text">
              {t('error.BAD_INPUT')}: {mapCheck.badLines.join(', ')}
            </span>
          ) : null}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={o.force}
            onChange={(e) => onOptions({ ...o, force: e.target.checked })}
          />
          <span>{t('import.force')}</span>
        </label>
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={props.starting || busy || !path.trim() || mapCheck.badLines.length > 0}
          data-testid="import-start"
        >
          {t('import.start')}
        </button>
      </div>
      {props.startError ? <ErrorNote error={props.startError} /> : null}
    </form>
  );
}
