import { isAbortError } from '../api/client';
import type { LiveClient } from './socket';

const RETRY_MS = 10_000;
const FALLBACK_MS = 2_000;
/** While the socket is down, the snapshot is taken this often (the figures stay current without deltas). */
export const POLL_WHILE_DISCONNECTED_MS = 15_000;

export interface SnapshotLoop {
  /** Takes a snapshot now (aborting one in flight). */
  takeNow: () => void;
  stop: () => void;
}

/**
 * The REST half of "snapshot, then socket deltas": a snapshot after every (re)connect, so that no
 * delta falls between the two; over REST alone when the socket does not connect soon, and every
 * {@link POLL_WHILE_DISCONNECTED_MS} while it is down; again after a failed attempt. `take` gets a signal that aborts when a newer attempt starts, and
 * throws to ask for a retry.
 */
export function snapshotOnConnect(live: LiveClient, take: (signal: AbortSignal) => Promise<void>): SnapshotLoop {
  let stopped = false;
  let started = false;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const run = async () => {
    started = true;
    controller?.abort();
    clearTimeout(retryTimer);
    const current = new AbortController();
    controller = current;
    try {
      await take(current.signal);
    } catch (failure) {
      if (stopped || current.signal.aborted || isAbortError(failure)) return;
      retryTimer = setTimeout(() => void run(), RETRY_MS);
    }
  };

  let pollTimer: ReturnType<typeof setInterval> | undefined;
  const stopPolling = () => {
    clearInterval(pollTimer);
    pollTimer = undefined;
  };
  const offConnect = live.onConnect(() => {
    stopPolling();
    void run();
  });
  const offStatus = live.onStatus(() => {
    if (live.status !== 'disconnected') stopPolling();
    else pollTimer ??= setInterval(() => void run(), POLL_WHILE_DISCONNECTED_MS);
  });
  const fallbackTimer = setTimeout(() => {
    if (!started) void run();
  }, FALLBACK_MS);

  return {
    takeNow: () => void run(),
    stop: () => {
      stopped = true;
      offConnect();
      offStatus();
      stopPolling();
      controller?.abort();
      clearTimeout(retryTimer);
      clearTimeout(fallbackTimer);
    },
  };
}
