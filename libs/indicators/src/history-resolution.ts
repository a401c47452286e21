import type { HistoryResolution, HistoryStep } from '@cityops/contracts';

/** How long each resolution of indicator history is kept, in days (hour: 0 = for ever). */
export interface HistoryRetention {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** `auto` answers raw values for ranges up to this long… */
export const AUTO_RAW_MAX_RANGE_MS = 6 * HOUR_MS;
/** …and 1-minute buckets up to this long; longer ranges get 1-hour buckets. */
export const AUTO_MINUTE_MAX_RANGE_MS = 7 * DAY_MS;

export const BUCKET_MS: Record<Exclude<HistoryResolution, 'raw'>, number> = { '1m': 60_000, '1h': HOUR_MS };

/**
 * The resolution to answer a history request with. An explicit step is taken as asked; `auto`
 * takes the finest resolution whose points stay few enough for the range (a few thousand per
 * area at most) and whose retention still covers the range's start, so a long-ago day is not
 * answered with the empty raw table.
 */
export function chooseResolution(step: HistoryStep, from: Date, to: Date, now: Date, retention: HistoryRetention): HistoryResolution {
  if (step !== 'auto') return step;
  const range = to.getTime() - from.getTime();
  const age = now.getTime() - from.getTime();
  if (range <= AUTO_RAW_MAX_RANGE_MS && age <= retention.rawDays * DAY_MS) return 'raw';
  if (range <= AUTO_MINUTE_MAX_RANGE_MS && age <= retention.minuteDays * DAY_MS) return '1m';
  return '1h';
}

/** The first bucket boundary at or after `t` (buckets are aligned on the Unix epoch). */
export function bucketCeil(t: Date, bucketMs: number): Date {
  return new Date(Math.ceil(t.getTime() / bucketMs) * bucketMs);
}
