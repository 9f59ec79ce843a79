import type { OpenDialogOptions } from 'electron';
import type { FilePurpose } from '../api/context.js';

/** The save dialog's filter when a new case file is named. */
export const CASE_FILTER = [{ name: 'Sessionscope case', extensions: ['sscase'] }];

/**
 * The open dialog for each purpose but a new case (a save dialog): one case file, one API
 * spec (JSON or YAML), or any number of logs of any name to import.
 */
export function openDialogOptions(purpose: Exclude<FilePurpose, 'createCase'>): OpenDialogOptions {
  switch (purpose) {
    case 'openCase':
      return { properties: ['openFile'], filters: CASE_FILTER };
    case 'spec':
      return {
        properties: ['openFile'],
        filters: [{ name: 'OpenAPI / Swagger', extensions: ['json', 'yaml', 'yml'] }],
      };
    case 'import':
      return { properties: ['openFile', 'multiSelections'] };
  }
}
