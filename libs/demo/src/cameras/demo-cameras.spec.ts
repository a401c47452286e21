import { cameraPropsSchema } from '@cityops/contracts';
import { areaKm2, type Point } from '../convex-polygon';
import { generateDemoCity } from '../demo-city.generator';
import { MARATHON_COURSE } from '../marathon-course';
import { DEMO_CAMERA_COUNT, generateDemoCameras, SEGMENT_CAMERAS } from './demo-cameras';

describe('the demo city’s cameras', () => {
  const cameras = generateDemoCameras();

  it('are 10,000 with unique ids, each a valid camera', () => {
    expect(cameras).toHaveLength(DEMO_CAMERA_COUNT);
    expect(new Set(cameras.map((c) => c.id)).size).toBe(DEMO_CAMERA_COUNT);
    const bad = cameras.filter((c) => !cameraPropsSchema.safeParse(c.props).success);
    expect(bad).toEqual([]);
  });

  it('put 3–6 along each course segment', () => {
    for (const segment of MARATHON_COURSE.segments) {
      const n = cameras.filter((c) => c.segment === segment.code).length;
      expect(n).toBeGreaterThanOrEqual(SEGMENT_CAMERAS.min);
      expect(n).toBeLessThanOrEqual(SEGMENT_CAMERAS.max);
    }
  });

  it('are the same for a seed on every run, and the course’s are left out without the course', () => {
    expect(generateDemoCameras().slice(0, 50)).toEqual(cameras.slice(0, 50));
    const without = generateDemoCameras(undefined, false);
    expect(without).toHaveLength(DEMO_CAMERA_COUNT);
    expect(without.some((c) => c.segment !== null)).toBe(false);
  });

  it('mix kinds and statuses, most online', () => {
    const online = cameras.filter((c) => c.props.status === 'online').length;
    expect(online / cameras.length).toBeGreaterThan(0.85);
    expect(new Set(cameras.map((c) => c.props.kind))).toEqual(new Set(['fixed', 'dome', 'body-worn']));
  });

  it('are denser downtown than in the hills, and every district has some', () => {
    const districts = generateDemoCity().filter((a) => a.level === 'district');
    const perKm2 = new Map(
      districts.map((d) => {
        const ring = d.geometry.coordinates[0][0].slice(0, -1).map(([x, y]): Point => [x, y]);
        const n = cameras.filter((c) => c.segment === null && c.props.name.startsWith(d.name)).length;
        return [d.code, n / areaKm2(ring)];
      }),
    );
    expect([...perKm2.values()].every((density) => density > 0)).toBe(true);
    // Yuexiu, the old city, against Conghua's mountains.
    expect(perKm2.get('440104')).toBeGreaterThan(10 * (perKm2.get('440117') ?? Infinity));
  });
});
