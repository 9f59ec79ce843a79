import { useMemo, useState, type ReactNode } from 'react';
import type { RejectInfo, SourceInfo } from '../../shared/contract/caseApi';
import { useApi } from '../api/ApiContext';
import { ErrorNote } from '../components/ErrorNote';
import { VisibleText, visibleText } from '../components/VisibleText';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { useKeysetPages } from '../hooks/useKeysetPages';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';

/** Whose rejected lines are listed: one source's (by id), or every source's. */
export type RejectsOf = number | 'all';

/**
 * The case's rejected lines: every source's (each line with its source), or one source's,
 * switched with each source's count beside its name.
 */
export function CaseRejects(props: {
  sources: readonly SourceInfo[];
  of: RejectsOf;
  onOf: (of: RejectsOf) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const { sources, of } = props;
  // The sources that have rejects, and the one asked for even if it has none.
  const listed = sources.filter((s) => s.rejected > 0 || s.id === of);
  const total = sources.reduce((n, s) => n + s.rejected, 0);
  const sourceName = (id: number): string => sources.find((s) => s.id === id)?.fileName ?? `#${id}`;
  return (
    <div className="case-rejects">
      <label className="rejects-source">
        <span className="muted">{t('rejects.source')}</span>
        <select
          value={String(of)}
          onChange={(e) => props.onOf(e.target.value === 'all' ? 'all' : Number(e.target.value))}
        >
          <option value="all">{t('rejects.allSources', { n: fmt.num(total) })}</option>
          {listed.map((s) => (
            // An option holds text alone: a file name's control characters shown as escapes.
            <option key={s.id} value={String(s.id)} title={visibleText(s.path)}>
              {`${visibleText(s.fileName)} (${fmt.num(s.rejected)})`}
            </option>
          ))}
        </select>
      </label>
      {/* A list of its own per choice: its selection and scroll start at its first line. */}
      <RejectsViewer key={String(of)} {...(of === 'all' ? { sourceName } : { sourceId: of })} />
    </div>
  );
}

/**
 * Every line a source could not parse (or, without `sourceId`, every source's, each with its
 * source's name from `sourceName`): line number, reason, raw text (inert), paged by keyset.
 */
export function RejectsViewer(props: {
  sourceId?: number;
  sourceName?: (id: number) => string;
}): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const [selected, setSelected] = useState(0);
  const { sourceId, sourceName } = props;
  // Each line's source, where the list holds several sources' lines.
  const sourceOf = sourceId === undefined ? sourceName : undefined;
  const pages = useKeysetPages<RejectInfo>(
    (cursor) =>
      client.call('listRejects', {
        ...(sourceId !== undefined ? { sourceId } : {}),
        ...(cursor ? { cursor } : {}),
        limit: 200,
      }),
    `rejects:${sourceId ?? 'all'}`,
  );
  // Reason (and source) as wide as their longest loaded text, within bounds (fitTrack).
  const reasonWidth = useMemo(
    () =>
      fitTrack(
        pages.rows.map((r) => visibleText(r.reason)),
        REASON_TRACK,
      ),
    [pages.rows],
  );
  const sourceWidth = useMemo(
    () =>
      sourceOf
        ? fitTrack(
            pages.rows.map((r) => visibleText(sourceOf(r.sourceId))),
            SOURCE_TRACK,
          )
        : '',
    [pages.rows, sourceOf],
  );
  const columns: Column<RejectInfo>[] = [
    ...(sourceOf
      ? [
          {
            id: 'source',
            header: t('rejects.source'),
            width: sourceWidth,
            render: (r: RejectInfo) => (
              <span className="mono">
                <VisibleText text={sourceOf(r.sourceId)} />
              </span>
            ),
            title: (r: RejectInfo) => visibleText(sourceOf(r.sourceId)),
          },
        ]
      : []),
    {
      id: 'line',
      header: t('rejects.line'),
      width: '80px',
      align: 'right',
      render: (r) => fmt.lineNo(r.lineNo),
    },
    {
      id: 'reason',
      header: t('rejects.reason'),
      width: reasonWidth,
      render: (r) => <VisibleText text={r.reason} />,
      title: (r) => visibleText(r.reason),
    },
    {
      id: 'raw',
      header: t('rejects.raw'),
      width: 'minmax(240px, 3fr)',
      render: (r) => (
        <span className="mono">
          <VisibleText text={r.raw} />
          {r.truncated ? ' …' : ''}
        </span>
      ),
      title: (r) => visibleText(r.raw),
    },
  ];
  // The selected line whole (the table cuts reason and raw text to one line each).
  const current = pages.rows[selected];
  return (
    <div className="rejects" data-testid="rejects">
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <VirtualTable
        label={t('rejects.title')}
        rows={pages.rows}
        columns={columns}
        rowKey={(r) => r.id}
        selected={selected}
        onSelect={setSelected}
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        empty={t('rejects.none')}
      />
      {current ? (
        <div className="reject-detail" data-testid="reject-detail">
          <div>
            <strong>{t('rejects.lineOf', { n: fmt.lineNo(current.lineNo) })}</strong> ·{' '}
            {sourceOf ? (
              <span className="mono">
                <VisibleText text={sourceOf(current.sourceId)} />
                {' · '}
              </span>
            ) : null}
            <VisibleText text={current.reason} />
          </div>
          <pre className="mono">
            <VisibleText text={current.raw} block />
          </pre>
          {current.truncated ? (
            <div className="muted small">
              {t('rejects.truncated', { bytes: fmt.num(current.rawLength) })}
            </div>
          ) : null}
          {current.notUtf8 ? <RejectBytesView key={current.id} id={current.id} /> : null}
        </div>
      ) : null}
    </div>
  );
}

/** A text column's bounds, and how wide its text is drawn a letter (measured in Chromium). */
interface TextTrack {
  letterPx: number;
  /** Its least width, px. */
  least: number;
  /** The most it grows to fit its text: px, or a share of the table's width. */
  most: `${number}px` | `${number}%`;
}
/**
 * A reason: 13 px proportional letters (6.5–6.7 px), up to 40% of the table (500 px at 1280,
 * 745 at 1920), so the raw text keeps room too; whole in its title and in the detail below.
 */
export const REASON_TRACK: TextTrack = { letterPx: 6.7, least: 160, most: '40%' };
/** A source's file name: 13 px monospace (7.2 px a letter). */
const SOURCE_TRACK: TextTrack = { letterPx: 7.2, least: 100, most: '260px' };

/**
 * A column as wide as the longest of its texts (and a cell's padding), from `least` up to
 * `most`, so a short reason is not cut while the raw text has room. A track with a fixed
 * maximum grows to it before the fr track (the raw text) takes the rest, and yields down to
 * its least first. In px, not ch: the header's smaller font would make its ch narrower than
 * the rows', and the columns would not line up.
 */
export function fitTrack(texts: readonly string[], track: TextTrack): string {
  const longest = texts.reduce((n, t) => Math.max(n, t.length), 0);
  const px = Math.max(track.least, Math.ceil(longest * track.letterPx) + 16);
  return `minmax(${track.least}px, min(${px}px, ${track.most}))`;
}

/**
 * A line whose bytes are not UTF-8 shows U+FFFD for them as text: its bytes as they were read
 * are shown too, in base64, asked for this one line only (a page of the list does not carry
 * them).
 */
function RejectBytesView(props: { id: number }): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const bytes = useResult(
    () => client.call('getRejectBytes', { id: props.id }),
    `reject-bytes:${props.id}`,
  );
  return (
    <div className="reject-bytes" data-testid="reject-bytes">
      <div className="muted small">{t('rejects.notUtf8')}</div>
      {bytes.error ? <ErrorNote error={bytes.error} onRetry={bytes.reload} /> : null}
      {bytes.status === 'ok' ? (
        <pre className="mono" aria-label={t('rejects.base64')}>
          {bytes.value.rawBase64}
        </pre>
      ) : null}
      {bytes.status === 'loading' ? (
        <div className="muted small">{t('rejects.loadingBytes')}</div>
      ) : null}
    </div>
  );
}
