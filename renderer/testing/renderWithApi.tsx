import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { AppInfo, CaseInfo, ImportPreview } from '../../shared/contract/caseApi';
import { AppError } from '../../shared/contract/errors';
import { App } from '../App';
import {
  createClient,
  createFakeTransport,
  type FakeHandlers,
  type FakeTransport,
} from '../api/client';
import { memoryViewHistory, type ViewHistory } from '../state/viewHistory';
import type { ViewState } from '../state/viewState';

/** The backend's preview of a combined log at `path` (97% sure); `over` changes its fields. */
export function combinedPreview(path: string, over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    path,
    fileName: 'access.log',
    sizeBytes: 10,
    gzip: false,
    format: 'combined',
    confidence: 0.97,
    scores: [{ id: 'combined', score: 0.97 }],
    lines: [],
    problem: null,
    csv: null,
    hosts: null,
    ...over,
  };
}

/**
 * Test helpers for components: the whole app on a fake transport (inputs still validated by
 * the contract's schemas), plus a layout stub so the virtualised tables render rows in
 * happy-dom, which has no layout engine.
 */

export function stubLayout(height = 600, width = 1200): void {
  for (const [prop, value] of [
    ['clientHeight', height],
    ['clientWidth', width],
    ['offsetHeight', 26],
    ['offsetWidth', width],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
  }
}

export const appInfo: AppInfo = {
  name: 'Sessionscope',
  version: '0.0.0-test',
  buildId: 'dev',
  schemaVersion: 4,
  mode: 'browser',
  canChooseFiles: false,
  canUpload: false,
  formats: [{ id: 'combined', label: 'Combined access log', example: '' }],
};

export function caseInfo(requests = 10): CaseInfo {
  return {
    path: '/cases/test.sscase',
    name: 'test.sscase',
    isDemo: false,
    meta: { uuid: 'u-1', createdAt: '2026-11-20T00:00:00Z', toolVersion: '0', schemaVersion: 4 },
    counts: { requests, sources: 1, rejects: 0 },
    sources: [],
  };
}

/** The case a test's getCaseInfo gives, null when it has none or answers NOT_FOUND (no case open). */
async function openCaseOf(handlers: FakeHandlers): Promise<CaseInfo | null> {
  if (!handlers.getCaseInfo) return null;
  try {
    return await handlers.getCaseInfo(undefined as never);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

/** A fake transport for the whole app: app info and the open case (from getCaseInfo) by default. */
export function fakeAppTransport(handlers: FakeHandlers): FakeTransport {
  return createFakeTransport({
    getAppInfo: () => appInfo,
    getOpenCase: async () => ({ case: await openCaseOf(handlers) }),
    ...handlers,
  });
}

/**
 * The app on `handlers`, with an in-memory history (`hashes`: every hash it was given, as the
 * address bar would show them) unless the test passes one.
 */
export function renderApp(
  handlers: FakeHandlers,
  initialView?: ViewState,
  history?: ViewHistory,
): RenderResult & { fake: FakeTransport; hashes: string[] } {
  const fake = fakeAppTransport(handlers);
  const hashes: string[] = [];
  const ui: ReactNode = (
    <App
      client={createClient(fake)}
      initialView={initialView ?? null}
      history={history ?? memoryViewHistory((h) => hashes.push(h))}
    />
  );
  return { ...render(ui), fake, hashes };
}
