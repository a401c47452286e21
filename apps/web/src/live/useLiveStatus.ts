import { useCallback, useSyncExternalStore } from 'react';
import type { LiveClient, LiveStatus } from './socket';

export function useLiveStatus(live: LiveClient | null): LiveStatus {
  const subscribe = useCallback((listener: () => void) => (live ? live.onStatus(listener) : () => undefined), [live]);
  return useSyncExternalStore(subscribe, () => live?.status ?? 'connecting');
}
