import { insideConvex, signedAreaDeg, type Point } from './convex-polygon';
import type { DemoArea } from './demo-area';
import { generateDemoCity } from './demo-city.generator';
import { generateMarathonCourse, MARATHON_CAPACITIES, MARATHON_COURSE } from './marathon-course';

type P = [number, number];

function openRing(area: DemoArea): P[] {
  return area.geometry.coordinates[0][0].slice(0, -1).map(([x, y]): P => [x, y]);
}

function orientation(a: P, b: P, c: P): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

function segmentsCross(a: P, b: P, c: P, d: P): boolean {
  return orientation(a, b, c) * orientation(a, b, d) < 0 && orientation(c, d, a) * orientation(c, d, b) < 0;
}

function selfIntersections(ring: readonly P[]): number {
  let found = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(ring[i], ring[(i + 1) % n], ring[j], ring[(j + 1) % n])) found++;
    }
  }
  return found;
}

function edgesCross(a: readonly P[], b: readonly P[]): boolean {
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (segmentsCross(a[i], a[(i + 1) % a.length], b[j], b[(j + 1) % b.length])) return true;
    }
  }
  return false;
}

/** Even–odd ray casting; only used on points well away from the other ring's boundary. */
function insideRing(ring: readonly P[], p: P): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function vertexMean(ring: readonly P[]): P {
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

describe('generateMarathonCourse', () => {
  const zones = generateMarathonCourse();
  const rings = zones.map(openRing);

  it('cuts the course into 21 numbered zones of the gz-marathon set', () => {
    expect(zones).toHaveLength(21);
    zones.forEach((zone, i) => {
      const n = i + 1;
      expect(zone).toMatchObject({
        code: `GZM-${String(n).padStart(2, '0')}`,
        name: `马拉松第${n}段`,
        nameEn: `Marathon segment ${n}`,
        level: 'zone',
        parentCode: null,
        zoneSet: 'gz-marathon',
        seq: n,
        population: null,
        households: null,
      });
      expect(Number.isInteger(zone.capacity)).toBe(true);
      expect((zone.capacity ?? 0) % 50).toBe(0);
    });
    expect(zones.map((z) => z.capacity)).toEqual(MARATHON_CAPACITIES);
    // The start zones hold whole waves.
    expect(MARATHON_CAPACITIES[0]).toBeGreaterThan(MARATHON_CAPACITIES[20] * 3);
    expect(generateMarathonCourse()).toEqual(zones);
  });

  it('is a marathon long and evenly split', () => {
    expect(MARATHON_COURSE.lengthKm).toBeGreaterThan(41);
    expect(MARATHON_COURSE.lengthKm).toBeLessThan(44);
    expect(Math.abs(MARATHON_COURSE.lengthKm - 42.195)).toBeLessThan(0.05);
    const segments = MARATHON_COURSE.segments;
    expect(segments.map((s) => s.code)).toEqual(zones.map((z) => z.code));
    expect(segments[0].startKm).toBe(0);
    expect(segments[20].endKm).toBeCloseTo(MARATHON_COURSE.lengthKm, 9);
    segments.forEach((s, i) => {
      expect(s.endKm - s.startKm).toBeGreaterThan(1.95);
      expect(s.endKm - s.startKm).toBeLessThan(2.07);
      if (i > 0) expect(s.startKm).toBe(segments[i - 1].endKm);
    });
  });

  it('draws every zone as a closed, simple, counter-clockwise ring', () => {
    for (const zone of zones) {
      const ring = zone.geometry.coordinates[0][0];
      expect(ring.length).toBeGreaterThanOrEqual(5);
      expect(ring[ring.length - 1]).toEqual(ring[0]);
    }
    expect(rings.map(selfIntersections)).toEqual(rings.map(() => 0));
    for (const ring of rings) expect(signedAreaDeg(ring)).toBeGreaterThan(0);
  });

  it('gives each zone a believable footprint: 2 km of road about 60 m wide', () => {
    const M2_PER_DEG2 = 102_470 * 110_770;
    for (const ring of rings) {
      const m2 = signedAreaDeg(ring) * M2_PER_DEG2;
      expect(m2).toBeGreaterThan(100_000);
      expect(m2).toBeLessThan(140_000);
    }
  });

  it('joins consecutive zones cap to cap and keeps the others apart', () => {
    for (let k = 0; k + 1 < rings.length; k++) {
      const here = rings[k];
      const next = rings[k + 1];
      const half = here.length / 2;
      // Right side runs forward, left side back: the end cap is here[half - 1] → here[half].
      expect([next[0], next[next.length - 1]]).toEqual([here[half - 1], here[half]]);
    }
    for (let i = 0; i < rings.length; i++) {
      for (let j = i + 2; j < rings.length; j++) {
        expect(edgesCross(rings[i], rings[j])).toBe(false);
        expect(insideRing(rings[i], rings[j][0]) || insideRing(rings[j], rings[i][0])).toBe(false);
      }
    }
  });

  it('runs through Tianhe, Yuexiu and Haizhu', () => {
    const city = generateDemoCity();
    const districts = ['440104', '440105', '440106'].map((code) => {
      const area = city.find((a) => a.code === code);
      return area ? openRing(area) : [];
    });
    for (const ring of rings) {
      const [x, y] = vertexMean(ring);
      expect(x).toBeGreaterThan(113.22);
      expect(x).toBeLessThan(113.4);
      expect(y).toBeGreaterThan(23.05);
      expect(y).toBeLessThan(23.16);
    }
    const line = MARATHON_COURSE.line as Point[];
    const inCentre = line.filter((p) => districts.some((d) => insideConvex(d, p, 1e-9))).length;
    expect(inCentre / line.length).toBeGreaterThan(0.95);
  });
});
