import {
  areaKm2,
  boundingBox,
  centroid,
  clipByHalfPlane,
  distanceKm,
  distanceKm2,
  insideConvex,
  powerCell,
  type HalfPlane,
  type Point,
} from './convex-polygon';
import type { DemoArea, DemoAreaLevel } from './demo-area';
import {
  CITY_OUTLINE,
  CORE_CUTS,
  CORE_SITE,
  CORE_WEIGHT,
  DEMO_CITY,
  DEMO_DISTRICTS,
  OUTER_SITES,
  type DemoDistrict,
} from './demo-city.districts';
import { snapPartitionToGrid } from './grid-snap';
import { apportion, createRandom, DEFAULT_DEMO_SEED, randomInt, type Random } from './seeded-random';

/** People per household in Guangzhou, roughly (2020 census). */
const PEOPLE_PER_HOUSEHOLD = 2.6;
/** Population weight falls off with distance from Tianhe's CBD, so grids downtown are denser. */
const DOWNTOWN: Point = [113.33, 23.12];
const DENSITY_HALF_DISTANCE_KM = 10;

interface Cell {
  code: string;
  name: string;
  nameEn: string;
  level: DemoAreaLevel;
  parentCode: string | null;
  ring: Point[];
  population: number;
}

/**
 * The demo geography of Guangzhou: the city, its 11 real districts (real codes, approximate
 * 2020-census populations) and generated streets, communities and grids. Shapes are convex
 * cells, every child inside its parent and siblings edge to edge, so maps and spatial joins
 * behave as with real data. Deterministic for a given seed.
 */
export function generateDemoCity(seed = DEFAULT_DEMO_SEED): readonly DemoArea[] {
  let city = cache.get(seed);
  if (!city) {
    city = buildDemoCity(seed);
    cache.set(seed, city);
  }
  return city;
}

/**
 * Building the city takes a few seconds at 20,000 grids, and the seeder, the monitoring sites and
 * the cameras each need it: one build per seed and process. The areas are never changed in place.
 */
const cache = new Map<number, readonly DemoArea[]>();

/** `generateDemoCity` without the cache. */
export function buildDemoCity(seed: number): DemoArea[] {
  const cityPopulation = DEMO_DISTRICTS.reduce((sum, d) => sum + d.population, 0);
  const city: Cell = {
    code: DEMO_CITY.code,
    name: DEMO_CITY.name,
    nameEn: DEMO_CITY.nameEn,
    level: 'city',
    parentCode: null,
    ring: CITY_OUTLINE.map((p): Point => [p[0], p[1]]),
    population: cityPopulation,
  };
  const out: Cell[] = [city];
  const districtRings = snapPartitionToGrid(
    DEMO_DISTRICTS.map((d) => districtCell(d.code)),
    city.ring,
  );
  DEMO_DISTRICTS.forEach((district, i) => {
    const cell: Cell = {
      code: district.code,
      name: district.name,
      nameEn: district.nameEn,
      level: 'district',
      parentCode: city.code,
      ring: districtRings[i],
      population: district.population,
    };
    out.push(cell);
    subdivideDistrict(cell, district, seed, out);
  });
  return out.map(toDemoArea);
}

/** The four old-city districts are cut from one core cell; see `CORE_CUTS`. */
function districtCell(code: string): Point[] {
  const outerCodes = Object.keys(OUTER_SITES);
  const sites: Point[] = [CORE_SITE, ...outerCodes.map((c) => OUTER_SITES[c])];
  const weights = [CORE_WEIGHT, ...outerCodes.map(() => 0)];
  const outerIndex = outerCodes.indexOf(code);
  if (outerIndex >= 0) return powerCell(CITY_OUTLINE, sites, outerIndex + 1, weights);

  const core = powerCell(CITY_OUTLINE, sites, 0, weights);
  const eastOfLiwan = clipByHalfPlane(core, leftOf(...CORE_CUTS.liwanEdge));
  const northOfRiver = clipByHalfPlane(eastOfLiwan, leftOf(...CORE_CUTS.pearlRiver));
  switch (code) {
    case '440103':
      return clipByHalfPlane(core, rightOf(...CORE_CUTS.liwanEdge));
    case '440105':
      return clipByHalfPlane(eastOfLiwan, rightOf(...CORE_CUTS.pearlRiver));
    case '440104':
      return clipByHalfPlane(northOfRiver, leftOf(...CORE_CUTS.guangzhouAvenue));
    case '440106':
      return clipByHalfPlane(northOfRiver, rightOf(...CORE_CUTS.guangzhouAvenue));
    default:
      throw new Error(`no demo geometry for district ${code}`);
  }
}

/** Keeps the points left of the directed line a → b (or on it). */
function leftOf(a: Point, b: Point): HalfPlane {
  return { nx: b[1] - a[1], ny: -(b[0] - a[0]), ox: a[0], oy: a[1], k: 0 };
}

function rightOf(a: Point, b: Point): HalfPlane {
  return leftOf(b, a);
}

/**
 * Guangzhou's scale: about 176 streets and towns (each district's real number, `DEMO_DISTRICTS`),
 * some 2,800 communities (社区 and villages, 12–20 a street) and over 20,000 grids (网格, 6–9 a
 * community), as the city's grid management counts them.
 */
export const COMMUNITIES_PER_STREET = { min: 12, max: 20 } as const;
export const GRIDS_PER_COMMUNITY = { min: 6, max: 9 } as const;

function subdivideDistrict(district: Cell, meta: DemoDistrict, seed: number, out: Cell[]): void {
  const shortEn = meta.nameEn.replace(/ District$/, '');
  const random = createRandom(seed, district.code);
  const streets = subdivide(district, meta.streets, random, (n) => ({
    code: `${district.code}${pad3(n)}`,
    name: `${district.name}第${n}街道`,
    nameEn: `${shortEn} Street ${n}`,
    level: 'street',
  }));
  for (const street of streets) {
    out.push(street);
    const streetRandom = createRandom(seed, street.code);
    const communities = subdivide(
      street,
      randomInt(streetRandom, COMMUNITIES_PER_STREET.min, COMMUNITIES_PER_STREET.max),
      streetRandom,
      (n) => ({
        code: `${street.code}${pad3(n)}`,
        name: `${street.name}第${n}社区`,
        nameEn: `${street.nameEn} Community ${n}`,
        level: 'community',
      }),
    );
    for (const community of communities) {
      out.push(community);
      const communityRandom = createRandom(seed, community.code);
      const grids = subdivide(
        community,
        randomInt(communityRandom, GRIDS_PER_COMMUNITY.min, GRIDS_PER_COMMUNITY.max),
        communityRandom,
        (n) => ({
          code: `${community.code}${pad3(n)}`,
          name: `${community.name}第${n}网格`,
          nameEn: `${community.nameEn} Grid ${n}`,
          level: 'grid',
        }),
      );
      out.push(...grids);
    }
  }
}

type Naming = Pick<Cell, 'code' | 'name' | 'nameEn' | 'level'>;

/**
 * Splits a parent into `count` Voronoi cells of well-spread seeds (best-candidate sampling plus
 * two Lloyd steps, so cells are chunky rather than slivers), numbered in reading order (north
 * to south in bands, west to east within a band), with the parent's population shared by
 * area and downtown proximity.
 */
function subdivide(parent: Cell, count: number, random: Random, naming: (n: number) => Naming): Cell[] {
  let seeds = spreadSeeds(parent.ring, count, random);
  for (let step = 0; step < 2; step++) {
    seeds = seeds.map((s, i) => {
      const cell = powerCell(parent.ring, seeds, i);
      return cell.length >= 3 ? centroid(cell) : s;
    });
  }
  seeds = readingOrder(seeds, parent.ring);
  const rings = snapPartitionToGrid(
    seeds.map((_, i) => powerCell(parent.ring, seeds, i)),
    parent.ring,
  );
  const weights = rings.map((ring) => {
    const proximity = 1 / (1 + distanceKm(centroid(ring), DOWNTOWN) / DENSITY_HALF_DISTANCE_KM);
    return areaKm2(ring) * proximity * (0.7 + 0.6 * random());
  });
  const populations = apportion(parent.population, weights);
  return rings.map((ring, i) => ({ ...naming(i + 1), parentCode: parent.code, ring, population: populations[i] }));
}

function spreadSeeds(ring: readonly Point[], count: number, random: Random): Point[] {
  const box = boundingBox(ring);
  const sample = (): Point => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const p: Point = [box.minX + random() * (box.maxX - box.minX), box.minY + random() * (box.maxY - box.minY)];
      if (insideConvex(ring, p)) return p;
    }
    return centroid(ring);
  };
  const seeds: Point[] = [sample()];
  while (seeds.length < count) {
    let best = sample();
    let bestDistance = -1;
    for (let c = 0; c < 12; c++) {
      const candidate = c === 0 ? best : sample();
      const d = Math.min(...seeds.map((s) => distanceKm2(s, candidate)));
      if (d > bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    seeds.push(best);
  }
  return seeds;
}

function readingOrder(seeds: Point[], ring: readonly Point[]): Point[] {
  const box = boundingBox(ring);
  const bands = Math.max(1, Math.round(Math.sqrt(seeds.length)));
  const bandHeight = (box.maxY - box.minY) / bands || 1;
  const band = (p: Point) => Math.min(bands - 1, Math.floor((box.maxY - p[1]) / bandHeight));
  return seeds.slice().sort((a, b) => band(a) - band(b) || a[0] - b[0]);
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

function toDemoArea(cell: Cell): DemoArea {
  const closed = [...cell.ring, cell.ring[0]].map(([x, y]) => [x, y]);
  return {
    code: cell.code,
    name: cell.name,
    nameEn: cell.nameEn,
    level: cell.level,
    parentCode: cell.parentCode,
    zoneSet: null,
    seq: null,
    capacity: null,
    population: cell.population,
    households: Math.round(cell.population / PEOPLE_PER_HOUSEHOLD),
    geometry: { type: 'MultiPolygon', coordinates: [[closed]] },
  };
}
