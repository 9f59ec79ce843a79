import { Fragment, type ReactNode } from 'react';
import { VisibleText } from './VisibleText';

/**
 * A translated sentence whose `{slot}` is hostile text (a file name from the case): the text is
 * shown with VisibleText, its control characters marked, rather than interpolated as a string.
 * `template` is what `t()` gave with the other parameters filled and `{slot}` left as it is.
 */
export function SentenceWithText(props: {
  template: string;
  slot: string;
  text: string;
}): ReactNode {
  const [before, ...after] = props.template.split(`{${props.slot}}`);
  return (
    <>
      {before}
      {after.map((rest, i) => (
        <Fragment key={i}>
          <VisibleText text={props.text} />
          {rest}
        </Fragment>
      ))}
    </>
  );
}
