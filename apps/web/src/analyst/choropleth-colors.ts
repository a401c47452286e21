import type { Severity, ThresholdLevel } from '@cityops/contracts';

/**
 * How a choropleth colours an area: by the indicator's threshold level when it has thresholds
 * (the same words the alerts use), else by where the value lies between the smallest and the
 * largest shown. Worked out here, per area, and handed to the map as feature state, so the map's
 * paint expression only picks a colour and the rules are testable without WebGL.
 */

/** Band 0 = below every threshold; 1–3 = notice, warning, critical; -1 = no value. */
export type Band = -1 | 0 | 1 | 2 | 3;

export const BAND_COLORS: Record<Band, string> = {
  [-1]: '#5b6675',
  0: '#2fa36b',
  1: '#e8d44d',
  2: '#ffb020',
  3: '#ff3b30',
};

const SEVERITY_BAND: Record<Severity, Band> = { notice: 1, warning: 2, critical: 3 };

/** The value ramp, low to high (a sequential blue-to-red scale, readable on the dark map). */
export const RAMP_STOPS: readonly string[] = ['#1d4f91', '#2f8fce', '#5cc8c1', '#f2d15c', '#f08a3e', '#d7301f'];

function meets(value: number, level: ThresholdLevel): boolean {
  switch (level.op) {
    case '>=':
      return value >= level.value;
    case '>':
      return value > level.value;
    case '<=':
      return value <= level.value;
    case '<':
      return value < level.value;
  }
}

/** The most severe threshold level the value meets (hysteresis is the alert engine's, not the map's). */
export function bandOf(value: number | null | undefined, levels: readonly ThresholdLevel[] | null | undefined): Band {
  if (value === null || value === undefined || !Number.isFinite(value)) return -1;
  let band: Band = 0;
  for (const level of levels ?? []) {
    const b = SEVERITY_BAND[level.level];
    if (meets(value, level) && b > band) band = b;
  }
  return band;
}

/** Where each value lies between the extremes, 0–1 (all equal: 1, so a lone value is not drawn as the lowest). */
export function rampPositions(values: readonly number[]): { min: number; max: number; position: (v: number) => number } {
  const finite = values.filter(Number.isFinite);
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 0;
  const span = max - min;
  return { min, max, position: (v) => (span > 0 ? Math.min(1, Math.max(0, (v - min) / span)) : 1) };
}

/** The ramp's colour at a position 0–1 (linear between the stops), as `#rrggbb`. */
export function rampColor(position: number): string {
  const p = Math.min(1, Math.max(0, Number.isFinite(position) ? position : 0)) * (RAMP_STOPS.length - 1);
  const i = Math.min(RAMP_STOPS.length - 2, Math.floor(p));
  const t = p - i;
  const a = hex(RAMP_STOPS[i]);
  const b = hex(RAMP_STOPS[i + 1]);
  return `#${a
    .map((c, k) =>
      Math.round(c + (b[k] - c) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function hex(color: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
}

/** One line of the legend: a colour and what it stands for. */
export interface LegendEntry {
  color: string;
  /** `below` = under every threshold; a severity = that level and past it; `noData`. */
  kind: 'below' | Severity | 'noData';
  op: ThresholdLevel['op'] | null;
  value: number | null;
}

/** The legend of a thresholded choropleth, least severe first. */
export function thresholdLegend(levels: readonly ThresholdLevel[]): LegendEntry[] {
  const first = levels[0];
  const below: LegendEntry = { color: BAND_COLORS[0], kind: 'below', op: first ? flip(first.op) : null, value: first?.value ?? null };
  return [
    below,
    ...levels.map((l) => ({ color: BAND_COLORS[SEVERITY_BAND[l.level]], kind: l.level, op: l.op, value: l.value })),
    { color: BAND_COLORS[-1], kind: 'noData', op: null, value: null },
  ];
}

/** How an operator is written for people (≥ rather than >=). */
export function opSymbol(op: ThresholdLevel['op']): string {
  return ({ '>=': '≥', '>': '>', '<=': '≤', '<': '<' } as const)[op];
}

function flip(op: ThresholdLevel['op']): ThresholdLevel['op'] {
  return ({ '>=': '<', '>': '<=', '<=': '>', '<': '>=' } as const)[op];
}
