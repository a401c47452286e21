import { useCallback, useEffect, useMemo, useState } from 'react';
import { serverNow } from '../clock';
import type { LiveClient } from '../live/socket';
import { useLiveAlerts, type LiveAlerts } from '../live/useLiveAlerts';
import { bannerStory, countAlerts, type AlertCounts, type BannerStory } from './alert-board';
import { levelOf, severityRank, type WallAlert, type WallLevel } from './alert-status';

/** How long the red banner flashes for a new critical alert (it stays, steady, while the alert calls for it). */
export const BANNER_FLASH_MS = 15_000;
/** How long a freshly announced alert keeps its "NEW" mark in the list. */
export const FRESH_MS = 120_000;

/** At most this many announcements are kept (the newest): a burst of new critical alerts must not grow the wall. */
export const MAX_ANNOUNCEMENTS = 100;

export interface Announcement {
  id: string;
  at: number;
}

/**
 * The announcements after one more, at `at`: an alert is announced once (its newest announcement
 * kept), those past {@link FRESH_MS} go, and only the newest {@link MAX_ANNOUNCEMENTS} stay.
 */
export function withAnnouncement(list: readonly Announcement[], id: string, at: number): Announcement[] {
  const kept = list.filter((a) => a.id !== id && a.at + FRESH_MS > at);
  kept.push({ id, at });
  return kept.length > MAX_ANNOUNCEMENTS ? kept.slice(kept.length - MAX_ANNOUNCEMENTS) : kept;
}

export interface WallAlerts extends LiveAlerts {
  /** What the banner says; null once no alert calls for it. */
  story: BannerStory | null;
  /** A critical alert of the banner's story was announced a moment ago. */
  flashing: boolean;
  /** Active alerts announced a moment ago. */
  freshIds: ReadonlySet<string>;
  counts: AlertCounts;
  /** The most severe active level per indicator key. */
  levels: ReadonlyMap<string, WallLevel>;
}

/**
 * Everything the wall says about alerts, from the one alert store: the banner, the list, the
 * KPI figures and the vital signs' colours read the same active alerts, so when an alert
 * resolves they all change in the same render. `onAnnounce` is called for each new critical alert
 * (to fly the map there).
 */
export function useWallAlerts(live: LiveClient | null, onAnnounce?: (alert: WallAlert) => void): WallAlerts {
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const onNewCritical = useCallback(
    (alert: WallAlert) => {
      const at = serverNow();
      setAnnouncements((list) => withAnnouncement(list, alert.id, at));
      onAnnounce?.(alert);
    },
    [onAnnounce],
  );
  const alerts = useLiveAlerts(live, onNewCritical);

  // Expire announcements at their deadlines, without re-rendering every second. A deadline this
  // render has not yet passed (later than `now`) is due, even when the clock is past it already
  // (a timer that fired late): then at once, so that no mark outlives its time.
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const current = serverNow();
    const deadlines = announcements.flatMap((a) => [a.at + BANNER_FLASH_MS, a.at + FRESH_MS]).filter((d) => d > now);
    if (deadlines.length === 0) return undefined;
    const timer = setTimeout(
      () => {
        const at = serverNow();
        setNow(at);
        setAnnouncements((list) => list.filter((a) => a.at + FRESH_MS > at));
      },
      Math.max(0, Math.min(...deadlines) - current + 20),
    );
    return () => clearTimeout(timer);
  }, [announcements, now]);

  const active = alerts.alerts;
  const story = useMemo(() => bannerStory(active), [active]);
  const activeIds = useMemo(() => new Set(active.map((a) => a.id)), [active]);
  const freshIds = useMemo(
    () => new Set(announcements.filter((a) => now < a.at + FRESH_MS && activeIds.has(a.id)).map((a) => a.id)),
    [announcements, now, activeIds],
  );
  const flashing =
    story !== null && announcements.some((a) => now < a.at + BANNER_FLASH_MS && story.group.alerts.some((g) => g.id === a.id));
  const counts = useMemo(() => countAlerts(active), [active]);
  const levels = useMemo(() => {
    const byKey = new Map<string, WallLevel>();
    for (const alert of active) {
      const held = byKey.get(alert.indicatorKey);
      if (!held || severityRank(levelOf(alert)) > severityRank(held)) byKey.set(alert.indicatorKey, levelOf(alert));
    }
    return byKey;
  }, [active]);

  return { ...alerts, story, flashing, freshIds, counts, levels };
}
