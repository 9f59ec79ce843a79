import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { initialViewState, type ViewState } from './viewState';

export interface ViewStateApi {
  state: ViewState;
  /** Moves to a new view state, remembering the current one for `back`. */
  navigate: (patch: Partial<ViewState>) => void;
  /** Changes the current view state in place (filters, sort, selection): no history entry. */
  update: (patch: Partial<ViewState> | ((s: ViewState) => Partial<ViewState>)) => void;
  back: () => void;
  canGoBack: boolean;
  replaceAll: (state: ViewState) => void;
}

interface Store {
  current: ViewState;
  history: ViewState[];
}

const Ctx = createContext<ViewStateApi | null>(null);
const MAX_HISTORY = 200;

export function ViewStateProvider(props: {
  initial?: ViewState;
  onChange?: (s: ViewState) => void;
  children: ReactNode;
}): ReactNode {
  const [store, setStore] = useState<Store>({
    current: props.initial ?? initialViewState(),
    history: [],
  });
  const { onChange } = props;
  const current = store.current;
  useEffect(() => {
    onChange?.(current);
  }, [current, onChange]);

  const navigate = useCallback((patch: Partial<ViewState>) => {
    setStore((s) => ({
      current: { ...s.current, ...patch },
      history: [...s.history, s.current].slice(-MAX_HISTORY),
    }));
  }, []);
  const update = useCallback(
    (patch: Partial<ViewState> | ((s: ViewState) => Partial<ViewState>)) => {
      setStore((s) => ({
        current: { ...s.current, ...(typeof patch === 'function' ? patch(s.current) : patch) },
        history: s.history,
      }));
    },
    [],
  );
  const back = useCallback(() => {
    setStore((s) =>
      s.history.length === 0
        ? s
        : { current: s.history[s.history.length - 1]!, history: s.history.slice(0, -1) },
    );
  }, []);
  const replaceAll = useCallback((next: ViewState) => setStore({ current: next, history: [] }), []);

  const canGoBack = store.history.length > 0;
  const value = useMemo(
    () => ({ state: current, navigate, update, back, canGoBack, replaceAll }),
    [current, navigate, update, back, canGoBack, replaceAll],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

export function useViewState(): ViewStateApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useViewState() outside <ViewStateProvider>');
  return v;
}
