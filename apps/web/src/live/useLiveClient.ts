import { useEffect, useState } from 'react';
import { exchangeKiosk, getAccessToken, handleUnauthorized } from '../auth/session';
import { LiveClient } from './socket';

/**
 * One live connection for the lifetime of the calling page, subscribed to `channels`.
 * `channels` is read once, on mount.
 */
export function useLiveClient(channels: readonly string[]): LiveClient | null {
  const [live, setLive] = useState<LiveClient | null>(null);
  const [initialChannels] = useState(channels);
  useEffect(() => {
    const client = new LiveClient({
      channels: [...initialChannels],
      getToken: getAccessToken,
      // A refused token signs a password user out; a mere suspicion only re-exchanges a kiosk token.
      renewToken: (certain) => (certain ? handleUnauthorized() : exchangeKiosk()),
    });
    client.start();
    setLive(client); // eslint-disable-line react-hooks/set-state-in-effect -- the connection exists only once the effect made it; the page renders with it from then on
    return () => {
      client.stop();
      setLive(null);
    };
  }, [initialChannels]);
  return live;
}
