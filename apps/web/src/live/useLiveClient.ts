import { useEffect, useState } from 'react';
import { exchangeKiosk, getAccessToken, handleUnauthorized } from '../auth/session';
import { LiveClient } from './socket';

/**
 * One live connection for the lifetime of the calling page, subscribed to `channels`.
 * `channels` is read once: pass a module-level constant.
 */
export function useLiveClient(channels: readonly string[]): LiveClient | null {
  const [live, setLive] = useState<LiveClient | null>(null);
  useEffect(() => {
    const client = new LiveClient({
      channels: [...channels],
      getToken: getAccessToken,
      // A refused token signs a password user out; a mere suspicion only re-exchanges a kiosk token.
      renewToken: (certain) => (certain ? handleUnauthorized() : exchangeKiosk()),
    });
    client.start();
    setLive(client);
    return () => {
      client.stop();
      setLive(null);
    };
    // The channels are fixed for the page's lifetime: connect once on mount.
  }, []);
  return live;
}
