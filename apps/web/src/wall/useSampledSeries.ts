import { useEffect, useState } from 'react';
import { serverNow } from '../clock';
import { SUMMARY_BUCKET_SECONDS, SUMMARY_WINDOW_MS } from '../live/useLiveIndicator';
import type { SparkPoint } from './Sparkline';

const BUCKET_MS = SUMMARY_BUCKET_SECONDS * 1000;

/**
 * A client-side series of a value the server keeps no history of (e.g. the open-alert count):
 * sampled on every change and every bucket, in the same 30 s buckets and 30 min window as the
 * indicator summaries. Starts empty when the page opens.
 */
export function useSampledSeries(value: number | null): SparkPoint[] {
  const [series, setSeries] = useState<SparkPoint[]>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), BUCKET_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (value === null) return;
    const bucket = Math.floor(serverNow() / BUCKET_MS) * BUCKET_MS;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- sampling a value on a clock: each change and each bucket adds a point
    setSeries((previous) => {
      const kept = previous.filter(([ts]) => ts < bucket && ts >= bucket - SUMMARY_WINDOW_MS);
      kept.push([bucket, value]);
      return kept;
    });
  }, [value, tick]);

  return series;
}
