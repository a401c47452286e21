/**
 * Trailing throttle: however many calls arrive, `run` fires at most once per `ms`,
 * after the first call of a burst. Used to coalesce socket bursts before touching React or the map.
 */
export interface Throttled {
  (): void;
  cancel(): void;
}

export function throttle(run: () => void, ms: number): Throttled {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (() => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, ms);
  }) as Throttled;
  call.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return call;
}

/** Flush interval for live updates (socket bursts -> one React render and one map setData). */
export const LIVE_FLUSH_MS = 250;
