import { distanceKm, type Point } from '../convex-polygon';
import { DEMO_DISTRICTS } from '../demo-city.districts';
import { createRandom } from '../seeded-random';
import type { WaterloggingPoint } from './city-sites';
import { drift, unit } from './city-time';

/**
 * Storms are drawn per slot of the clock: in each two-hour slot a storm cell forms with this
 * chance, somewhere over the city, so a demo watched for an afternoon sees one or two.
 */
export const STORM_SLOT_SECONDS = 2 * 3600;
export const STORM_CHANCE = 0.45;
const STORM_MINUTES: readonly [number, number] = [20, 40];
const STORM_PEAK_MM_PER_HOUR: readonly [number, number] = [35, 110];
const STORM_RADIUS_KM: readonly [number, number] = [7, 13];
const STORM_SPEED_KMH: readonly [number, number] = [10, 25];
/** Water keeps standing this long after the rain at most (several drain times), so depth looks back as far. */
const DEPTH_MEMORY_MINUTES = 120;

/** A convective storm cell: it forms, drifts over a few districts and rains out. */
export interface StormCell {
  startsAt: Date;
  endsAt: Date;
  /** Where the cell is when it starts, [lon, lat]. */
  origin: Point;
  /** Drift, km/h east and north. */
  velocityKmh: [number, number];
  peakMmPerHour: number;
  radiusKm: number;
}

/** The storm of a slot, if the slot has one: the same for every process that asks. */
export function stormOfSlot(seed: number, slot: number): StormCell | null {
  const random = createRandom(seed, `storm:${slot}`);
  if (random() >= STORM_CHANCE) return null;
  const minutes = STORM_MINUTES[0] + random() * (STORM_MINUTES[1] - STORM_MINUTES[0]);
  const slotStart = slot * STORM_SLOT_SECONDS * 1000;
  // Starts early enough in its slot to rain out before the next slot's storm could start.
  const startsAt = slotStart + random() * (STORM_SLOT_SECONDS * 1000 - minutes * 60_000 - 60_000);
  const district = DEMO_DISTRICTS[Math.floor(random() * DEMO_DISTRICTS.length)];
  const origin: Point = [district.centre[0] + (random() - 0.5) * 0.12, district.centre[1] + (random() - 0.5) * 0.12];
  const heading = random() * 2 * Math.PI;
  const speed = STORM_SPEED_KMH[0] + random() * (STORM_SPEED_KMH[1] - STORM_SPEED_KMH[0]);
  return {
    startsAt: new Date(startsAt),
    endsAt: new Date(startsAt + minutes * 60_000),
    origin,
    velocityKmh: [speed * Math.cos(heading), speed * Math.sin(heading)],
    peakMmPerHour: STORM_PEAK_MM_PER_HOUR[0] + random() * (STORM_PEAK_MM_PER_HOUR[1] - STORM_PEAK_MM_PER_HOUR[0]),
    radiusKm: STORM_RADIUS_KM[0] + random() * (STORM_RADIUS_KM[1] - STORM_RADIUS_KM[0]),
  };
}

/** Storms raining at some time in [from, to]. */
export function stormsBetween(seed: number, from: Date, to: Date): StormCell[] {
  const first = Math.floor(from.getTime() / 1000 / STORM_SLOT_SECONDS);
  const last = Math.floor(to.getTime() / 1000 / STORM_SLOT_SECONDS);
  const out: StormCell[] = [];
  for (let slot = first; slot <= last; slot++) {
    const storm = stormOfSlot(seed, slot);
    if (storm && storm.endsAt > from && storm.startsAt <= to) out.push(storm);
  }
  return out;
}

/** Where the cell's centre is at an instant. */
export function stormCentre(storm: StormCell, at: Date): Point {
  const hours = (at.getTime() - storm.startsAt.getTime()) / 3600_000;
  const [ve, vn] = storm.velocityKmh;
  return [storm.origin[0] + (ve * hours) / 102.47, storm.origin[1] + (vn * hours) / 110.77];
}

/** 0 outside the storm's life, 1 through its middle, easing in and out over its first and last fifth. */
function stormStrength(storm: StormCell, at: Date): number {
  const u = (at.getTime() - storm.startsAt.getTime()) / (storm.endsAt.getTime() - storm.startsAt.getTime());
  if (u <= 0 || u >= 1) return 0;
  const edge = Math.min(u, 1 - u) / 0.2;
  return edge >= 1 ? 1 : 0.5 * (1 - Math.cos(Math.PI * edge));
}

/** How strongly a storm reaches a place (1 under its centre), at an instant. */
export function stormReach(storm: StormCell, place: Point, at: Date): number {
  const strength = stormStrength(storm, at);
  if (strength === 0) return 0;
  const d = distanceKm(stormCentre(storm, at), place) / storm.radiusKm;
  return strength * Math.exp(-d * d);
}

/** Rain intensity at a place and instant, mm/h, given the storms around then. */
export function rainIntensity(storms: readonly StormCell[], place: Point, at: Date): number {
  return storms.reduce((sum, storm) => sum + storm.peakMmPerHour * stormReach(storm, place, at), 0);
}

/** Rain that fell at a place over [to − seconds, to], mm (integrated in 15-second steps). */
export function rainfallMm(seed: number, place: Point, to: Date, seconds: number): number {
  const from = new Date(to.getTime() - seconds * 1000);
  const storms = stormsBetween(seed, from, to);
  if (storms.length === 0) return 0;
  const steps = Math.max(1, Math.round(seconds / 15));
  const dt = seconds / steps;
  let mm = 0;
  for (let i = 0; i < steps; i++) {
    mm += (rainIntensity(storms, place, new Date(from.getTime() + (i + 0.5) * dt * 1000)) * dt) / 3600;
  }
  return mm;
}

/**
 * Standing water at a waterlogging point, cm: each minute's rain beyond what the drains take adds
 * depth, and the water drains away exponentially. A function of time alone, so it needs no state.
 */
export function waterDepthCm(seed: number, point: WaterloggingPoint, at: Date): number {
  const from = new Date(at.getTime() - DEPTH_MEMORY_MINUTES * 60_000);
  const storms = stormsBetween(seed, from, at);
  if (storms.length === 0) return 0;
  let depth = 0;
  for (let m = DEPTH_MEMORY_MINUTES; m >= 0; m--) {
    const minuteAt = new Date(at.getTime() - m * 60_000);
    const excessMmPerHour = rainIntensity(storms, point.location, minuteAt) - point.drainMmPerHour;
    if (excessMmPerHour > 0) depth += (point.cmPerMm * excessMmPerHour) / 60;
    depth *= Math.exp(-1 / point.drainMinutes);
  }
  return depth;
}

/**
 * Wind at crane height, m/s: a city-wide breeze drifting over hours, a district's own drift,
 * short gusts now and then (a few minutes in a district, seeded per 20-minute slot) and the
 * squalls a storm cell brings.
 */
export function windSpeed(seed: number, districtCode: string, place: Point, at: Date): number {
  const breeze = 4 + 1.5 * drift(seed, 'wind:city', at, 3 * 3600) + 0.8 * drift(seed, `wind:${districtCode}`, at, 3600);
  const gust = gustAt(seed, districtCode, at);
  const storms = stormsBetween(seed, at, at);
  const squall = storms.reduce((max, storm) => Math.max(max, 14 * stormReach(storm, place, at)), 0);
  return Math.max(0, breeze) + Math.max(gust, squall);
}

const GUST_SLOT_SECONDS = 20 * 60;
const GUST_CHANCE = 0.05;

/** Extra wind of a district's gust at an instant, m/s (0 mostly). */
export function gustAt(seed: number, districtCode: string, at: Date): number {
  const slot = Math.floor(at.getTime() / 1000 / GUST_SLOT_SECONDS);
  const label = `gust:${districtCode}:${slot}`;
  if (unit(seed, label) >= GUST_CHANCE) return 0;
  const random = createRandom(seed, `${label}:shape`);
  const minutes = 2 + 4 * random();
  const start = slot * GUST_SLOT_SECONDS + random() * (GUST_SLOT_SECONDS - minutes * 60);
  const u = (at.getTime() / 1000 - start) / (minutes * 60);
  if (u <= 0 || u >= 1) return 0;
  const peak = 6 + 10 * random();
  return peak * Math.sin(Math.PI * u);
}
