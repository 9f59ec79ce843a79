import {
  Activity,
  useCallback,
  useEffect,
  useRef,
  useState,
  type ReactNode,
  type UIEvent,
} from 'react';
import { assertNever } from '../shared/contract/errors';
import type { ApiClient } from './api/client';
import { ApiProvider } from './api/ApiContext';
import { HelpDialog } from './components/HelpDialog';
import { LinkNotice } from './components/LinkNotice';
import { OtherBuildNotice } from './components/OtherBuildNotice';
import { TopBar } from './components/TopBar';
import { I18nProvider, useI18n } from './i18n/I18nContext';
import { CaseProvider, useCase } from './state/CaseContext';
import { defaultPrefs, loadPrefs, savePrefs, type Prefs } from './state/prefs';
import { ViewStateProvider, useViewState } from './state/ViewStateContext';
import { useOpenLink } from './state/useOpenLink';
import type { ViewHistory } from './state/viewHistory';
import type { ViewState } from './state/viewState';
import { AttacksView } from './views/AttacksView';
import { AuditView } from './views/audit/AuditView';
import { RulesView } from './views/rules/RulesView';
import { SettingsView } from './views/settings/SettingsView';
import { CaseOverview } from './views/CaseOverview';
import { EndpointsView } from './views/EndpointsView';
import { ImportView } from './views/import/ImportView';
import { RequestDetails } from './views/request/RequestDetails';
import { SessionDetail } from './views/session/SessionDetail';
import { SessionsList } from './views/sessions/SessionsList';
import { StartScreen } from './views/StartScreen';

export interface AppProps {
  client: ApiClient;
  /** Where prefs live; undefined in tests that do not care. */
  storage?: Storage;
  /** The view state to open with; by default the history's first entry's. */
  initialView?: ViewState | null;
  /** The window's history (main.tsx); an in-memory one by default. */
  history?: ViewHistory;
}

/** Providers and preferences; the shell below reads them. */
export function App(props: AppProps): ReactNode {
  const [prefs, setPrefs] = useState<Prefs>(() =>
    loadPrefs(
      props.storage,
      defaultPrefs(typeof navigator === 'undefined' ? undefined : navigator),
    ),
  );
  const { storage } = props;
  const changePrefs = useCallback(
    (p: Prefs) => {
      setPrefs(p);
      savePrefs(storage, p);
    },
    [storage],
  );
  useEffect(() => {
    document.documentElement.dataset.theme = prefs.theme;
    document.documentElement.lang = prefs.locale;
  }, [prefs.theme, prefs.locale]);

  return (
    <ApiProvider client={props.client}>
      <I18nProvider locale={prefs.locale} zone={prefs.zone}>
        <ViewStateProvider initial={props.initialView ?? undefined} history={props.history}>
          <CaseProvider>
            <Shell prefs={prefs} onPrefs={changePrefs} />
          </CaseProvider>
        </ViewStateProvider>
      </I18nProvider>
    </ApiProvider>
  );
}

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * Top bar + the current view; owns the app-wide keys: "/" focuses search, Esc goes back, "?"
 * opens the help.
 */
function Shell(props: { prefs: Prefs; onPrefs: (p: Prefs) => void }): ReactNode {
  const { t } = useI18n();
  const { caseInfo, booting, otherBuild } = useCase();
  const { state, back } = useViewState();
  const link = useOpenLink();
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // A modal dialog's keys are its own: Escape closes it (its cancel event), not Back.
      if (e.target instanceof Element && e.target.closest('dialog[open]')) return;
      if (e.key === 'Escape') {
        if (isEditable(e.target)) (e.target as HTMLElement).blur();
        else back();
        return;
      }
      if (e.key === '?' && !isEditable(e.target)) {
        e.preventDefault();
        setHelpOpen(true);
        return;
      }
      if (e.key === '/' && !isEditable(e.target)) {
        // The first shown: a list kept behind an open session has its own, hidden.
        const search = [
          ...document.querySelectorAll<HTMLInputElement>(
            'input[data-search="secondary"], input[data-search="primary"]',
          ),
        ].find((el) => el.getClientRects().length > 0);
        if (search) {
          e.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [back]);

  // A new view starts at its top, not where the previous one was scrolled to. Only when it
  // was scrolled: scrolling the new view forces the browser to lay it out mid-render (10+ ms
  // on a large page), and the position is known from scroll events without asking.
  const mainRef = useRef<HTMLElement>(null);
  const scrolled = useRef(false);
  useEffect(() => {
    if (!scrolled.current) return;
    scrolled.current = false;
    mainRef.current?.scrollTo({ top: 0 });
  }, [state.view, state.sessionId, state.requestId]);
  const onMainScroll = useCallback((e: UIEvent<HTMLElement>) => {
    scrolled.current = e.currentTarget.scrollTop > 0;
  }, []);

  // A backend of another build: nothing else is shown, so nothing calls what it may not know.
  if (otherBuild) {
    return (
      <div className="app">
        <main className="main">
          <OtherBuildNotice {...otherBuild} />
        </main>
      </div>
    );
  }

  let view: ReactNode;
  if (booting) view = <p className="page muted">{t('app.loading')}</p>;
  else if (!caseInfo || state.view === 'start') view = <StartScreen />;
  else view = <CurrentView view={state.view} />;

  return (
    <div className="app">
      <TopBar prefs={props.prefs} onPrefs={props.onPrefs} onHelp={() => setHelpOpen(true)} />
      {helpOpen ? <HelpDialog onClose={() => setHelpOpen(false)} /> : null}
      <main className="main" ref={mainRef} onScroll={onMainScroll}>
        <LinkNotice {...link} />
        {view}
      </main>
    </div>
  );
}

function CurrentView(props: { view: Exclude<ViewState['view'], 'start'> }): ReactNode {
  // A session opened from the list keeps the list behind it, hidden (no effects, no fetches,
  // re-rendered only when idle): opening does not tear the list's rows down, and going back
  // shows it as it was instead of building it again.
  if (props.view === 'sessions' || props.view === 'session') {
    return (
      <>
        {props.view === 'session' ? <SessionDetail /> : null}
        <Activity mode={props.view === 'sessions' ? 'visible' : 'hidden'}>
          <SessionsList />
        </Activity>
      </>
    );
  }
  switch (props.view) {
    case 'import':
      return <ImportView />;
    case 'overview':
      return <CaseOverview />;
    case 'request':
      return <RequestDetails />;
    case 'endpoints':
      return <EndpointsView />;
    case 'attacks':
      return <AttacksView />;
    case 'audit':
      return <AuditView />;
    case 'rules':
      return <RulesView />;
    case 'settings':
      return <SettingsView />;
    default:
      return assertNever(props.view, 'view');
  }
}
