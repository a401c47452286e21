import type { AlertChange, AlertView } from '@cityops/contracts';

/**
 * Every reading of an alert's status on the wall goes through this module: states
 * pending/firing/resolved, levels notice/warning/critical, silences, staleness, acknowledgement.
 */

/** An alert as the wall reads it. */
export type WallAlert = AlertView;

/** Severity order, low to high; unknown levels rank lowest. */
const SEVERITY: Readonly<Record<string, number>> = { notice: 1, warning: 2, critical: 3 };

export function severityRank(level: string): number {
  return SEVERITY[level] ?? 0;
}

export type WallLevel = 'notice' | 'warning' | 'critical';

/** The level as one of the three the wall styles. */
export function levelOf(alert: WallAlert): WallLevel {
  return alert.level;
}

/** Firing now: shown in the list, counted by the KPIs, eligible for the banner. */
export function isActive(alert: WallAlert): boolean {
  // A pending alert has not fired yet: the wall shows only alerts that fired.
  return alert.state === 'firing';
}

export function isResolved(alert: WallAlert): boolean {
  return alert.state === 'resolved';
}

/** A resolved alert that never fired (a pending one that lapsed) did not happen as far as the wall is concerned. */
export function everFired(alert: WallAlert): boolean {
  return alert.firedAt !== null;
}

/** When the alert began, as the wall counts its duration (epoch ms). */
export function startedMs(alert: WallAlert): number {
  return Date.parse(alert.firedAt ?? alert.startedAt);
}

/** When it ended (epoch ms), null while it is active. */
export function resolvedMs(alert: WallAlert): number | null {
  return alert.resolvedAt ? Date.parse(alert.resolvedAt) : null;
}

/** How long it has lasted: until now while active, until its resolution after. */
export function durationMs(alert: WallAlert, now: number): number {
  return Math.max(0, (resolvedMs(alert) ?? now) - startedMs(alert));
}

/** Resolved alerts stay on the wall this long after they ended. */
export const RECENT_MS = 60 * 60_000;
/**
 * At most this many resolved alerts are held, the most recently resolved: an hour of a storm must
 * not grow a wall that runs for days. As many as a snapshot reads after a reconnect, so the list
 * is the same before and after one.
 */
export const RESOLVED_HELD = 500;

/** Resolved within the last hour (and fired at all): listed under "recently resolved". */
export function isRecent(alert: WallAlert, now: number): boolean {
  const ended = resolvedMs(alert);
  return isResolved(alert) && everFired(alert) && ended !== null && now - ended < RECENT_MS;
}

export function isAcknowledged(alert: WallAlert): boolean {
  return alert.acknowledgedAt !== null;
}

export interface Acknowledgement {
  by: string | null;
  at: string;
  comment: string | null;
}

export function acknowledgementOf(alert: WallAlert): Acknowledgement | null {
  if (alert.acknowledgedAt === null) return null;
  return { by: alert.acknowledgedBy, at: alert.acknowledgedAt, comment: alert.ackComment };
}

/** Covered by a silence: still listed and counted, never bannered. */
export function isSilenced(alert: WallAlert): boolean {
  return alert.silencedBy !== null;
}

/** No data for a while (no-data policy `stale`). */
export function isStale(alert: WallAlert): boolean {
  return alert.stale;
}

/** Calls for the red banner: active, critical, not yet acknowledged by anyone, not silenced. */
export function callsForBanner(alert: WallAlert): boolean {
  return isActive(alert) && levelOf(alert) === 'critical' && !isAcknowledged(alert) && !isSilenced(alert);
}

/** Changes after which a critical alert not announced yet is announced (banner flash, map focus). */
const ANNOUNCING: ReadonlySet<string> = new Set<string>(['fired', 'escalated', 'escalation', 'updated', 'unsilenced']);

export function isAnnouncingChange(change: AlertChange): boolean {
  return ANNOUNCING.has(change);
}

/** Newer first by update time: a delta older than what the wall holds is late and dropped. */
export function isOlderThan(candidate: WallAlert, held: WallAlert): boolean {
  return Date.parse(candidate.updatedAt) < Date.parse(held.updatedAt);
}

/** What the wall calls the alert's indicator, in the wall's language when it has a name in it. */
export function indicatorLabel(alert: WallAlert, lang: 'zh' | 'en'): string {
  if (lang === 'en' && alert.indicatorNameEn) return alert.indicatorNameEn;
  return alert.indicatorName;
}
