import { formatClock } from '../format';
import { useI18n } from '../i18n';
import type { LiveStatus } from '../live/socket';
import { useNow } from '../useNow';

/** Newest reading time (epoch ms) among indicator events, or null without any. */
export function newestReading(events: readonly ({ values: readonly { ts: string }[] } | null)[]): number | null {
  let newest: number | null = null;
  for (const event of events)
    for (const v of event?.values ?? []) {
      const ts = Date.parse(v.ts);
      if (!Number.isNaN(ts) && (newest === null || ts > newest)) newest = ts;
    }
  return newest;
}

/** Whole minutes between two times, at least 1 (a label that says "0 minutes ago" reads as "now"). */
export function minutesOld(ts: number, now: number): number {
  return Math.max(1, Math.floor((now - ts) / 60_000));
}

/**
 * The time of the newest reading on the wall, shown at all times: a wall across the room must
 * say how current its figures are. With the live connection down it says how old they are.
 */
export function DataAsOf({ newestTs, status }: { newestTs: number | null; status: LiveStatus }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const offline = status === 'disconnected';
  const time = newestTs === null ? '—' : formatClock(newestTs);
  return (
    <div className={offline ? 'data-as-of data-as-of--offline' : 'data-as-of'} data-testid="data-as-of" role="status">
      {t('dataAsOf', { time })}
      {offline && newestTs !== null ? <span className="data-as-of-age">{t('dataAge', { n: minutesOld(newestTs, now) })}</span> : null}
    </div>
  );
}
