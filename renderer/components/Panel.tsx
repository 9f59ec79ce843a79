import type { ReactNode } from 'react';

/** A titled section; `actions` sit on the right of the title row. */
export function Panel(props: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  /** While its content is being loaded (or loaded again): aria-busy, for assistive technology. */
  busy?: boolean;
}): ReactNode {
  return (
    <section className={`panel ${props.className ?? ''}`} aria-busy={props.busy || undefined}>
      <header className="panel-head">
        <h2>{props.title}</h2>
        {props.actions ? <div className="panel-actions">{props.actions}</div> : null}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}
