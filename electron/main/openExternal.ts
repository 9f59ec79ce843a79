import type { BrowserWindow, Dialog, MessageBoxOptions, Shell } from 'electron';

export interface OpenExternalDeps {
  shell: Pick<Shell, 'openExternal'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  parent?: BrowserWindow | null;
}

/** Only web links; file:, javascript:, custom schemes and anything unparsable are refused. */
export function isOpenableUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

/**
 * The only place that calls shell.openExternal (a lint rule holds the rest of the code to
 * that). The URL may come from a hostile log, so the user sees it and confirms first.
 */
export async function safeOpenExternal(raw: string, deps: OpenExternalDeps): Promise<boolean> {
  if (!isOpenableUrl(raw)) return false;
  const url = new URL(raw).toString();
  const options: MessageBoxOptions = {
    type: 'warning',
    buttons: ['Cancel', 'Open in browser'],
    defaultId: 0,
    cancelId: 0,
    title: 'Open a web page?',
    message: 'This link leaves Sessionscope and opens in your web browser.',
    detail: url,
    noLink: true,
  };
  const { response } = deps.parent
    ? await deps.dialog.showMessageBox(deps.parent, options)
    : await deps.dialog.showMessageBox(options);
  if (response !== 1) return false;
  await deps.shell.openExternal(url);
  return true;
}
