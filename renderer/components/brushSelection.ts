import type { I18n } from '../i18n/I18nContext';

/** The buckets a chart's brush was dragged over, by index, as recharts' Brush reports them. */
export interface BrushRange {
  start: number;
  end: number;
}

/** A brush handle's accessible name and the time it holds (its slider's value). */
export interface BrushHandle {
  name: string;
  value: string;
}

/** What a brush holds: the range chosen (null while it spans every bucket) and its handles. */
export interface BrushSelection {
  chosen: { from: number; to: number } | null;
  /**
   * Its two handles as a screen reader reads them: each named for its end of the range, with
   * its time (recharts would give both one name, and their pixel offsets as values). None
   * while there is no bucket.
   */
  handles: { start: BrushHandle; end: BrushHandle } | undefined;
}

/**
 * The time range `range` picks of `buckets`; none when it spans them all, or was left over
 * from buckets that were fewer (it may point past the new ones' end).
 */
export function brushSelection(
  range: BrushRange | null,
  buckets: readonly { startUs: number; endUs: number }[],
  { t, fmt }: Pick<I18n, 't' | 'fmt'>,
): BrushSelection {
  const sel =
    range && range.end < buckets.length && (range.start > 0 || range.end < buckets.length - 1)
      ? range
      : null;
  const from = sel ? buckets[sel.start]?.startUs : undefined;
  const to = sel ? buckets[sel.end]?.endUs : undefined;
  const handles =
    buckets.length === 0
      ? undefined
      : {
          start: {
            name: t('chart.brushStart'),
            value: fmt.ts(from ?? buckets[0]!.startUs),
          },
          end: {
            name: t('chart.brushEnd'),
            value: fmt.ts(to ?? buckets[buckets.length - 1]!.endUs),
          },
        };
  return { chosen: from !== undefined && to !== undefined ? { from, to } : null, handles };
}
