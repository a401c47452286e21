import type { AlertView, IndicatorHistoryPoint, Severity } from '@cityops/contracts';

/**
 * Replay of the last 24 hours: an indicator's stored history (values or buckets, every area) and
 * its alerts, read back at any instant. Pure, so the page only moves a clock.
 */

interface Series {
  ts: number[];
  values: number[];
}

export interface Replay {
  from: number;
  to: number;
  series: ReadonlyMap<number, Series>;
}

export function buildReplay(points: readonly IndicatorHistoryPoint[], from: number, to: number): Replay {
  const series = new Map<number, Series>();
  const sorted = [...points].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  for (const p of sorted) {
    let s = series.get(p.areaId);
    if (!s) series.set(p.areaId, (s = { ts: [], values: [] }));
    s.ts.push(Date.parse(p.ts));
    // A bucket's newest value is what the map showed at its end; its average otherwise.
    s.values.push(p.last ?? p.value);
  }
  return { from, to, series };
}

/** Index of the last time at or before `t`, -1 when every one is later. */
function lastAtOrBefore(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Each area's value at `t`: its last value at or before `t`, unless that is older than
 * `staleAfterMs` (the area had gone quiet, so it is shown as without a value).
 */
export function valuesAt(replay: Replay, t: number, staleAfterMs = 2 * 3600_000): Map<number, number> {
  const out = new Map<number, number>();
  for (const [areaId, s] of replay.series) {
    const i = lastAtOrBefore(s.ts, t);
    if (i >= 0 && t - s.ts[i] <= staleAfterMs) out.set(areaId, s.values[i]);
  }
  return out;
}

const LEVEL: Record<Severity, number> = { notice: 1, warning: 2, critical: 3 };

/** The alerts that were firing at `t` (fired, not yet resolved): the highest level per area. */
export function alertsAt(alerts: readonly AlertView[], t: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of alerts) {
    if (!a.firedAt || Date.parse(a.firedAt) > t) continue;
    if (a.resolvedAt && Date.parse(a.resolvedAt) <= t) continue;
    const level = LEVEL[a.level] ?? 0;
    if (level > (out.get(a.areaId) ?? 0)) out.set(a.areaId, level);
  }
  return out;
}

export const REPLAY_SPEEDS = [1, 10, 60, 600, 3600] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
