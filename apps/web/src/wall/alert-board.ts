import { callsForBanner, levelOf, severityRank, startedMs, type WallAlert, type WallLevel } from './alert-status';

/** How the list shows active alerts: one row each, or one row per area or per indicator. */
export type GroupKind = 'alert' | 'area' | 'indicator';

export interface AlertGroup {
  /** Stable across renders: `alert:<id>`, `area:<id>` or `indicator:<key>`. */
  key: string;
  kind: GroupKind;
  /** Most severe first, then newest. */
  alerts: WallAlert[];
  /** The group's most severe level. */
  level: WallLevel;
  counts: Record<WallLevel, number>;
  /** How many of its alerts someone acknowledged. */
  acknowledged: number;
}

/** Most severe first, newest first within a level. */
export function bySeverity(a: WallAlert, b: WallAlert): number {
  return severityRank(levelOf(b)) - severityRank(levelOf(a)) || startedMs(b) - startedMs(a);
}

function keyOf(alert: WallAlert, kind: GroupKind): string {
  if (kind === 'area') return `area:${alert.areaId}`;
  if (kind === 'indicator') return `indicator:${alert.indicatorKey}`;
  return `alert:${alert.id}`;
}

function groupBy(alerts: readonly WallAlert[], kind: GroupKind): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const alert of [...alerts].sort(bySeverity)) {
    const key = keyOf(alert, kind);
    let group = groups.get(key);
    if (!group) {
      group = { key, kind, alerts: [], level: levelOf(alert), counts: { notice: 0, warning: 0, critical: 0 }, acknowledged: 0 };
      groups.set(key, group);
    }
    group.alerts.push(alert);
    group.counts[levelOf(alert)] += 1;
    if (alert.acknowledgedAt !== null) group.acknowledged += 1;
  }
  return [...groups.values()].sort(
    (a, b) =>
      severityRank(b.level) - severityRank(a.level) ||
      b.counts[b.level] - a.counts[a.level] ||
      b.alerts.length - a.alerts.length ||
      bySeverity(a.alerts[0], b.alerts[0]),
  );
}

/**
 * The rows of the alert list. While every alert fits, one row each; a burst beyond `maxRows`
 * becomes one row per area, or per indicator when that makes fewer rows (many areas at once).
 */
export function groupAlerts(active: readonly WallAlert[], maxRows: number): AlertGroup[] {
  if (active.length <= maxRows) return groupBy(active, 'alert');
  const byArea = groupBy(active, 'area');
  if (byArea.length <= maxRows) return byArea;
  const byIndicator = groupBy(active, 'indicator');
  return byIndicator.length < byArea.length ? byIndicator : byArea;
}

export interface BannerStory {
  /** The most severe group of alerts calling for the banner. */
  group: AlertGroup;
  /** Its newest alert, whose value the banner shows. */
  lead: WallAlert;
  /** Alerts calling for the banner outside that group. */
  more: number;
}

/**
 * What the red banner says: the most severe group (by area) of the alerts that call for it
 * (critical, active, unacknowledged, not silenced), "+N more" for the rest. Null when none does:
 * the banner goes the moment its last alert resolves or is acknowledged.
 */
export function bannerStory(active: readonly WallAlert[]): BannerStory | null {
  const calling = active.filter(callsForBanner);
  if (calling.length === 0) return null;
  const [group] = groupBy(calling, 'area');
  const lead = [...group.alerts].sort((a, b) => startedMs(b) - startedMs(a))[0];
  return { group, lead, more: calling.length - group.alerts.length };
}

export interface AlertCounts {
  active: number;
  critical: number;
  /** Warning or worse. */
  warningOrWorse: number;
}

/** The KPI figures, from the same active alerts as the list and the banner. */
export function countAlerts(active: readonly WallAlert[]): AlertCounts {
  let critical = 0;
  let warningOrWorse = 0;
  for (const alert of active) {
    const rank = severityRank(levelOf(alert));
    if (rank >= severityRank('critical')) critical += 1;
    if (rank >= severityRank('warning')) warningOrWorse += 1;
  }
  return { active: active.length, critical, warningOrWorse };
}

/** Areas of one indicator in alert, by level: the scene's zone KPIs. */
export function zonesInAlert(active: readonly WallAlert[], indicatorKey: string): { warningOrWorse: number; critical: number } {
  const worst = new Map<number, number>();
  for (const alert of active) {
    if (alert.indicatorKey !== indicatorKey) continue;
    worst.set(alert.areaId, Math.max(worst.get(alert.areaId) ?? 0, severityRank(levelOf(alert))));
  }
  let warningOrWorse = 0;
  let critical = 0;
  for (const rank of worst.values()) {
    if (rank >= severityRank('warning')) warningOrWorse += 1;
    if (rank >= severityRank('critical')) critical += 1;
  }
  return { warningOrWorse, critical };
}
