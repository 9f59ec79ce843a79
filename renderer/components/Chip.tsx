import type { ReactNode } from 'react';
import { Icon } from './Icon';

export type ChipTone = 'neutral' | 'accent' | 'danger' | 'warn' | 'ok';

/**
 * A small labelled value. With `onRemove` it becomes a filter chip whose × button is
 * keyboard-reachable and announces what it removes.
 */
export function Chip(props: {
  label: ReactNode;
  tone?: ChipTone;
  title?: string;
  onRemove?: () => void;
  removeLabel?: string;
  onClick?: () => void;
}): ReactNode {
  const cls = `chip chip-${props.tone ?? 'neutral'}`;
  const body = props.onClick ? (
    <button type="button" className="chip-body" onClick={props.onClick} title={props.title}>
      {props.label}
    </button>
  ) : (
    <span className="chip-body" title={props.title}>
      {props.label}
    </span>
  );
  return (
    <span className={cls}>
      {body}
      {props.onRemove ? (
        <button
          type="button"
          className="chip-remove"
          onClick={props.onRemove}
          aria-label={props.removeLabel}
          title={props.removeLabel}
        >
          <Icon name="close" size={11} />
        </button>
      ) : null}
    </span>
  );
}
