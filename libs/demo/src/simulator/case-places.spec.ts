import { DEMO_CASE_STREETS } from '../cases/demo-case-people';
import { insideConvex } from '../convex-polygon';
import { createRandom } from '../seeded-random';
import { caseSimulationPlaces, pointInGrid } from './case-places';

describe('where the simulated cases happen', () => {
  const places = caseSimulationPlaces();

  it('takes every grid of the simulated streets, and the street cameras standing in them', () => {
    expect(new Set(places.grids.map((g) => g.street))).toEqual(new Set(DEMO_CASE_STREETS));
    expect(places.grids.every((g) => g.code.startsWith(g.street) && g.code.length === 15)).toBe(true);
    expect(places.cameras.length).toBeGreaterThan(10);
  });

  it('places a case inside its grid, so the grid worker of the street may verify it', () => {
    const random = createRandom(5, 'places');
    for (const grid of places.grids.slice(0, 200)) expect(insideConvex(grid.ring, pointInGrid(random, grid), 1e-9)).toBe(true);
  });
});
