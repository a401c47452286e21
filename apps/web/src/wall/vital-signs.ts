import type { IndicatorValuesEvent, IndicatorValueView } from '@cityops/contracts';

/**
 * Whether lower values are the worse ones, from the thresholds in either shape: today's
 * `{warning, critical}` (critical below warning) or the level list with operators (`<`, `<=`).
 */
export function lowIsWorse(thresholds: unknown): boolean {
  if (typeof thresholds !== 'object' || thresholds === null) return false;
  const t = thresholds as { warning?: unknown; critical?: unknown; levels?: { op?: unknown }[] };
  if (Array.isArray(t.levels)) return typeof t.levels[0]?.op === 'string' && t.levels[0].op.startsWith('<');
  return typeof t.warning === 'number' && typeof t.critical === 'number' && t.critical < t.warning;
}

export interface Headline {
  value: IndicatorValueView;
  /** `only`: the one area there is; `city`: the city-level area; `worst`: the worst of several areas. */
  kind: 'only' | 'city' | 'worst';
}

/**
 * The one figure a vital sign shows: the city's value when it has one, the only value when there
 * is one, else the worst area's (highest, or lowest when low is worse) — named, never averaged.
 */
export function headlineOf(latest: IndicatorValuesEvent | null, cityName: string | null): Headline | null {
  const values = latest?.values ?? [];
  if (values.length === 0) return null;
  if (values.length === 1) return { value: values[0], kind: 'only' };
  const city = cityName ? values.find((v) => v.areaName === cityName) : undefined;
  if (city) return { value: city, kind: 'city' };
  const low = lowIsWorse(latest?.thresholds);
  const worst = values.reduce((a, b) => ((low ? b.value < a.value : b.value > a.value) ? b : a));
  return { value: worst, kind: 'worst' };
}
