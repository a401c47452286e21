import { createRandom, hashSeed, randomNormal } from '../seeded-random';

/** China Standard Time has no daylight saving: Asia/Shanghai is always UTC+8. */
const CHINA_OFFSET_SECONDS = 8 * 3600;
const DAY_SECONDS = 86400;

/** The wall clock of Guangzhou at an instant, as the city's rhythms follow it. */
export interface ChinaClock {
  /** Hours since local midnight, fractional (7.5 is 07:30). */
  hour: number;
  /** Days since 1970-01-01 in local time: the label of a day's draws (a bad-air day, a busy day). */
  day: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  weekend: boolean;
}

export function chinaClock(at: Date): ChinaClock {
  const local = at.getTime() / 1000 + CHINA_OFFSET_SECONDS;
  const day = Math.floor(local / DAY_SECONDS);
  const hour = (local - day * DAY_SECONDS) / 3600;
  // 1970-01-01 was a Thursday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return { hour, day, weekday, weekend: weekday === 0 || weekday === 6 };
}

/**
 * 1 on [from, to] (hours of the day), easing to 0 over `ease` hours on both sides along a cosine,
 * so curves built from these have no steps for a chart to show.
 */
export function plateau(hour: number, from: number, to: number, ease: number): number {
  if (hour >= from && hour <= to) return 1;
  const gap = hour < from ? from - hour : hour - to;
  if (gap >= ease) return 0;
  return 0.5 * (1 + Math.cos((Math.PI * gap) / ease));
}

/** A deterministic uniform draw on [0, 1) for a label: one independent stream per label. */
export function unit(seed: number, label: string): number {
  return createRandom(seed, label)();
}

/** A deterministic standard normal draw for a label. */
export function normal(seed: number, label: string): number {
  return randomNormal(createRandom(seed, label));
}

/**
 * Smooth noise in time (value noise): a standard normal at every `periodSeconds` knot, blended
 * between knots along a smoothstep. Deterministic for (seed, label, instant), so any process
 * computes the same drift at the same moment without remembering anything.
 */
export function drift(seed: number, label: string, at: Date, periodSeconds: number): number {
  const t = at.getTime() / 1000 / periodSeconds;
  const k = Math.floor(t);
  const f = t - k;
  const s = f * f * (3 - 2 * f);
  const a = knot(seed, label, k);
  const b = knot(seed, label, k + 1);
  // Blending two independent normals shrinks the spread mid-way; dividing by the blend's norm keeps it 1.
  return (a * (1 - s) + b * s) / Math.sqrt((1 - s) * (1 - s) + s * s);
}

function knot(seed: number, label: string, k: number): number {
  return randomNormal(createRandom(hashSeed(seed, label), String(k)));
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
