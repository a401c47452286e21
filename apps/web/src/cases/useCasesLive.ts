import { useEffect, useRef } from 'react';
import type { LiveClient } from '../live/socket';
import { throttle } from '../live/throttle';
import { mergeRefresh, refreshFor, type CaseRefresh, type CasesInView } from './case-live';

/** Changes are gathered this long before the page reads again: a burst (a demo stream, a merge) makes one read. */
export const CASES_LIVE_MS = 1_000;

const NOTHING: CaseRefresh = { list: false, detail: false };

/**
 * `/cases` follows `case.changed` on the `cases` channel (the server sends each person only the
 * cases they may see): the list and the open case are read again, at most once a second, when a
 * change concerns them; after a reconnect both are read again (changes meanwhile were missed).
 * The filters, the page and the open panel stay as they are: only the data is read again.
 */
export function useCasesLive(live: LiveClient | null, view: CasesInView, refresh: (what: CaseRefresh) => void): void {
  const viewRef = useRef(view);
  const refreshRef = useRef(refresh);
  useEffect(() => {
    viewRef.current = view;
    refreshRef.current = refresh;
  });

  useEffect(() => {
    if (!live) return undefined;
    let pending = NOTHING;
    const flush = throttle(() => {
      const what = pending;
      pending = NOTHING;
      if (what.list || what.detail) refreshRef.current(what);
    }, CASES_LIVE_MS);
    // The page read its data when it opened: only a connection after the first one missed changes.
    let connectedBefore = live.status === 'connected';
    const stopConnect = live.onConnect(() => {
      if (connectedBefore) {
        pending = { list: true, detail: viewRef.current.open !== null };
        flush();
      }
      connectedBefore = true;
    });
    const stopChanged = live.on('case.changed', (event) => {
      pending = mergeRefresh(pending, refreshFor(event.case, viewRef.current));
      if (pending.list || pending.detail) flush();
    });
    return () => {
      flush.cancel();
      stopConnect();
      stopChanged();
    };
  }, [live]);
}
