import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CaseHostless, ImportPreview } from '../../../shared/contract/caseApi';
import type { ErrorInfo } from '../../../shared/contract/errors';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { PathField } from '../../components/PathField';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { useCase } from '../../state/CaseContext';
import { CsvMappingTable } from './CsvMappingTable';
import { DropZone } from './DropZone';
import { assumeHostOk, parseColumnMap, zoneChoices, type ImportFormOptions } from './importOptions';

/** Sources of the case named in the host-less note; the rest are counted. */
const FILES_NAMED = 2;

/**
 * Choose a file (a path on the backend's machine, or an upload or drop in browser mode), see the
 * detected format and its first lines, adjust options (for CSV, the column mapping), start.
 */
export function ImportForm(props: {
  options: ImportFormOptions;
  onOptions: (o: ImportFormOptions) => void;
  /** The paths to import, the previewed one first. */
  onStart: (paths: string[]) => void;
  starting: boolean;
  startError: ErrorInfo | null;
}): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { app } = useCase();
  const [path, setPath] = useState('');
  /** Files uploaded with the previewed one, imported with it under the same options. */
  const [more, setMore] = useState<{ path: string; name: string }[]>([]);
  /** What each of `more` was detected as (its format), or why it cannot be read, by path. */
  const [checks, setChecks] = useState<Record<string, { format: string } | { error: ErrorInfo }>>(
    {},
  );
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const zonesId = useId();
  const hostId = useId();
  const zones = useMemo(() => zoneChoices(), []);
  const { options: o, onOptions } = props;
  const mapCheck = parseColumnMap(o.columnMap);
  const hostOk = assumeHostOk(o);
  const mapKey = JSON.stringify(mapCheck.map);
  const tz = o.tz.trim();
  /** The map and zone the shown CSV mapping was computed with, to tell when it is stale. */
  const [previewKey, setPreviewKey] = useState('');
  /** The backend refused the current map (an unknown column or field). */
  const [mapError, setMapError] = useState<ErrorInfo | null>(null);
  const seq = useRef(0);

  const askPreview = useCallback(
    (p: string, map: Record<string, string>) =>
      client.call('previewImport', {
        path: p,
        ...(Object.keys(map).length > 0 ? { map } : {}),
        ...(tz ? { tz } : {}),
        ...(o.format === 'csv' ? { format: 'csv' } : {}),
      }),
    [client, tz, o.format],
  );

  // Each file to import with the previewed one is sniffed too, so one that cannot be read (an
  // API description, an unknown format) is named before Start rather than failing the batch.
  // Asked once per path, one after another; a path left out meanwhile keeps its answer unused.
  const asked = useRef(new Set<string>());
  const checking = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    for (const m of more) {
      if (asked.current.has(m.path)) continue;
      asked.current.add(m.path);
      checking.current = checking.current.then(async () => {
        const r = await askPreview(m.path, {});
        const check = r.ok
          ? r.value.format
            ? { format: r.value.format }
            : { error: { code: 'UNKNOWN_FORMAT' as const, message: r.value.problem ?? '' } }
          : { error: r.error };
        setChecks((all) => ({ ...all, [m.path]: check }));
      });
    }
  }, [more, askPreview]);

  const runPreview = async (p: string): Promise<void> => {
    const mine = ++seq.current;
    setBusy(true);
    setError(null);
    setMapError(null);
    let r = await askPreview(p, mapCheck.map);
    // A map left from another file can name columns this one lacks: show the table anyway.
    if (!r.ok && r.error.code === 'BAD_INPUT' && Object.keys(mapCheck.map).length > 0) {
      const plain = await askPreview(p, {});
      if (plain.ok) {
        setMapError(r.error);
        r = plain;
      }
    }
    setBusy(false);
    // A newer preview (the mapping changed meanwhile) has the last word.
    if (mine !== seq.current) return;
    setPreviewKey(`${mapKey}|${tz}`);
    if (r.ok) setPreview(r.value);
    else {
      setPreview(null);
      setError(r.error);
    }
  };

  // The mapping (from the table or the text field) or the zone changed: ask the backend what
  // the CSV becomes now, so its verdict (e.g. no time column) is the one Start is judged by.
  const csvPath = preview?.csv ? preview.path : null;
  const wantedKey = `${mapKey}|${tz}`;
  useEffect(() => {
    if (!csvPath || wantedKey === previewKey) return;
    const timer = setTimeout(() => {
      const mine = ++seq.current;
      void askPreview(csvPath, JSON.parse(mapKey) as Record<string, string>).then((r) => {
        if (mine !== seq.current) return;
        setPreviewKey(wantedKey);
        if (r.ok) {
          setMapError(null);
          setPreview(r.value);
        } else setMapError(r.error);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [askPreview, csvPath, mapKey, wantedKey, previewKey]);

  /** Uploads the files in order: the first is previewed, the rest are imported with it. */
  const onUpload = async (files: readonly File[]): Promise<void> => {
    const upload = client.upload;
    if (files.length === 0 || !upload) return;
    setBusy(true);
    setError(null);
    // The preview of a previous file must not stand in for this one while it uploads.
    setPreview(null);
    setMore([]);
    const paths: string[] = [];
    for (const file of files) {
      const r = await upload(file, file.name);
      if (!r.ok) {
        // None of the batch is offered for import: the investigator sees which failed.
        setBusy(false);
        setError(r.error);
        return;
      }
      paths.push(r.value.path);
    }
    setBusy(false);
    setPath(paths[0]!);
    setMore(paths.slice(1).map((p, i) => ({ path: p, name: files[i + 1]!.name })));
    await runPreview(paths[0]!);
  };

  const formats = app?.formats ?? [];
  const csv = preview?.csv && (o.format === '' || o.format === 'csv') ? preview.csv : null;
  const csvBlocked =
    csv !== null && (csv.problem !== null || mapError !== null || wantedKey !== previewKey);
  // The nginx log_format and the CSV column map only where they apply (or hold a value, which
  // is sent with the import and so must stay in sight).
  const showLogFormat = o.format === 'nginx' || o.logFormat.trim() !== '';
  const showColumnMap =
    o.format === 'csv' ||
    (o.format === '' && preview?.format === 'csv') ||
    o.columnMap.trim() !== '';
  const detectedLabel = preview?.format
    ? (formats.find((f) => f.id === preview.format)?.label ?? preview.format)
    : null;

  const canUpload = Boolean(client.upload) && app?.canUpload !== false;
  // With the format detected per file, Start waits for every file's check and for those that
  // cannot be read to be left out; a format chosen by hand is used for all of them.
  const moreBlocked =
    o.format === '' &&
    more.some((m) => {
      const c = checks[m.path];
      return c === undefined || 'error' in c;
    });
  const formatLabel = (id: string): string => formats.find((f) => f.id === id)?.label ?? id;
  // The previewed lines name no host and none is given for them: said by the host field, since
  // two sites' host-less logs in one case share endpoints (the import warns of it after).
  const sampleHostless =
    preview?.hosts && preview.hosts.withoutHost > 0 && o.assumeHost.trim() === ''
      ? preview.hosts
      : null;
  // The case already holds requests that name no host (from earlier sources): this file's,
  // unless the sample shows each names one, would merge with them, which is when the host
  // matters. Said with how many and from which files.
  const caseHostless =
    preview?.caseHostless &&
    preview.caseHostless.requests > 0 &&
    o.assumeHost.trim() === '' &&
    !(preview.hosts && preview.hosts.withoutHost === 0)
      ? preview.caseHostless
      : null;
  /** The first sources by name (control characters visible), then how many more. */
  const hostlessFiles = (sources: CaseHostless['sources']): string => {
    const named = sources
      .slice(0, FILES_NAMED)
      .map((x) => visibleText(x.file))
      .join(', ');
    const more = sources.length - FILES_NAMED;
    return more > 0
      ? t('import.assumeHost.caseHostlessMore', { files: named, more: fmt.num(more) })
      : named;
  };

  return (
    <DropZone onFiles={canUpload ? (f) => void onUpload(f) : undefined}>
      <form
        className="form import-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (
            path.trim() &&
            mapCheck.badLines.length === 0 &&
            hostOk &&
            !csvBlocked &&
            !moreBlocked
          )
            props.onStart([path.trim(), ...more.map((m) => m.path)]);
        }}
      >
        <PathField
          label={t('import.byPath')}
          value={path}
          onChange={(p) => {
            // Another path typed: the files uploaded with the previous one go with it.
            setPath(p);
            setMore([]);
            setPreview(null);
            setMapError(null);
          }}
          purpose="import"
          chooseLabel={t('import.choose')}
          onChosenMany={(paths) => {
            // The dialog may give several logs: the first is previewed, the rest go with it.
            const [first, ...rest] = paths;
            setPath(first!);
            setMore(rest.map((p) => ({ path: p, name: p.split(/[\\/]/).pop() ?? p })));
            void runPreview(first!);
          }}
          placeholder={t('import.byPathHint')}
          testId="import-path"
        >
          <button
            type="button"
            className="btn"
            disabled={busy || !path.trim()}
            onClick={() => void runPreview(path.trim())}
          >
            {t('import.preview')}
          </button>
        </PathField>
        {canUpload ? (
          <label className="field">
            <span>{t('import.upload')}</span>
            <input
              type="file"
              multiple
              data-testid="import-upload"
              onChange={(e) => void onUpload(Array.from(e.target.files ?? []))}
            />
            <span className="muted small">{t('import.drop')}</span>
          </label>
        ) : null}
        {more.length > 0 ? (
          <div className="field" data-testid="import-more">
            <span>{t('import.more')}</span>
            <ul className="import-more">
              {more.map((m) => (
                <li key={m.path}>
                  <span className="mono">
                    <VisibleText text={m.name} />
                  </span>
                  <MoreCheck check={checks[m.path]} formatLabel={formatLabel} />
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('import.moreLeaveOut', { file: visibleText(m.name) })}
                    title={t('import.moreLeaveOut', { file: visibleText(m.name) })}
                    onClick={() => setMore((all) => all.filter((x) => x.path !== m.path))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
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
            {/* Log text: its control and hidden characters shown, as in the rejected lines. */}
            <pre className="mono sample" data-testid="import-sample-lines">
              <VisibleText text={preview.lines.slice(0, 8).join('\n')} block />
            </pre>
            {csv ? (
              <CsvMappingTable
                csv={csv}
                columnMap={o.columnMap}
                onColumnMap={(columnMap) => onOptions({ ...o, columnMap })}
              />
            ) : null}
            {mapError ? <ErrorNote error={mapError} /> : null}
            {csv && !mapError && wantedKey !== previewKey ? (
              <div className="muted small">{t('import.csv.updating')}</div>
            ) : null}
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
          <div className="field">
            <label htmlFor={hostId}>{t('import.assumeHost')}</label>
            <input
              id={hostId}
              type="text"
              className="mono"
              value={o.assumeHost}
              onChange={(e) => onOptions({ ...o, assumeHost: e.target.value })}
              spellCheck={false}
              placeholder="www.example.com"
              aria-invalid={!hostOk}
              aria-describedby={`${hostId}-note`}
              data-testid="import-assume-host"
            />
            {hostOk ? (
              <span id={`${hostId}-note`} className="muted small">
                {t('import.assumeHost.hint')}
                {sampleHostless ? (
                  <>
                    {' '}
                    <span data-testid="import-sample-hostless">
                      {t('import.assumeHost.sample', {
                        k: fmt.num(sampleHostless.withoutHost),
                        n: fmt.num(sampleHostless.read),
                      })}
                    </span>
                  </>
                ) : null}
                {caseHostless ? (
                  <>
                    {' '}
                    <span data-testid="import-case-hostless">
                      {t(
                        caseHostless.requests === 1
                          ? 'import.assumeHost.caseHostlessOne'
                          : 'import.assumeHost.caseHostless',
                        {
                          n: fmt.num(caseHostless.requests),
                          files: hostlessFiles(caseHostless.sources),
                          field: t('import.assumeHost'),
                        },
                      )}
                    </span>
                  </>
                ) : null}
              </span>
            ) : (
              <span id={`${hostId}-note`} className="warn-text" role="alert">
                {t('import.assumeHost.invalid')}
              </span>
            )}
          </div>
          {showLogFormat ? (
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
          ) : null}
          {showColumnMap ? (
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
          ) : null}
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
            disabled={
              props.starting ||
              busy ||
              !path.trim() ||
              mapCheck.badLines.length > 0 ||
              !hostOk ||
              csvBlocked ||
              moreBlocked
            }
            data-testid="import-start"
          >
            {t('import.start')}
          </button>
        </div>
        {props.startError ? <ErrorNote error={props.startError} /> : null}
      </form>
    </DropZone>
  );
}

/** What one of the files to import with the previewed one was found to be. */
function MoreCheck(props: {
  check: { format: string } | { error: ErrorInfo } | undefined;
  formatLabel: (id: string) => string;
}): ReactNode {
  const { t } = useI18n();
  const c = props.check;
  if (c === undefined) return <span className="muted small">{t('app.loading')}</span>;
  if ('error' in c)
    return (
      <span className="warn-text small" role="status">
        <VisibleText text={c.error.message || t(`error.${c.error.code}`)} />
      </span>
    );
  return <span className="muted small">{props.formatLabel(c.format)}</span>;
}
