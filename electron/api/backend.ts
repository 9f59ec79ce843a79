import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ShellMode } from '../../shared/contract/caseApi.js';
import { AppState } from './appState.js';
import type { ApiContext, FilePurpose } from './context.js';
import { exportJobsFor } from '../export/exportJobs.js';
import { createEventHub } from './eventHub.js';
import { ImportJobs } from './importJobs.js';
import { rebuildJobsFor } from './rebuildJobs.js';
import type { ImportRunner } from './importRunner.js';

export interface BackendOptions {
  mode: ShellMode;
  userDataDir: string;
  /** Folder holding the demo capture (resources/demo). */
  demoCaptureDir: string;
  runner: ImportRunner;
  nativeBinding?: string;
  chooseFiles?: (purpose: FilePurpose) => Promise<string[]>;
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  takeOpenLinks?: () => string[];
}

export interface Backend {
  ctx: ApiContext;
  /**
   * Cancels a running import, rebuild (or rule change), the text index built after one, and
   * an export, waits for the ones that write the case to roll back, and closes the case.
   */
  dispose(): Promise<void>;
}

/** Builds the context every shell dispatches calls against. */
export function createBackend(opts: BackendOptions): Backend {
  // Made owner-only (cases, uploads and recent files under it hold evidence); an existing
  // folder is the user's choice and keeps its mode.
  mkdirSync(opts.userDataDir, { recursive: true, mode: 0o700 });
  const events = createEventHub();
  const state = new AppState({
    userDataDir: opts.userDataDir,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  const jobs = new ImportJobs(opts.runner, events, opts.nativeBinding);
  const ctx: ApiContext = {
    mode: opts.mode,
    state,
    jobs,
    events,
    demo: {
      captureDir: opts.demoCaptureDir,
      casePath: path.join(opts.userDataDir, 'demo.sscase'),
    },
    canUpload: opts.mode === 'browser',
    ...(opts.chooseFiles ? { chooseFiles: opts.chooseFiles } : {}),
    ...(opts.chooseSavePath ? { chooseSavePath: opts.chooseSavePath } : {}),
    ...(opts.takeOpenLinks ? { takeOpenLinks: opts.takeOpenLinks } : {}),
  };
  return {
    ctx,
    async dispose() {
      // Each holds the case's write lock in its own connection: cancelled, it rolls back, and
      // the case is closed only after, as it was before they began.
      await Promise.all([jobs.cancelAndWait(), rebuildJobsFor(events).cancelAndWait()]);
      // A running export stops at its next page and removes its unfinished file.
      exportJobsFor(events).cancelAll();
      state.close();
    },
  };
}
