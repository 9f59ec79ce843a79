import type { ReactNode } from 'react';
import type { SelectionMissing } from '../hooks/useSelectedById';

/**
 * Why a link's selected row is not selected (useSelectedById's `missing`): gone from the list,
 * or beyond the rows read for it. Nothing while the row is selected or still looked for.
 */
export function SelectionMissingNote(props: {
  missing: SelectionMissing | null;
  /** The sentence for a row the whole list does not hold. */
  gone: string;
  /** The sentence for a row not among the first rows read (the list goes on). */
  beyond: string;
  testId: string;
}): ReactNode {
  if (props.missing === null) return null;
  return (
    <p className="warn-text small" role="status" data-testid={props.testId}>
      {props.missing === 'gone' ? props.gone : props.beyond}
    </p>
  );
}
