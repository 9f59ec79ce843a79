import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { memoryViewHistory, type ViewHistory } from './viewHistory';
import { encodeViewState, initialViewState, readEntry, type ViewState } from './viewState';

export interface ViewStateApi {
  state: ViewState;
  /** Goes somewhere (another view, a session, a request): a new history entry. */
  navigate: (patch: Partial<ViewState>) => void;
  /** Changes the current view state in place (filters, sort, selection): no history entry. */
  update: (patch: Partial<ViewState> | ((s: ViewState) => Partial<ViewState>)) => void;
  /** The previous entry, as the browser's Back (nothing before the app's first). */
  back: () => void;
  /** Whether `back` goes somewhere: false on the app's first entry (a link, a reload of it). */
  canGoBack: boolean;
  /**
   * Counts the calls to `navigate`: what belongs to the view left (a link's notice) ends when
   * it changes. Entries arrived at are told by `listen`.
   */
  navigations: number;
  /** Shows `state` in place of the current entry (a link, a case just opened). */
  replaceAll: (state: ViewState) => void;
  /** Entries the investigator arrives at from outside (useOpenLink takes the links among them). */
  listen: ViewHistory['listen'];
  /**
   * The open case, told by the shell: each entry written remembers it, and an entry of another
   * case reached with Back is not shown against this one (useOpenLink asks about it instead).
   */
  setHistoryCase: (caseUuid: string | null) => void;
}

/** Whether an entry arrived at was written while another case than `current` was open. */
export function fromOtherCase(
  entry: { caseUuid?: string | null; kept: ViewState | null },
  current: string | null,
): entry is { caseUuid: string; kept: ViewState | null } {
  // The start screen is no case's.
  return (
    typeof entry.caseUuid === 'string' && entry.caseUuid !== current && entry.kept?.view !== 'start'
  );
}

interface Store {
  current: ViewState;
  /** Counts navigations: a change of it is written as a new entry. */
  pushes: number;
}

const Ctx = createContext<ViewStateApi | null>(null);

/**
 * The view state, kept in step with a history (the browser's, or an in-memory one): each state
 * is written to it after render, as a new entry when it came from `navigate` and shows another
 * view than the entry's, in place otherwise; an entry arrived at (Back, a pasted hash) is shown
 * without being written again as new.
 */
export function ViewStateProvider(props: {
  initial?: ViewState;
  history?: ViewHistory;
  children: ReactNode;
}): ReactNode {
  const [history] = useState(() => props.history ?? memoryViewHistory());
  const [store, setStore] = useState<Store>(() => ({
    current: props.initial ?? startState(history),
    pushes: 0,
  }));

  const written = useRef<{ pushes: number; hash: string | null }>({ pushes: 0, hash: null });
  const caseRef = useRef<string | null>(null);
  const shown = useRef<ViewState | null>(null);
  const setHistoryCase = useCallback(
    (caseUuid: string | null) => {
      if (caseRef.current === caseUuid) return;
      caseRef.current = caseUuid;
      // The entry on screen is the new case's (its view may have been written just before).
      if (shown.current) history.write(shown.current, 'replace', caseUuid);
    },
    [history],
  );
  useEffect(() => {
    const hash = encodeViewState(store.current);
    // Going to the view already shown (its own tab, say) adds no entry.
    const push = store.pushes !== written.current.pushes && hash !== written.current.hash;
    written.current = { pushes: store.pushes, hash };
    shown.current = store.current;
    history.write(store.current, push ? 'push' : 'replace', caseRef.current);
  }, [store, history]);

  useEffect(
    () =>
      history.listen((entry) => {
        const r = readEntry(entry);
        // Links naming a case, refusals and another case's entries are useOpenLink's.
        if (r.kind === 'view' && !fromOtherCase(entry, caseRef.current)) {
          setStore((s) => ({ current: r.state, pushes: s.pushes }));
        } else if (shown.current) {
          // Not shown as it is: the entry takes the view still on screen, in place, so the
          // address bar never holds a hash the app refused or has not applied. A link to the
          // open case applies its view just after (useOpenLink), written over this.
          history.write(shown.current, 'replace', caseRef.current);
        }
      }),
    [history],
  );

  const navigate = useCallback((patch: Partial<ViewState>) => {
    setStore((s) => ({ current: { ...s.current, ...patch }, pushes: s.pushes + 1 }));
  }, []);
  const update = useCallback(
    (patch: Partial<ViewState> | ((s: ViewState) => Partial<ViewState>)) => {
      setStore((s) => ({
        current: { ...s.current, ...(typeof patch === 'function' ? patch(s.current) : patch) },
        pushes: s.pushes,
      }));
    },
    [],
  );
  const back = useCallback(() => void history.back(), [history]);
  const canGoBack = useSyncExternalStore(
    useCallback((cb: () => void) => history.subscribe(cb), [history]),
    () => history.canGoBack(),
  );
  const replaceAll = useCallback(
    (next: ViewState) => setStore((s) => ({ current: next, pushes: s.pushes })),
    [],
  );
  const listen = useCallback<ViewHistory['listen']>((cb) => history.listen(cb), [history]);

  const current = store.current;
  const navigations = store.pushes;
  const value = useMemo(
    () => ({
      state: current,
      navigate,
      update,
      back,
      canGoBack,
      navigations,
      replaceAll,
      listen,
      setHistoryCase,
    }),
    [current, navigate, update, back, canGoBack, navigations, replaceAll, listen, setHistoryCase],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

/** The view the history's first entry shows (useOpenLink takes a link naming a case). */
function startState(history: ViewHistory): ViewState {
  const r = readEntry(history.start);
  return r.kind === 'view' ? r.state : initialViewState();
}

export function useViewState(): ViewStateApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useViewState() outside <ViewStateProvider>');
  return v;
}
