import type { ReactNode } from 'react';

/** A determinate bar when `total` is known and positive, an indeterminate one otherwise. */
export function ProgressBar(props: {
  done: number;
  total: number | null;
  label: string;
}): ReactNode {
  const known = props.total !== null && props.total > 0;
  const fraction = known ? Math.max(0, Math.min(1, props.done / (props.total as number))) : 0;
  return (
    <div
      className={known ? 'progress' : 'progress progress-indeterminate'}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? Math.round(fraction * 100) : undefined}
    >
      <div className="progress-fill" style={{ width: known ? `${fraction * 100}%` : undefined }} />
    </div>
  );
}
