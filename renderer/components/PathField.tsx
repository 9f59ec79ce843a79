import { useId, type ReactNode } from 'react';
import type { InputOf } from '../../shared/contract/api';
import { useApi } from '../api/ApiContext';
import { useCase } from '../state/CaseContext';
import { Icon } from './Icon';

/**
 * A labelled text field for a path on the backend's machine, with the desktop app's file dialog
 * beside it (an icon button named by `chooseLabel`, shown when the shell has one) and the
 * form's own buttons after it (`children`). The paths the dialog gives go to `onChosenMany`;
 * else its first goes to `onChosen`, or to `onChange` when the caller has nothing more to do
 * with it.
 */
export function PathField(props: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  purpose: InputOf<'chooseFiles'>['purpose'];
  chooseLabel: string;
  onChosen?: (path: string) => void;
  /**
   * Every path the dialog gave, where several may be chosen (logs to import); without it, the
   * field takes one (and the dialog offers one).
   */
  onChosenMany?: (paths: string[]) => void;
  placeholder?: string;
  testId: string;
  autoFocus?: boolean;
  children?: ReactNode;
}): ReactNode {
  const client = useApi();
  const { app } = useCase();
  const id = useId();
  const choose = async (): Promise<void> => {
    const r = await client.call('chooseFiles', { purpose: props.purpose });
    const paths = r.ok ? r.value.paths : [];
    if (paths.length === 0) return;
    if (props.onChosenMany) props.onChosenMany(paths);
    else (props.onChosen ?? props.onChange)(paths[0]!);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <span className="field-row">
        <input
          id={id}
          type="text"
          className="mono"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder={props.placeholder}
          spellCheck={false}
          autoFocus={props.autoFocus}
          data-testid={props.testId}
        />
        {app?.canChooseFiles ? (
          <button
            type="button"
            className="btn"
            onClick={() => void choose()}
            aria-label={props.chooseLabel}
            title={props.chooseLabel}
          >
            <Icon name="file" />
          </button>
        ) : null}
        {props.children}
      </span>
    </div>
  );
}
