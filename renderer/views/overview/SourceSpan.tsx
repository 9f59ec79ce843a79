import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';

/** A source's earliest and latest request, one to a line; a dash when it has none. */
export function SourceSpan(props: { firstUs: number | null; lastUs: number | null }): ReactNode {
  const { fmt } = useI18n();
  if (props.firstUs === null) return fmt.ts(null);
  return (
    <>
      {fmt.ts(props.firstUs)}
      <br />– {fmt.ts(props.lastUs)}
    </>
  );
}
