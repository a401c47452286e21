import { cameraPropsSchema } from '@cityops/contracts';
import { generateDemoCameras, type DemoCamera } from '../cameras/demo-cameras';
import { createMarathonRace } from '../marathon-crowd.simulator';
import { courseCameraStates, peopleInView } from './course-cameras';

const camera = (id: string, segment: string | null): DemoCamera => ({
  id,
  location: [113.3, 23.1],
  props: {
    name: id,
    nameEn: id,
    heading: 90,
    kind: 'dome',
    status: 'online',
    snapshotUrl: `/api/cameras/cameras/${id}/snapshot`,
    streamUrl: null,
    demo: true,
  },
  segment,
});

describe('the course cameras’ people counts', () => {
  it('gives each course camera a share of its zone’s headcount, the same for the same camera, and leaves street cameras out', () => {
    const at = new Date('2026-11-30T08:00:00Z');
    const states = courseCameraStates(
      [camera('cam-a-1', 'A'), camera('cam-a-2', 'A'), camera('cam-b-1', 'B'), camera('street-1', null)],
      [
        { code: 'A', headcount: 1000 },
        { code: 'C', headcount: 50 },
      ],
      at,
    );
    expect(states.map((s) => s.id)).toEqual(['cam-a-1', 'cam-a-2']);
    for (const s of states) {
      expect(s.ts).toBe(at.toISOString());
      expect(s.props.peopleInView).toBeGreaterThanOrEqual(100);
      expect(s.props.peopleInView).toBeLessThanOrEqual(300);
      // Still a camera as ingest checks it, its own props kept.
      expect(cameraPropsSchema.safeParse(s.props).success).toBe(true);
      expect(s.props).toMatchObject({ status: 'online', heading: 90 });
    }
    expect(peopleInView({ id: 'cam-a-1' }, 1000)).toBe(states[0].props.peopleInView);
    expect(peopleInView({ id: 'cam-a-1' }, 0)).toBe(0);
  });

  it('counts at every course camera the demo loads, from the race’s zones', () => {
    const cameras = generateDemoCameras().filter((c) => c.segment !== null);
    const race = createMarathonRace({ runners: 2000, startedAt: new Date(Date.now() - 7 * 60_000) });
    const states = courseCameraStates(cameras, race.headcounts(new Date()), new Date());
    expect(states).toHaveLength(cameras.length);
    expect(states.some((s) => Number(s.props.peopleInView) > 0)).toBe(true);
  });
});
