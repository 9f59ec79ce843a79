import { useCallback, useEffect, useRef, useState } from 'react';
import type { RecentCase } from '../../shared/contract/caseApi.js';
import { decodeLink, type ViewLink } from '../../shared/links/linkCodec.js';
import { useApi } from '../api/ApiContext.js';
import { useCase } from './CaseContext.js';
import { fromOtherCase, useViewState } from './ViewStateContext.js';
import { readEntry, type EntryRequest, type ViewName } from './viewState.js';

/** What the investigator is told about a link that did not open as it is. */
export type LinkNotice =
  | { kind: 'refused'; reason: string }
  /** The backend refused this page (browser mode without its token): no case to compare. */
  | { kind: 'unauthorised' }
  | { kind: 'otherCase'; link: ViewLink; recent: RecentCase | null };

export interface OpenLinkApi {
  notice: LinkNotice | null;
  dismiss: () => void;
  /** Opens the recent case the notice offers; the link's view follows once it is open. */
  openRecent: () => void;
}

/**
 * Links are hostile input. Three ways in: `openLink` events (the OS hands `sessionscope://open?…`
 * to the desktop app) and, in browser mode, the page's hash at start-up and any hash pasted
 * into the address bar later (the view state shows a hash without a case itself). A link
 * applies only to the case it names: for another case the investigator is asked to open it
 * (offered from the recent list when it is there), and the view opens as soon as that case
 * does. A malformed link is refused with the codec's reason. Nothing is half-applied.
 */
export function useOpenLink(): OpenLinkApi {
  const client = useApi();
  const { caseInfo, booting, bootError, setCase } = useCase();
  const { state, navigations, replaceAll, listen, setHistoryCase } = useViewState();
  // The start-up hash is read during the first render, before the view state's effect
  // rewrites it; a malformed one is refused from the start.
  const [startLink] = useState(() => readStartHash());
  const [notice, setNotice] = useState<LinkNotice | null>(() =>
    startLink.kind === 'refused' ? { kind: 'refused', reason: startLink.reason } : null,
  );
  // A notice is about the link just tried, over the view it left on screen: going elsewhere
  // (a tab, a session, a request, Back or Forward) leaves it behind with that view. Only the
  // start screen keeps a notice asking for another case: that case can be opened there, and
  // the link's view then follows.
  const leaveFor = useCallback(
    (view: ViewName) => setNotice((n) => (n?.kind === 'otherCase' && view === 'start' ? n : null)),
    [],
  );
  const [navigationsSeen, setNavigationsSeen] = useState(navigations);
  if (navigationsSeen !== navigations) {
    setNavigationsSeen(navigations);
    leaveFor(state.view);
  }
  const caseUuid = caseInfo?.meta.uuid ?? null;
  const caseRef = useRef(caseUuid);
  useEffect(() => {
    caseRef.current = caseUuid;
    setHistoryCase(caseUuid);
  }, [caseUuid, setHistoryCase]);

  const open = useCallback(
    (link: ViewLink) => {
      if (caseRef.current === link.caseUuid) {
        replaceAll(link.state);
        setNotice(null);
        return;
      }
      setNotice({ kind: 'otherCase', link, recent: null });
      void client.call('listRecentCases').then((r) => {
        const recent = r.ok
          ? (r.value.find(
              (c) => c.exists && c.uuid?.toLowerCase() === link.caseUuid.toLowerCase(),
            ) ?? null)
          : null;
        if (recent) {
          setNotice((n) => (n?.kind === 'otherCase' && n.link === link ? { ...n, recent } : n));
        }
      });
    },
    [client, replaceAll],
  );

  useEffect(
    () =>
      client.on('openLink', ({ url }) => {
        const r = decodeLink(url);
        if (r.ok) open(r.value);
        else setNotice({ kind: 'refused', reason: r.error.message });
      }),
    [client, open],
  );

  // A hash pasted into the address bar (or reached with Back) that is a link to check.
  useEffect(
    () =>
      listen((entry) => {
        const r = readEntry(entry);
        if (r.kind === 'link') open(r.link);
        else if (r.kind === 'refused') setNotice({ kind: 'refused', reason: r.reason });
        // Back to a view of the case open before this one: asked about, as its link would be.
        else if (r.kind === 'view' && fromOtherCase(entry, caseRef.current))
          open({ caseUuid: entry.caseUuid, state: r.state });
        // Back, Forward or a pasted hash went to another view.
        else if (r.kind === 'view') leaveFor(r.state.view);
      }),
    [listen, open, leaveFor],
  );

  // A start-up link that names a case, once the served case (if any) is known.
  const startDone = useRef(false);
  useEffect(() => {
    if (booting || startDone.current) return;
    startDone.current = true;
    if (startLink.kind !== 'link') return;
    // Without the served case known (the page lacks its token), the link is not for "another
    // case": say what is missing instead.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the boot answer is seen here
    if (bootError === 'UNAUTHORIZED') setNotice({ kind: 'unauthorised' });
    else open(startLink.link);
  }, [booting, bootError, startLink, open]);

  // The case a link asked for has been opened (from the notice or the start screen): show it.
  useEffect(() => {
    if (notice?.kind === 'otherCase' && caseUuid === notice.link.caseUuid) {
      replaceAll(notice.link.state);
      // The open case changes outside this hook (CaseContext), so this effect is where it is seen.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setNotice(null);
    }
  }, [caseUuid, notice, replaceAll]);

  const openRecent = useCallback(() => {
    if (notice?.kind !== 'otherCase' || !notice.recent) return;
    void client.call('openCase', { path: notice.recent.path }).then((r) => {
      if (r.ok) setCase(r.value);
      else setNotice({ kind: 'refused', reason: r.error.message });
    });
  }, [client, notice, setCase]);

  const dismiss = useCallback(() => setNotice(null), []);
  return { notice, dismiss, openRecent };
}

/**
 * The start-up hash (browser mode): a link naming a case to check or a refusal are this
 * hook's; the app's own hash was restored by the view state already.
 */
function readStartHash(): EntryRequest {
  return readEntry({ hash: typeof window === 'undefined' ? '' : window.location.hash, kept: null });
}
