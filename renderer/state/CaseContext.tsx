import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { AppInfo, CaseInfo } from '../../shared/contract/caseApi';
import { useApi } from '../api/ApiContext';
import { buildMismatch, PAGE_BUILD, type BuildInfo } from '../buildInfo';
import { useViewState } from './ViewStateContext';

export interface CaseState {
  app: AppInfo | null;
  /** The open case, or null (start screen). */
  caseInfo: CaseInfo | null;
  /** True until the first getOpenCase answered, so a served case does not flash the start screen. */
  booting: boolean;
  /** The error code of that first getOpenCase, when it failed (UNAUTHORIZED: no token). */
  bootError: string | null;
  /**
   * Set when the backend is from another build than this page (browser mode: the page was
   * loaded from another `serve` than the one answering, or the app was upgraded under it):
   * both builds, to say so instead of calling what the backend may not know.
   */
  otherBuild: { page: BuildInfo; server: { version: string; buildId: string | null } } | null;
  setCase: (c: CaseInfo | null) => void;
  refreshCase: () => void;
}

const Ctx = createContext<CaseState | null>(null);

export function CaseProvider(props: { children: ReactNode }): ReactNode {
  const client = useApi();
  const [app, setApp] = useState<AppInfo | null>(null);
  const [caseInfo, setCase] = useState<CaseInfo | null>(null);
  const [booting, setBooting] = useState(true);
  const [bootError, setBootError] = useState<string | null>(null);
  const [otherBuild, setOtherBuild] = useState<CaseState['otherBuild']>(null);
  const { update } = useViewState();

  useEffect(() => {
    let live = true;
    void client.call('getAppInfo').then((r) => {
      if (!live || !r.ok) return;
      // A backend older than this check answers without a build id (typed as always there).
      const server = r.value as Omit<AppInfo, 'buildId'> & { buildId?: string };
      if (buildMismatch(PAGE_BUILD, server)) {
        setOtherBuild({
          page: PAGE_BUILD,
          server: { version: server.version, buildId: server.buildId ?? null },
        });
      }
      setApp(r.value);
    });
    // The browser-mode server may already have a case open (`serve <case>`).
    void client.call('getOpenCase').then((r) => {
      if (!live) return;
      if (!r.ok) setBootError(r.error.code);
      else if (r.value.case) {
        const opened = r.value.case;
        setCase(opened);
        // A case served from the command line opens on its overview (an empty one on import),
        // unless a link already chose a view.
        const first = opened.counts.requests > 0 ? 'overview' : 'import';
        update((s) => (s.view === 'start' ? { view: first } : {}));
      }
      setBooting(false);
    });
    return () => {
      live = false;
    };
  }, [client, update]);

  const refreshCase = useCallback(() => {
    void client.call('getOpenCase').then((r) => {
      if (r.ok) setCase(r.value.case);
    });
  }, [client]);

  // Whoever started a rebuild (an import, a settings change), the case's figures and whether
  // its analysis is current follow it.
  useEffect(() => client.on('rebuildDone', refreshCase), [client, refreshCase]);

  const value = useMemo(
    () => ({ app, caseInfo, booting, bootError, otherBuild, setCase, refreshCase }),
    [app, caseInfo, booting, bootError, otherBuild, refreshCase],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

export function useCase(): CaseState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useCase() outside <CaseProvider>');
  return v;
}
