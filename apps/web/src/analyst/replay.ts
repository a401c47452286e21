import type { AlertStretch, AlertView, IndicatorHistoryPoint, Severity } from '@cityops/contracts';

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

/** Alert levels as the choropleth paints them (0: no alert). */
const ALERT_LEVEL: Record<Severity, number> = { notice: 1, warning: 2, critical: 3 };
const LEVEL_NAME: Record<number, Severity> = { 1: 'notice', 2: 'warning', 3: 'critical' };

function raise(out: Map<number, number>, areaId: number, level: number): void {
  if (level > (out.get(areaId) ?? 0)) out.set(areaId, level);
}

/** The live map's outline: the alerts firing now (fired, not resolved), the highest level per area. */
export function standingAlertLevels(alerts: readonly AlertView[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of alerts) if (a.firedAt && !a.resolvedAt) raise(out, a.areaId, ALERT_LEVEL[a.level] ?? 0);
  return out;
}

/** A timeline stretch as the replay reads it at every frame: times in epoch ms, the level as painted. */
export interface ReplayStretch {
  areaId: number;
  level: number;
  from: number;
  /** Infinity while it still fires. */
  to: number;
}

/** The timeline's stretches, parsed once when loaded (not once per frame). */
export function replayStretches(stretches: readonly AlertStretch[]): ReplayStretch[] {
  return stretches.map((s) => ({
    areaId: s.areaId,
    level: ALERT_LEVEL[s.level] ?? 0,
    from: Date.parse(s.from),
    to: s.to === null ? Infinity : Date.parse(s.to),
  }));
}

/**
 * Each area's alert level at `t` in the replay: the highest level among the stretches of its
 * alerts covering `t` (from the alert timeline; a stretch without an end still fires).
 */
export function alertLevelsAt(stretches: readonly ReplayStretch[], t: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of stretches) if (s.from <= t && t < s.to) raise(out, s.areaId, s.level);
  return out;
}

/** Alert levels by area as `areaId:level` in area order, as the map element states them for tests and people inspecting it. */
export function describeAlertLevels(levels: ReadonlyMap<number, number>): string {
  return [...levels]
    .sort(([a], [b]) => a - b)
    .map(([areaId, level]) => `${areaId}:${LEVEL_NAME[level] ?? level}`)
    .join(',');
}

export const REPLAY_SPEEDS = [1, 10, 60, 600, 3600] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
