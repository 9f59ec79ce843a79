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
  /** Shows `state` in place of the current entry (a link, a case just opened). */
  replaceAll: (state: ViewState) => void;
  /** Entries the investigator arrives at from outside (useOpenLink takes the links among them). */
  listen: ViewHistory['listen'];
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
  useEffect(() => {
    const hash = encodeViewState(store.current);
    // Going to the view already shown (its own tab, say) adds no entry.
    const push = store.pushes !== written.current.pushes && hash !== written.current.hash;
    written.current = { pushes: store.pushes, hash };
    history.write(store.current, push ? 'push' : 'replace');
  }, [store, history]);

  useEffect(
    () =>
      history.listen((entry) => {
        const r = readEntry(entry);
        // Links naming a case and refusals are useOpenLink's.
        if (r.kind === 'view') setStore((s) => ({ current: r.state, pushes: s.pushes }));
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
  const value = useMemo(
    () => ({ state: current, navigate, update, back, canGoBack, replaceAll, listen }),
    [current, navigate, update, back, canGoBack, replaceAll, listen],
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
