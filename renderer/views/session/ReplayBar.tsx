import type { KeyboardEvent, ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { REPLAY_SPEEDS, type Replay, type ReplaySpeed } from './useReplay';

/**
 * The replay controls over the requests table: step back, play/pause, step forward, speed,
 * and where the replay stands (position, time, real gap to the previous request). While focus
 * is inside the bar, Space plays or pauses and ←/→ step; the table keeps j/k and ↑/↓.
 */
export function ReplayBar(props: {
  replay: Replay;
  /** 0-based position of the current request, and how many match in the session (undefined
   * until the session's detail has answered). */
  index: number;
  total: number | undefined;
  currentUs: number | undefined;
  previousUs: number | undefined;
}): ReactNode {
  const { t, fmt } = useI18n();
  const { replay } = props;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    // The speed select handles its own keys (arrows change the option).
    if (e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === ' ') replay.toggle();
    else if (e.key === 'ArrowLeft') replay.step(-1);
    else if (e.key === 'ArrowRight') replay.step(1);
    else return;
    // Space would also "click" the focused button, toggling twice.
    e.preventDefault();
  };

  const gapUs =
    props.currentUs !== undefined && props.previousUs !== undefined
      ? props.currentUs - props.previousUs
      : undefined;

  return (
    <div
      className="button-row replay-bar"
      role="toolbar"
      aria-label={t('replay.label')}
      title={t('replay.hint')}
      onKeyDown={onKeyDown}
      data-testid="replay-bar"
    >
      <span className="muted small">{t('replay.label')}</span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => replay.step(-1)}
        aria-label={t('replay.back')}
        title={t('replay.back')}
        disabled={props.index <= 0}
      >
        <span aria-hidden>◀◀</span>
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={replay.toggle}
        aria-label={replay.playing ? t('replay.pause') : t('replay.play')}
        aria-pressed={replay.playing}
        disabled={props.total === 0 || props.total === undefined}
        data-testid="replay-toggle"
      >
        <span aria-hidden>{replay.playing ? '❚❚' : '▶'}</span>{' '}
        {replay.playing ? t('replay.pause') : t('replay.play')}
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => replay.step(1)}
        aria-label={t('replay.forward')}
        title={t('replay.forward')}
        disabled={props.total === undefined || props.index >= props.total - 1}
      >
        <span aria-hidden>▶▶</span>
      </button>
      <select
        value={replay.speed}
        onChange={(e) => replay.setSpeed(Number(e.target.value) as ReplaySpeed)}
        aria-label={t('replay.speed')}
        title={t('replay.speed')}
      >
        {REPLAY_SPEEDS.map((s) => (
          <option key={s} value={s}>
            {fmt.num(s)}×
          </option>
        ))}
      </select>
      <span className="small mono" data-testid="replay-position" aria-live="off">
        {t('replay.position', {
          i: fmt.num(props.index + 1),
          n: props.total === undefined ? '…' : fmt.num(props.total),
        })}
        {props.currentUs !== undefined ? ` · ${fmt.ts(props.currentUs)}` : ''}
      </span>
      {gapUs !== undefined ? (
        <span className="muted small">
          {t('replay.gap', { gap: fmt.duration(gapUs) })}
          {replay.shortened ? ` ${t('replay.shortened')}` : ''}
        </span>
      ) : null}
    </div>
  );
}
