import { useEffect, useState } from 'react';
import { serverNow } from './clock';

/** Current (server-corrected) time in epoch ms, refreshed every `intervalMs`, aligned to whole intervals. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const current = serverNow();
      setNow(current);
      timer = setTimeout(tick, intervalMs - (current % intervalMs) + 5);
    };
    timer = setTimeout(tick, intervalMs - (serverNow() % intervalMs) + 5);
    return () => clearTimeout(timer);
  }, [intervalMs]);
  return now;
}
