import { useState, type ReactNode } from 'react';

/**
 * A number input that keeps what is typed (an empty box, "1e") while the parent holds a
 * number: NaN until the text parses. The text follows the parent when the parent changes the
 * value itself (reset to defaults).
 */
export function NumberField(props: {
  label: string;
  value: number;
  integer?: boolean;
  invalid?: boolean;
  onChange: (v: number) => void;
}): ReactNode {
  const { value, onChange } = props;
  const [text, setText] = useState(() => (Number.isNaN(value) ? '' : String(value)));
  // Follows a value the parent changed itself (during render, not in an effect).
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    if (!Number.isNaN(value) && Number(text) !== value) setText(String(value));
  }
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="number"
        inputMode={props.integer ? 'numeric' : 'decimal'}
        step={props.integer ? 1 : 'any'}
        value={text}
        aria-invalid={props.invalid ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          onChange(e.target.value.trim() === '' ? NaN : Number(e.target.value));
        }}
      />
    </label>
  );
}
