import path from 'node:path';
import type { BrowserWindow, Dialog, SaveDialogOptions } from 'electron';

export interface SaveCsvDialogDeps {
  dialog: Pick<Dialog, 'showSaveDialog'>;
  /** The window the sheet belongs to, when there is one. */
  parent: () => BrowserWindow | null;
  /** The folder the dialog opens in (the user's Downloads). */
  defaultDir: string;
}

/**
 * The desktop "Download CSV" destination: a native save dialog, so the renderer never names
 * a path. The answer always ends in .csv (the exportCsv contract insists on it, and a user
 * who typed "report" means report.csv); null when the user cancels.
 */
export function createSaveCsvChooser(
  deps: SaveCsvDialogDeps,
): (suggestedName: string) => Promise<string | null> {
  return async (suggestedName) => {
    const options: SaveDialogOptions = {
      title: 'Download CSV',
      defaultPath: path.join(deps.defaultDir, path.basename(suggestedName)),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const parent = deps.parent();
    const r = parent
      ? await deps.dialog.showSaveDialog(parent, options)
      : await deps.dialog.showSaveDialog(options);
    if (r.canceled || !r.filePath) return null;
    return /\.csv$/i.test(r.filePath) ? r.filePath : `${r.filePath}.csv`;
  };
}
