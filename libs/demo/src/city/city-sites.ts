import { areaKm2, boundingBox, centroid, type Point } from '../convex-polygon';
import type { DemoArea } from '../demo-area';
import { DEMO_DISTRICTS, type DemoDistrict } from '../demo-city.districts';
import { generateDemoCity } from '../demo-city.generator';
import { apportion, createRandom, DEFAULT_DEMO_SEED, type Random } from '../seeded-random';
import { round } from './city-time';

/** A place a demo feed measures: a monitoring station, a road link, a crane, a hospital… */
export interface CitySite {
  /** Stable entity id, e.g. `aq-440106-03`: the same for a given seed on every machine and run. */
  id: string;
  name: string;
  nameEn: string;
  districtCode: string;
  /** The grid it stands in (ingest finds the same one from the location). */
  gridCode: string;
  /** [lon, lat], inside its grid and so inside its district. */
  location: [number, number];
}

/** Road class decides the free-flow speed. */
export type RoadClass = 'expressway' | 'arterial' | 'secondary';

export interface RoadLink extends CitySite {
  roadClass: RoadClass;
  /** Speed at night with the road empty, km/h. */
  freeFlowKmh: number;
  /** How much this link slows in the rush (1 = the district's average). */
  sensitivity: number;
}

export interface WaterloggingPoint extends CitySite {
  /** Centimetres of water per millimetre of rain the drains cannot take (a low underpass collects a wide catchment). */
  cmPerMm: number;
  /** Rain intensity the drains keep up with, mm/h. */
  drainMmPerHour: number;
  /** How fast standing water drains once the rain eases (e-folding time), minutes. */
  drainMinutes: number;
}

export interface MetroStation extends CitySite {
  /** Entries per 5 minutes the station is designed for; crowding is entries against it. */
  capacityPer5Min: number;
}

export interface Hospital extends CitySite {
  /** Size of the emergency department relative to an average one. */
  size: number;
}

export interface ConstructionSite extends CitySite {
  /** Works the evening shift (18:00–22:00) too. */
  eveningShift: boolean;
}

export interface DemoCitySites {
  airStations: CitySite[];
  roadLinks: RoadLink[];
  rainGauges: CitySite[];
  waterloggingPoints: WaterloggingPoint[];
  cranes: ConstructionSite[];
  metroStations: MetroStation[];
  hospitals: Hospital[];
}

/** How many of each the demo city has (the numbers). */
export const CITY_SITE_COUNTS = {
  airStations: 50,
  roadLinks: 300,
  rainGauges: 40,
  waterloggingPoints: 80,
  cranes: 100,
  metroStations: 60,
  hospitals: 25,
} as const satisfies Record<keyof DemoCitySites, number>;

/** Where sites cluster: where people live, evenly over the land, or where the city is still being built. */
type Spread = 'people' | 'land' | 'building';

interface Placement {
  prefix: string;
  count: number;
  /** Every district gets at least this many, so every district has a value for every vital sign. */
  perDistrict: number;
  spread: Spread;
  name: (district: DemoDistrict, n: string) => string;
  nameEn: (districtEn: string, n: string) => string;
}

/** Districts where the city is still being built (new towns): more cranes there. */
const NEW_TOWNS = new Set(['440112', '440113', '440115', '440118', '440111']);

/**
 * Places the demo city's monitoring sites in its districts, deterministically for a seed: every
 * district gets a floor, the rest follows people (stations, hospitals), land (rain gauges) or
 * new towns (cranes); inside a district a grid is drawn by the same weight and the site lands at a
 * random point of it.
 */
export function generateCitySites(seed = DEFAULT_DEMO_SEED): DemoCitySites {
  let sites = cache.get(seed);
  if (!sites) {
    sites = placeCitySites(seed);
    cache.set(seed, sites);
  }
  return sites;
}

/** Placing takes a second (it generates the city's grids): the simulator and seeder share one placement per seed. */
const cache = new Map<number, DemoCitySites>();

/** `generateCitySites` without the cache. */
export function placeCitySites(seed: number): DemoCitySites {
  const geography = cityGeography(seed);
  const place = (p: Placement): CitySite[] => placeSites(geography, p, seed);
  const sites: DemoCitySites = {
    airStations: place({
      prefix: 'aq',
      count: CITY_SITE_COUNTS.airStations,
      perDistrict: 2,
      spread: 'people',
      name: (d, n) => `${d.name}空气质量监测站${n}`,
      nameEn: (d, n) => `${d} air station ${n}`,
    }),
    roadLinks: place({
      prefix: 'rd',
      count: CITY_SITE_COUNTS.roadLinks,
      perDistrict: 10,
      spread: 'people',
      name: (d, n) => `${d.name}路段${n}`,
      nameEn: (d, n) => `${d} road link ${n}`,
    }).map((site) => roadLink(site, seed)),
    rainGauges: place({
      prefix: 'rg',
      count: CITY_SITE_COUNTS.rainGauges,
      perDistrict: 2,
      spread: 'land',
      name: (d, n) => `${d.name}雨量站${n}`,
      nameEn: (d, n) => `${d} rain gauge ${n}`,
    }),
    waterloggingPoints: place({
      prefix: 'wl',
      count: CITY_SITE_COUNTS.waterloggingPoints,
      perDistrict: 3,
      spread: 'people',
      name: (d, n) => `${d.name}易涝点${n}`,
      nameEn: (d, n) => `${d} waterlogging point ${n}`,
    }).map((site) => waterloggingPoint(site, seed)),
    cranes: place({
      prefix: 'tc',
      count: CITY_SITE_COUNTS.cranes,
      perDistrict: 3,
      spread: 'building',
      name: (d, n) => `${d.name}在建工地${n}号塔吊`,
      nameEn: (d, n) => `${d} site ${n} tower crane`,
    }).map((site) => ({ ...site, eveningShift: createRandom(seed, `${site.id}:shift`)() < 0.25 })),
    metroStations: place({
      prefix: 'mt',
      count: CITY_SITE_COUNTS.metroStations,
      perDistrict: 1,
      spread: 'people',
      name: (d, n) => `${d.name}地铁站${n}`,
      nameEn: (d, n) => `${d} metro station ${n}`,
    }).map((site) => metroStation(site, seed)),
    hospitals: place({
      prefix: 'er',
      count: CITY_SITE_COUNTS.hospitals,
      perDistrict: 1,
      spread: 'people',
      name: (d, n) => `${d.name}医院${n}急诊`,
      nameEn: (d, n) => `${d} hospital ${n} emergency`,
    }).map((site) => ({ ...site, size: round(0.6 + 1.2 * createRandom(seed, `${site.id}:size`)(), 2) })),
  };
  return sites;
}

interface Grid {
  code: string;
  ring: Point[];
  population: number;
  areaKm2: number;
}

interface DistrictGeography {
  district: DemoDistrict;
  grids: Grid[];
  population: number;
  areaKm2: number;
}

function cityGeography(seed: number): DistrictGeography[] {
  const areas = generateDemoCity(seed);
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const districtOf = (area: DemoArea): string => {
    let current: DemoArea | undefined = area;
    while (current && current.level !== 'district') current = current.parentCode ? byCode.get(current.parentCode) : undefined;
    if (!current) throw new Error(`grid ${area.code} has no district`);
    return current.code;
  };
  const grids = new Map<string, Grid[]>();
  for (const area of areas) {
    if (area.level !== 'grid') continue;
    const ring = area.geometry.coordinates[0][0].slice(0, -1).map(([x, y]): Point => [x, y]);
    const list = grids.get(districtOf(area)) ?? [];
    list.push({ code: area.code, ring, population: area.population ?? 0, areaKm2: areaKm2(ring) });
    grids.set(districtOf(area), list);
  }
  return DEMO_DISTRICTS.map((district) => {
    const list = grids.get(district.code) ?? [];
    return {
      district,
      grids: list,
      population: district.population,
      areaKm2: list.reduce((sum, g) => sum + g.areaKm2, 0),
    };
  });
}

function districtWeight(d: DistrictGeography, spread: Spread): number {
  if (spread === 'land') return d.areaKm2;
  if (spread === 'building') return Math.sqrt(d.population * d.areaKm2) * (NEW_TOWNS.has(d.district.code) ? 2 : 1);
  return d.population;
}

function gridWeight(g: Grid, spread: Spread): number {
  return spread === 'land' ? g.areaKm2 : spread === 'building' ? Math.sqrt(g.population * g.areaKm2) : g.population;
}

function placeSites(geography: DistrictGeography[], p: Placement, seed: number): CitySite[] {
  const floor = p.perDistrict * geography.length;
  const extra = apportion(
    Math.max(0, p.count - floor),
    geography.map((d) => districtWeight(d, p.spread)),
  );
  return geography.flatMap((d, i) => {
    const random = createRandom(seed, `${p.prefix}:${d.district.code}`);
    const shortEn = d.district.nameEn.replace(/ District$/, '');
    return Array.from({ length: p.perDistrict + extra[i] }, (_, k): CitySite => {
      const n = String(k + 1).padStart(p.count >= 100 ? 3 : 2, '0');
      const grid = pickWeighted(d.grids, (g) => gridWeight(g, p.spread), random);
      return {
        id: `${p.prefix}-${d.district.code}-${n}`,
        name: p.name(d.district, n),
        nameEn: p.nameEn(shortEn, n),
        districtCode: d.district.code,
        gridCode: grid.code,
        location: pointInside(grid.ring, random),
      };
    });
  });
}

function pickWeighted<T>(items: readonly T[], weight: (item: T) => number, random: Random): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let r = random() * total;
  for (const item of items) {
    r -= weight(item);
    if (r < 0) return item;
  }
  return items[items.length - 1];
}

/**
 * A random point well inside the ring (not within a few metres of its edge, where the database's
 * point-in-polygon and ours could disagree), rounded as the database keeps it.
 */
export function pointInside(ring: readonly Point[], random: Random): [number, number] {
  const box = boundingBox(ring);
  const middle = centroid(ring);
  for (let attempt = 0; attempt < 200; attempt++) {
    const p: Point = [box.minX + random() * (box.maxX - box.minX), box.minY + random() * (box.maxY - box.minY)];
    // Pulled 10 % toward the centroid: inside a convex-ish cell, and away from its edges.
    const q: Point = [round(middle[0] + 0.9 * (p[0] - middle[0]), 6), round(middle[1] + 0.9 * (p[1] - middle[1]), 6)];
    if (insideRing(ring, q)) return q;
  }
  return [round(middle[0], 6), round(middle[1], 6)];
}

/** Even-odd ray casting; works for any simple ring, convex or not. */
export function insideRing(ring: readonly (readonly number[])[], p: readonly number[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Road classes with their share of the links and free-flow speed. */
const ROAD_CLASSES: readonly { roadClass: RoadClass; share: number; freeFlow: number; name: string; nameEn: string }[] = [
  { roadClass: 'expressway', share: 0.2, freeFlow: 75, name: '快速路', nameEn: 'expressway' },
  { roadClass: 'arterial', share: 0.5, freeFlow: 50, name: '主干道', nameEn: 'arterial' },
  { roadClass: 'secondary', share: 0.3, freeFlow: 35, name: '次干道', nameEn: 'secondary road' },
];

function roadClassOf(r: number): (typeof ROAD_CLASSES)[number] {
  let left = r;
  for (const cls of ROAD_CLASSES) {
    left -= cls.share;
    if (left < 0) return cls;
  }
  return ROAD_CLASSES[ROAD_CLASSES.length - 1];
}

function roadLink(site: CitySite, seed: number): RoadLink {
  const random = createRandom(seed, `${site.id}:road`);
  const cls = roadClassOf(random());
  return {
    ...site,
    name: site.name.replace('路段', `${cls.name}路段`),
    nameEn: site.nameEn.replace('road link', `${cls.nameEn} link`),
    roadClass: cls.roadClass,
    freeFlowKmh: round(cls.freeFlow * (0.9 + 0.2 * random()), 1),
    sensitivity: round(0.75 + 0.5 * random(), 2),
  };
}

function waterloggingPoint(site: CitySite, seed: number): WaterloggingPoint {
  const random = createRandom(seed, `${site.id}:water`);
  // Most points are mildly prone; a few underpasses and old streets collect a lot.
  const proneness = random() ** 2;
  return {
    ...site,
    cmPerMm: round(0.4 + 3.6 * proneness, 2),
    drainMmPerHour: round(18 + 20 * random(), 1),
    drainMinutes: round(8 + 12 * random(), 1),
  };
}

function metroStation(site: CitySite, seed: number): MetroStation {
  const random = createRandom(seed, `${site.id}:metro`);
  // A few interchange hubs, many ordinary stations.
  const hub = random() < 0.15;
  return { ...site, capacityPer5Min: Math.round((hub ? 2400 : 900) * (0.8 + 0.4 * random())) };
}
