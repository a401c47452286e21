import { generateDemoCameras, type DemoCamera } from '../cameras/demo-cameras';
import { CAMERAS_FEED } from '../demo-catalog';
import type { MarathonRace, SegmentHeadcount } from '../marathon-crowd.simulator';
import { createRandom, DEFAULT_DEMO_SEED } from '../seeded-random';
import { demoFeedSecret } from './feed-keys';
import { startFeedLoop, type RunningLoop, type SimulatorLogger } from './feed-loop';
import type { EntityStateInput } from './feed-poster';
import { SIMULATOR_TOKEN_NAME } from './simulator-token';

/**
 * The course cameras count people every seven minutes: often enough for a day's trend in
 * ten-minute buckets, few history rows (some 150 cameras, about 30,000 states a day), and not a
 * divisor of the race's 20-minute loop, so successive counts see every phase of it.
 */
export const COURSE_CAMERA_INTERVAL_MS = 7 * 60_000;
/** The share of its zone's crowd a course camera's view holds, drawn once per camera. */
const VIEW_SHARE = { min: 0.1, max: 0.3 } as const;

/** A course camera's people count: the share of its zone's headcount its view holds, a pure function of seed and camera. */
export function peopleInView(camera: Pick<DemoCamera, 'id'>, zoneHeadcount: number, seed = DEFAULT_DEMO_SEED): number {
  const share = VIEW_SHARE.min + (VIEW_SHARE.max - VIEW_SHARE.min) * createRandom(seed, `view:${camera.id}`)();
  return Math.round(zoneHeadcount * share);
}

/**
 * The course cameras' states at an instant, as their video analytics would push them: the
 * camera's own props (as the demo loaded them) and `peopleInView` from its zone's headcount.
 * A camera whose zone has no headcount is left out.
 */
export function courseCameraStates(
  cameras: readonly DemoCamera[],
  counts: readonly SegmentHeadcount[],
  at: Date,
  seed = DEFAULT_DEMO_SEED,
): EntityStateInput[] {
  const byZone = new Map(counts.map((c) => [c.code, c.headcount]));
  const ts = at.toISOString();
  return cameras.flatMap((camera) => {
    const headcount = camera.segment === null ? undefined : byZone.get(camera.segment);
    if (headcount === undefined) return [];
    return [
      { id: camera.id, ts, location: camera.location, props: { ...camera.props, peopleInView: peopleInView(camera, headcount, seed) } },
    ];
  });
}

export interface CourseCameraOptions {
  apiUrl: string;
  /** SIMULATOR_TOKEN; the cameras feed's key is derived from it. */
  simulatorToken: string;
  race: MarathonRace;
  logger: SimulatorLogger;
}

/**
 * Pushes the course cameras' states with their people counts every five minutes, with the
 * cameras feed's own key, so a course camera's popup has a day of counts to draw. A push
 * replaces a camera's whole state: a status an admin changed on a course camera goes back to
 * the demo's at the next push.
 */
export function startCourseCameras(options: CourseCameraOptions): RunningLoop {
  let cameras: DemoCamera[] | null = null;
  return startFeedLoop({
    apiUrl: options.apiUrl,
    feedKey: CAMERAS_FEED.key,
    token: demoFeedSecret(options.simulatorToken, CAMERAS_FEED.key),
    intervalMs: COURSE_CAMERA_INTERVAL_MS,
    offsetMs: 0,
    logger: options.logger,
    what: 'course camera people counts',
    unauthorizedHint:
      `the API refused the ${SIMULATOR_TOKEN_NAME} key of feed ${CAMERAS_FEED.key} (HTTP 401): it is derived from SIMULATOR_TOKEN ` +
      'and registered by `cli.js prepare` (run by npm start) when the marathon course is loaded; give the simulator the same ' +
      'SIMULATOR_TOKEN, or run prepare again',
    // The same generator that loaded the cameras (the demo's seed, course included), run once on the first tick.
    entities: (now) =>
      courseCameraStates((cameras ??= generateDemoCameras().filter((c) => c.segment !== null)), options.race.headcounts(now), now),
  });
}
