import type { ReactNode } from 'react';

/** A titled section; `actions` sit on the right of the title row. */
export function Panel(props: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  /** While its content is being loaded (or loaded again): aria-busy, for assistive technology. */
  busy?: boolean;
  /** 1 when the panel's title is its page's (the page has no other h1); 2 by default. */
  headingLevel?: 1 | 2;
}): ReactNode {
  const Heading = props.headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section className={`panel ${props.className ?? ''}`} aria-busy={props.busy || undefined}>
      <header className="panel-head">
        <Heading>{props.title}</Heading>
        {props.actions ? <div className="panel-actions">{props.actions}</div> : null}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}
