import type { ShellMode } from '../../shared/contract/caseApi.js';
import type { AppState } from './appState.js';
import type { EventHub } from './eventHub.js';
import type { ImportJobs } from './importJobs.js';

export type FilePurpose = 'import' | 'openCase' | 'createCase' | 'spec';

/** Everything a handler may use; each shell builds one (see createBackend). */
export interface ApiContext {
  mode: ShellMode;
  state: AppState;
  jobs: ImportJobs;
  events: EventHub;
  /** The demo capture folder and where its case is kept. */
  demo: { captureDir: string; casePath: string };
  /** Native file chooser; only the Electron shell has one. */
  chooseFiles?: (purpose: FilePurpose) => Promise<string[]>;
  /** Native save dialog for an export (Electron only); null when the user cancels. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** True when the shell accepts uploads (browser mode). */
  canUpload: boolean;
  /** Links the OS handed the app (Electron only); see the takeOpenLinks call. */
  takeOpenLinks?: () => string[];
}
