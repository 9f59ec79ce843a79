import type { ReactNode } from 'react';
import { VisibleText } from './VisibleText';

/**
 * Two-column name/value table for headers, cookies and record fields; values are plain text,
 * names and text values with their control characters shown (a NUL is not a space).
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
              <VisibleText text={k} />
            </th>
            <td className="mono">{typeof v === 'string' ? <VisibleText text={v} /> : v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
