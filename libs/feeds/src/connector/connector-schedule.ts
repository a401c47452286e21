import type { ConnectorConfig } from '@cityops/contracts';

/** A failing source is retried less and less often, but at least once an hour. */
export const MAX_BACKOFF_SECONDS = 3600;

/** Delay before the next run: the interval after a success, exponential backoff after failures. */
export function nextRunDelayMs(intervalSeconds: number, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return intervalSeconds * 1000;
  // Capped before exponentiation so a long streak cannot overflow to Infinity.
  const factor = 2 ** Math.min(consecutiveFailures, 32);
  return Math.min(intervalSeconds * factor, MAX_BACKOFF_SECONDS) * 1000;
}

export interface ScheduleState {
  connector: Pick<ConnectorConfig, 'intervalSeconds' | 'timeoutSeconds'>;
  /** Epoch milliseconds, or null. */
  nextRunAt: number | null;
  lastRunAt: number | null;
  feedUpdatedAt: number;
}

/**
 * Whether a connector feed must be given a run now:
 * - it has no pending run (new connector, or the connector was removed and added again);
 * - its pending run is overdue by more than an interval (plus the fetch timeout, since a run in
 *   progress still holds it): the job was lost, e.g. Redis was flushed or a worker died mid-way;
 * - the feed was edited since its last run and the pending run lies ahead: apply the new
 *   connector (shorter interval, fixed URL after a backoff) without waiting out the old plan.
 */
export function needsRunNow(state: ScheduleState, now: number): boolean {
  if (state.nextRunAt === null) return true;
  const graceMs = (state.connector.intervalSeconds + state.connector.timeoutSeconds) * 1000;
  if (state.nextRunAt < now - graceMs) return true;
  const edited = state.lastRunAt === null || state.feedUpdatedAt > state.lastRunAt;
  return edited && state.nextRunAt > now;
}
