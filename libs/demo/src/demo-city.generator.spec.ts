import { clipByHalfPlane, KM_PER_DEG_LAT, KM_PER_DEG_LON, signedAreaDeg, type HalfPlane, type Point } from './convex-polygon';
import type { DemoArea } from './demo-area';
import { buildDemoCity, generateDemoCity } from './demo-city.generator';
import { DEFAULT_DEMO_SEED } from './seeded-random';

const LEVEL_ABOVE: Record<string, string> = { district: 'city', street: 'district', community: 'street', grid: 'community' };
/** Degrees; the generator guarantees exact containment on its 1e-7° grid, this only absorbs float noise. */
const INSIDE_TOLERANCE = 1e-9;
/** Degrees²; about 0.01 m², i.e. nothing but float noise. */
const OVERLAP_TOLERANCE = 1e-12;

function openRing(area: DemoArea): Point[] {
  const ring = area.geometry.coordinates[0][0];
  return ring.slice(0, -1).map(([x, y]) => [x, y]);
}

function distanceInside(ring: readonly Point[], p: Point): number {
  let min = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length === 0) continue;
    min = Math.min(min, ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / length);
  }
  return min;
}

/** Area of the intersection of two (near-)convex rings, by clipping one with the other's edges. */
function overlapArea(a: readonly Point[], b: readonly Point[]): number {
  let clipped: Point[] = a.slice();
  for (let i = 0; i < b.length && clipped.length >= 3; i++) {
    const p = b[i];
    const q = b[(i + 1) % b.length];
    const keepLeft: HalfPlane = { nx: q[1] - p[1], ny: -(q[0] - p[0]), ox: p[0], oy: p[1], k: 0 };
    clipped = clipByHalfPlane(clipped, keepLeft);
  }
  return clipped.length >= 3 ? Math.abs(signedAreaDeg(clipped)) : 0;
}

describe('generateDemoCity', () => {
  const areas = generateDemoCity();
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const rings = new Map(areas.map((a) => [a.code, openRing(a)]));
  const count = (level: string) => areas.filter((a) => a.level === level).length;

  it('has one city, the 11 real districts and Guangzhou’s numbers of streets, communities and grids', () => {
    expect(count('city')).toBe(1);
    expect(byCode.get('440100')?.name).toBe('广州市');
    expect(
      areas
        .filter((a) => a.level === 'district')
        .map((a) => a.code)
        .sort(),
    ).toEqual(['440103', '440104', '440105', '440106', '440111', '440112', '440113', '440114', '440115', '440117', '440118']);
    expect(byCode.get('440106')?.name).toBe('天河区');
    // Real Guangzhou: about 170 streets and towns, 2,800 communities, 20,000 grids.
    expect(count('street')).toBeGreaterThanOrEqual(170);
    expect(count('community')).toBeGreaterThanOrEqual(2700);
    expect(count('grid')).toBeGreaterThanOrEqual(20_000);
    expect(count('grid')).toBeLessThanOrEqual(25_000);
    expect(count('zone')).toBe(0);
  });

  it('is deterministic for a seed and varies with it', () => {
    // Compared as text: jest's deep equality over 24,000 areas takes seconds.
    const text = JSON.stringify(areas);
    expect(JSON.stringify(buildDemoCity(DEFAULT_DEMO_SEED)) === text).toBe(true);
    expect(generateDemoCity()).toBe(areas);
    const other = buildDemoCity(7);
    expect(other.filter((a) => a.level === 'district')).toEqual(areas.filter((a) => a.level === 'district'));
    expect(JSON.stringify(other) === text).toBe(false);
  });

  it('uses unique codes and links every area to a parent one level up', () => {
    expect(byCode.size).toBe(areas.length);
    // Problems are collected and compared once: an expect per area costs seconds at this scale.
    const problems: string[] = [];
    for (const area of areas) {
      if (area.level === 'city') {
        if (area.parentCode !== null) problems.push(`${area.code}: the city has a parent`);
        continue;
      }
      const parent = byCode.get(area.parentCode ?? '');
      if (parent?.level !== LEVEL_ABOVE[area.level])
        problems.push(`${area.code}: parent ${area.parentCode} is not a ${LEVEL_ABOVE[area.level]}`);
      if (!area.code.startsWith(area.level === 'district' ? '4401' : (parent?.code ?? '?')))
        problems.push(`${area.code}: not under its parent's code`);
      if (area.zoneSet !== null) problems.push(`${area.code}: in a zone set`);
    }
    expect(problems).toEqual([]);
  });

  it('writes closed, counter-clockwise rings with 7-decimal coordinates', () => {
    const problems: string[] = [];
    for (const area of areas) {
      if (area.geometry.type !== 'MultiPolygon' || area.geometry.coordinates.length !== 1) problems.push(`${area.code}: not one polygon`);
      const ring = area.geometry.coordinates[0][0];
      if (ring.length < 4) problems.push(`${area.code}: ${ring.length} points`);
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${area.code}: not closed`);
      if (!(signedAreaDeg(openRing(area)) > 0)) problems.push(`${area.code}: clockwise`);
      if (ring.flat().some((v) => Math.abs(v * 1e7 - Math.round(v * 1e7)) > 1e-6)) problems.push(`${area.code}: off the 1e-7° grid`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps every child inside its parent', () => {
    let worst = Infinity;
    for (const area of areas) {
      if (!area.parentCode) continue;
      const parent = rings.get(area.parentCode) ?? [];
      for (const p of rings.get(area.code) ?? []) worst = Math.min(worst, distanceInside(parent, p));
    }
    expect(worst).toBeGreaterThanOrEqual(-INSIDE_TOLERANCE);
  });

  it('never overlaps siblings, at any level', () => {
    const siblings = new Map<string, string[]>();
    for (const area of areas) {
      if (!area.parentCode) continue;
      siblings.set(area.parentCode, [...(siblings.get(area.parentCode) ?? []), area.code]);
    }
    let pairs = 0;
    let worst = 0;
    for (const codes of siblings.values()) {
      for (let i = 0; i < codes.length; i++) {
        for (let j = i + 1; j < codes.length; j++) {
          worst = Math.max(worst, overlapArea(rings.get(codes[i]) ?? [], rings.get(codes[j]) ?? []));
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(5000);
    expect(worst).toBeLessThanOrEqual(OVERLAP_TOLERANCE);
  });

  it('tiles each parent with its children, up to the rounding strip along its edge', () => {
    const childArea = new Map<string, number>();
    for (const area of areas) {
      if (!area.parentCode) continue;
      childArea.set(area.parentCode, (childArea.get(area.parentCode) ?? 0) + signedAreaDeg(rings.get(area.code) ?? []));
    }
    for (const [code, sum] of childArea) {
      const ring = rings.get(code) ?? [];
      const own = signedAreaDeg(ring);
      const perimeter = ring.reduce(
        (s, p, i) => s + Math.hypot(ring[(i + 1) % ring.length][0] - p[0], ring[(i + 1) % ring.length][1] - p[1]),
        0,
      );
      // Children are rounded inwards where they meet the parent's edge: a strip under 1e-7° wide.
      expect(Math.abs(sum - own)).toBeLessThanOrEqual(perimeter * 1e-7);
    }
  });

  it('shares population out exactly and derives households', () => {
    const sums = new Map<string, number>();
    const problems: string[] = [];
    for (const area of areas) {
      const population = area.population ?? 0;
      if (!Number.isInteger(population) || population <= 0) problems.push(`${area.code}: population ${area.population}`);
      if (area.households !== Math.round(population / 2.6)) problems.push(`${area.code}: households ${area.households}`);
      if (area.parentCode) sums.set(area.parentCode, (sums.get(area.parentCode) ?? 0) + population);
    }
    for (const [code, sum] of sums) if (sum !== byCode.get(code)?.population) problems.push(`${code}: children sum to ${sum}`);
    expect(problems).toEqual([]);
    expect(byCode.get('440111')?.population).toBeGreaterThan(3_700_000);
    expect(byCode.get('440100')?.population).toBeGreaterThan(18_600_000);
  });

  it('spreads people plausibly: about a thousand a grid, far denser downtown than in the hills', () => {
    const grids = areas.filter((a) => a.level === 'grid');
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const density = (district: string) =>
      median(
        grids
          .filter((g) => g.code.startsWith(district))
          .map((g) => (g.population ?? 0) / (Math.abs(signedAreaDeg(openRing(g))) * KM_PER_DEG_LON * KM_PER_DEG_LAT)),
      );
    const perGrid = median(grids.map((g) => g.population ?? 0));
    expect(perGrid).toBeGreaterThan(300);
    expect(perGrid).toBeLessThan(3000);
    // Yuexiu (old city) against Conghua (mountains in the north): people per km² in a typical grid.
    expect(density('440104')).toBeGreaterThan(10 * density('440117'));
    expect(density('440104')).toBeGreaterThan(10_000);
  });

  it('puts the districts roughly where they are', () => {
    const centre = (code: string): Point => {
      const ring = rings.get(code) ?? [];
      return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    };
    const [yuexiuX, yuexiuY] = centre('440104');
    const [haizhuX, haizhuY] = centre('440105');
    const [tianheX] = centre('440106');
    const [, conghuaY] = centre('440117');
    const [, nanshaY] = centre('440115');
    expect(haizhuY).toBeLessThan(yuexiuY);
    expect(tianheX).toBeGreaterThan(yuexiuX);
    expect(haizhuX).toBeGreaterThan(113.25);
    expect(conghuaY).toBeGreaterThan(23.5);
    expect(nanshaY).toBeLessThan(22.9);
  });
});
