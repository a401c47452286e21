import { distanceKm, type Point } from '../convex-polygon';
import { createRandom, randomNormal, type Random } from '../seeded-random';
import type { CitySite, ConstructionSite, Hospital, MetroStation, RoadLink, WaterloggingPoint } from './city-sites';
import { chinaClock, clamp, drift, normal, plateau, round, unit } from './city-time';
import { rainfallMm, waterDepthCm, windSpeed } from './city-weather';

/**
 * What each demo site reads at an instant. Pure functions of (seed, site, instant): the rhythm of
 * the day in Guangzhou time, slow drifts, seeded events, and a little jitter per reading, so the
 * simulator needs no state and tests can ask for any moment of any day.
 */

/** Tianhe's CBD: the old city and the CBD are denser, busier and more polluted. */
const DOWNTOWN: Point = [113.33, 23.12];

/** Jitter of one reading: its own stream per site and second. */
function jitter(seed: number, site: CitySite, at: Date, salt = ''): Random {
  return createRandom(seed, `${site.id}@${Math.floor(at.getTime() / 1000)}${salt}`);
}

/** 1 downtown, falling toward 0 twenty-odd kilometres out. */
function urbanity(site: CitySite): number {
  return 1 / (1 + (distanceKm(site.location, DOWNTOWN) / 12) ** 2);
}

// ---- air quality -------------------------------------------------------------------------------

/** China's PM2.5 breakpoints (HJ 633-2012, 24-hour concentrations, µg/m³) and their sub-index. */
const PM25_BREAKPOINTS: readonly [number, number][] = [
  [0, 0],
  [35, 50],
  [75, 100],
  [115, 150],
  [150, 200],
  [250, 300],
  [350, 400],
  [500, 500],
];

/** The air quality sub-index of a PM2.5 concentration (piecewise linear between breakpoints). */
export function pm25Aqi(pm25: number): number {
  for (let i = 1; i < PM25_BREAKPOINTS.length; i++) {
    const [c1, i1] = PM25_BREAKPOINTS[i];
    if (pm25 <= c1) {
      const [c0, i0] = PM25_BREAKPOINTS[i - 1];
      return i0 + ((i1 - i0) * (pm25 - c0)) / (c1 - c0);
    }
  }
  return 500;
}

export interface AirReading {
  aqi: number;
  pm25: number;
}

/**
 * PM2.5 around Guangzhou's usual 25–35 µg/m³: worse in the morning rush and the evening (traffic,
 * a low mixing layer), cleaner in the afternoon; a slow drift per district over hours and a
 * regional one over half a day (an episode lifts every district at once).
 */
export function airReading(seed: number, station: CitySite, at: Date): AirReading {
  const { hour } = chinaClock(at);
  const base = 22 + 10 * urbanity(station) + 4 * unit(seed, `${station.id}:base`);
  const rhythm = 1 + 0.4 * plateau(hour, 7.5, 9.5, 1.5) + 0.2 * plateau(hour, 20, 23, 2) - 0.25 * plateau(hour, 13, 16, 2);
  const drifts = Math.exp(0.3 * drift(seed, `air:${station.districtCode}`, at, 3 * 3600) + 0.3 * drift(seed, 'air:region', at, 12 * 3600));
  const local = Math.exp(0.08 * drift(seed, `air:${station.id}`, at, 900));
  const pm25 = clamp(base * rhythm * drifts * local * (1 + 0.03 * randomNormal(jitter(seed, station, at))), 3, 480);
  return { aqi: Math.round(pm25Aqi(pm25)), pm25: round(pm25, 1) };
}

// ---- road traffic ------------------------------------------------------------------------------

/**
 * Traffic demand against a road's capacity, by hour: rush hours 7:30–9:30 and 17:30–19:30 on
 * weekdays, busy daytime, empty roads at night; weekends have a softer, later day.
 */
export function trafficDemand(at: Date): number {
  const { hour, weekend } = chinaClock(at);
  if (weekend) return 0.08 + 0.45 * plateau(hour, 10, 20, 3);
  return 0.06 + 0.35 * plateau(hour, 7, 21, 2) + 0.55 * plateau(hour, 7.5, 9.5, 0.75) + 0.6 * plateau(hour, 17.5, 19.5, 0.75);
}

/**
 * 交通拥堵指数 (0–10) from speed over free-flow speed, as Chinese cities grade traffic:
 * 0–2 smooth, 2–4 mostly smooth, 4–6 light, 6–8 moderate, 8–10 heavy congestion.
 */
export function congestionIndex(speedRatio: number): number {
  const points: readonly [number, number][] = [
    [1, 0],
    [0.7, 2],
    [0.5, 4],
    [0.35, 6],
    [0.2, 8],
    [0, 10],
  ];
  const r = clamp(speedRatio, 0, 1);
  for (let i = 1; i < points.length; i++) {
    const [r1, s1] = points[i];
    if (r >= r1) {
      const [r0, s0] = points[i - 1];
      return s0 + ((s1 - s0) * (r0 - r)) / (r0 - r1);
    }
  }
  return 10;
}

const INCIDENT_SLOT_SECONDS = 30 * 60;
const INCIDENT_CHANCE = 0.006;

/** Speed factor of a crash or breakdown on the link: 0.3–0.5 for 15–40 minutes now and then, else 1. */
function incidentFactor(seed: number, link: RoadLink, at: Date): number {
  const slot = Math.floor(at.getTime() / 1000 / INCIDENT_SLOT_SECONDS);
  const label = `incident:${link.id}:${slot}`;
  if (unit(seed, label) >= INCIDENT_CHANCE) return 1;
  const random = createRandom(seed, `${label}:shape`);
  const start = slot * INCIDENT_SLOT_SECONDS + random() * INCIDENT_SLOT_SECONDS;
  const end = start + (15 + 25 * random()) * 60;
  const t = at.getTime() / 1000;
  return t >= start && t < end ? 0.3 + 0.2 * random() : 1;
}

export interface RoadReading {
  /** km/h */
  speed: number;
  /** 交通拥堵指数, 0–10 */
  tpi: number;
}

/**
 * Link speed by the BPR curve (speed = free flow / (1 + 0.15 (v/c)^4)) with demand from the hour,
 * heavier downtown and on some days, per link sensitivity and a 10-minute wander.
 */
export function roadReading(seed: number, link: RoadLink, at: Date): RoadReading {
  const { day } = chinaClock(at);
  const pressure = (0.75 + 0.45 * urbanity(link)) * Math.exp(0.12 * normal(seed, `traffic:${link.districtCode}:${day}`));
  const load = trafficDemand(at) * pressure * link.sensitivity * (1 + 0.08 * drift(seed, `traffic:${link.id}`, at, 600));
  const volumeToCapacity = 1.45 * Math.max(0, load);
  const ratio = (1 / (1 + 0.15 * volumeToCapacity ** 4)) * incidentFactor(seed, link, at);
  const speed = clamp(link.freeFlowKmh * ratio * (1 + 0.04 * randomNormal(jitter(seed, link, at))), 3, link.freeFlowKmh * 1.1);
  return { speed: round(speed, 1), tpi: round(congestionIndex(speed / link.freeFlowKmh), 1) };
}

// ---- rain and waterlogging ---------------------------------------------------------------------

/** Rain at a gauge over the `intervalSeconds` before `at`, mm (a tipping bucket's 0.1 mm steps). */
export function rainGaugeReading(seed: number, gauge: CitySite, at: Date, intervalSeconds: number): { rainfall: number } {
  return { rainfall: round(rainfallMm(seed, gauge.location, at, intervalSeconds), 1) };
}

/** Water depth at a waterlogging point, cm; under half a centimetre the sensor reads dry. */
export function waterloggingReading(seed: number, point: WaterloggingPoint, at: Date): { depth: number } {
  const depth = waterDepthCm(seed, point, at);
  return { depth: depth < 0.5 ? 0 : round(depth, 1) };
}

// ---- tower cranes ------------------------------------------------------------------------------

const LIFT_SLOT_SECONDS = 4 * 60;

/** Whether the site works at this hour: day shifts, a lunch break, an evening shift at some sites; no work on Sundays. */
export function craneWorking(site: ConstructionSite, at: Date): boolean {
  const { hour, weekday } = chinaClock(at);
  if (weekday === 0) return false;
  return (hour >= 7 && hour < 12) || (hour >= 13.5 && hour < 18) || (site.eveningShift && hour >= 18 && hour < 22);
}

export interface CraneReading {
  /** Load as % of the crane's rated load at its current radius. */
  load: number;
  /** m/s at the jib. */
  wind: number;
}

/**
 * While the site works, a lift is in progress in about half of its four-minute slots, mostly well
 * under the rating and now and then close to it; idle, the hook alone reads a few per cent.
 */
export function craneReading(seed: number, site: ConstructionSite, at: Date): CraneReading {
  const random = jitter(seed, site, at);
  const wind = clamp(windSpeed(seed, site.districtCode, site.location, at) * (1 + 0.08 * randomNormal(random)), 0, 60);
  const slot = Math.floor(at.getTime() / 1000 / LIFT_SLOT_SECONDS);
  const lift = createRandom(seed, `lift:${site.id}:${slot}`);
  let load = 2 + 2 * random();
  if (craneWorking(site, at) && lift() < 0.55) {
    const heavy = lift() < 0.004;
    load = heavy ? 88 + 16 * lift() : 25 + 55 * lift();
    load *= 1 + 0.01 * randomNormal(random);
  }
  return { load: round(clamp(load, 0, 150), 1), wind: round(wind, 1) };
}

// ---- metro -------------------------------------------------------------------------------------

/**
 * Share of a station's design flow, by hour: closed 23:30–6:00 (the last trains are gone), sharp
 * weekday peaks at 7:30–9:00 and 17:30–19:00, a flatter weekend.
 */
export function metroDemand(at: Date): number {
  const { hour, weekend } = chinaClock(at);
  const open = plateau(hour, 6.5, 23, 0.5);
  if (hour >= 23.5 || hour < 6) return 0;
  if (weekend) return open * (0.15 + 0.4 * plateau(hour, 10.5, 20, 2));
  return open * (0.15 + 0.15 * plateau(hour, 9.5, 17, 1) + 0.55 * plateau(hour, 7.75, 8.75, 0.6) + 0.5 * plateau(hour, 17.75, 18.75, 0.6));
}

export interface MetroReading {
  /** Entries in the last 5 minutes. */
  entries: number;
  /** Entries against the station's design flow, %. */
  crowding: number;
}

export function metroReading(seed: number, station: MetroStation, at: Date): MetroReading {
  const { day } = chinaClock(at);
  const busy = Math.exp(0.1 * normal(seed, `metro:${day}`) + 0.15 * drift(seed, `metro:${station.id}`, at, 1800));
  const entries = Math.max(
    0,
    Math.round(station.capacityPer5Min * metroDemand(at) * busy * (1 + 0.05 * randomNormal(jitter(seed, station, at)))),
  );
  return { entries, crowding: Math.round((100 * entries) / station.capacityPer5Min) };
}

// ---- emergency rooms ---------------------------------------------------------------------------

export interface ErReading {
  /** Patients waiting to be seen. */
  waiting: number;
  /** Median wait of the patients seen in the last hour, minutes. */
  waitMinutes: number;
}

/** Emergency-room load by hour: a morning bump, the evening peak (after work, children after school), quiet before dawn. */
export function erLoad(at: Date): number {
  const { hour } = chinaClock(at);
  return 0.5 + 0.3 * plateau(hour, 9, 11, 1.5) + 0.7 * plateau(hour, 19.5, 22, 2) - 0.25 * plateau(hour, 3, 6, 2);
}

export function erReading(seed: number, hospital: Hospital, at: Date): ErReading {
  const { day } = chinaClock(at);
  const busy = Math.exp(0.12 * normal(seed, `er:${day}`) + 0.22 * drift(seed, `er:${hospital.id}`, at, 2 * 3600));
  const random = jitter(seed, hospital, at);
  const waiting = Math.max(0, Math.round(14 * hospital.size * erLoad(at) * busy + 1.5 * randomNormal(random)));
  const waitMinutes = clamp(8 + (2.3 * waiting) / hospital.size + 2 * randomNormal(random), 3, 600);
  return { waiting, waitMinutes: Math.round(waitMinutes) };
}
