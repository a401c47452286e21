import { generateDemoCameras } from '../cameras/demo-cameras';
import { DEMO_CASE_STREETS } from '../cases/demo-case-people';
import { insideConvex, type Point } from '../convex-polygon';
import { generateDemoCity } from '../demo-city.generator';
import type { Random } from '../seeded-random';

export interface CaseGrid {
  code: string;
  street: string;
  /** The corners of the grid (convex, counter-clockwise, not closed). */
  ring: Point[];
}

export interface CasePlaces {
  grids: CaseGrid[];
  /** Cameras standing in the streets: where the video analysis sees problems. */
  cameras: { id: string; location: Point }[];
}

const ringOf = (geometry: { coordinates: number[][][][] }): Point[] =>
  geometry.coordinates[0][0].slice(0, -1).map(([lon, lat]) => [lon, lat] as Point);

/** The grids and cameras of the simulated streets, from the same generator that loaded the demo city. */
export function caseSimulationPlaces(streets: readonly string[] = DEMO_CASE_STREETS): CasePlaces {
  const city = generateDemoCity();
  const grids = city
    .filter((a) => a.level === 'grid')
    .flatMap((a) => {
      const street = streets.find((s) => a.code.startsWith(s));
      return street ? [{ code: a.code, street, ring: ringOf(a.geometry) }] : [];
    });
  const streetRings = city.filter((a) => a.level === 'street' && streets.includes(a.code)).map((a) => ringOf(a.geometry));
  const cameras = generateDemoCameras()
    .filter((c) => c.segment === null && streetRings.some((ring) => insideConvex(ring, c.location, -1e-6)))
    .map((c) => ({ id: c.id, location: c.location }));
  return { grids, cameras };
}

/** A point inside the grid: between its centre and a random corner (convex, so still inside). */
export function pointInGrid(random: Random, grid: CaseGrid): Point {
  const n = grid.ring.length;
  const centre: Point = [grid.ring.reduce((s, p) => s + p[0], 0) / n, grid.ring.reduce((s, p) => s + p[1], 0) / n];
  const corner = grid.ring[Math.floor(random() * n)];
  const t = random() * 0.6;
  return [round7(centre[0] + (corner[0] - centre[0]) * t), round7(centre[1] + (corner[1] - centre[1]) * t)];
}

/** A point within about `meters` of `p`. */
export function nearby(random: Random, p: readonly [number, number], meters: number): Point {
  const dLat = ((random() * 2 - 1) * meters) / 110_770;
  const dLon = ((random() * 2 - 1) * meters) / 102_470;
  return [round7(p[0] + dLon), round7(p[1] + dLat)];
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}
