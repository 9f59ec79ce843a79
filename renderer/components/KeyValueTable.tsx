import type { ReactNode } from 'react';
import { VisibleText } from './VisibleText';

/**
 * Two-column name/value table for headers, cookies and record fields; values are plain text,
 * names and text values with their control characters shown (a NUL is not a space). A name
 * takes the width it needs up to a cap and wraps beyond it (app.css .kv-key): a header name
 * from a log can be hundreds of characters long, and unwrapped it pushed its value out of the
 * panel, one letter a line.
 */
export function KeyValueTable(props: {
  rows: readonly (readonly [string, ReactNode])[];
  empty?: string;
  label?: string;
}): ReactNode {
  if (props.rows.length === 0) return <p className="muted">{props.empty ?? '—'}</p>;
  return (
    <table className="kv" aria-label={props.label}>
      <tbody>
        {props.rows.map(([k, v], i) => (
          <tr key={`${k}-${i}`}>
            <th scope="row" className="mono">
              <span className="kv-key">
                <VisibleText text={k} />
              </span>
            </th>
            <td className="mono">{typeof v === 'string' ? <VisibleText text={v} /> : v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
