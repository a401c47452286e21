import type { CameraKind, CameraStatus } from '@cityops/contracts';
import { pointInside } from '../city/city-sites';
import { areaKm2, KM_PER_DEG_LAT, KM_PER_DEG_LON, type Point } from '../convex-polygon';
import { DEMO_DISTRICTS } from '../demo-city.districts';
import { generateDemoCity } from '../demo-city.generator';
import { MARATHON_COURSE } from '../marathon-course';
import { apportion, createRandom, DEFAULT_DEMO_SEED, type Random } from '../seeded-random';

/** The number: cameras in the whole demo city, those along the course among them. */
export const DEMO_CAMERA_COUNT = 10_000;
/** Each course segment has between these many cameras, in its middle stretch. */
export const SEGMENT_CAMERAS = { min: 3, max: 6 } as const;
/**
 * No street camera stands this close to the course line, so a segment's panel (cameras within
 * 150 m of the zone, which is 30 m wide each side) shows its own 3–6 and not the street's.
 */
const COURSE_CLEARANCE_KM = 0.25;
/** Course cameras stand on the pavement, this far from the centre line. */
const PAVEMENT_KM = 0.015;
/** A grid's code is its community's (district 6, street 3, community 3 digits) and three more. */
const COMMUNITY_CODE_LENGTH = 12;

/** One camera as `PUT /api/feeds/:key/entities` takes it. */
export interface DemoCamera {
  id: string;
  location: [number, number];
  props: {
    name: string;
    nameEn: string;
    heading: number;
    kind: CameraKind;
    status: CameraStatus;
    snapshotUrl: string;
    streamUrl: null;
    demo: true;
  };
  /** The course segment it watches (its zone code), or null for a street camera. */
  segment: string | null;
}

const KIND_NAMES: Record<CameraKind, { zh: string; en: string }> = {
  fixed: { zh: '枪机', en: 'fixed camera' },
  dome: { zh: '球机', en: 'dome camera' },
  'body-worn': { zh: '执法记录仪', en: 'body-worn camera' },
};

type Xy = [number, number];
const toKm = ([lon, lat]: readonly number[]): Xy => [lon * KM_PER_DEG_LON, lat * KM_PER_DEG_LAT];
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const bearing = (dx: number, dy: number) => Math.round(((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360) % 360;

function kindOf(r: number): CameraKind {
  return r < 0.6 ? 'fixed' : r < 0.95 ? 'dome' : 'body-worn';
}

function statusOf(r: number): CameraStatus {
  return r < 0.93 ? 'online' : r < 0.98 ? 'offline' : 'fault';
}

/** Kilometres from a point to the course centre line. */
function courseDistanceKm(p: Xy, line: readonly Xy[]): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const l2 = dx * dx + dy * dy;
    const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2));
    best = Math.min(best, Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)));
  }
  return best;
}

/** The point `km` along the course, and the direction of travel there (unit vector, km frame). */
function alongCourse(line: readonly Xy[], km: number): { at: Xy; dir: Xy } {
  let left = km;
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (l > 0 && (left <= l || i === line.length - 1)) {
      const t = Math.min(1, left / l);
      return { at: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], dir: [(b[0] - a[0]) / l, (b[1] - a[1]) / l] };
    }
    left -= l;
  }
  throw new Error('the course has no length');
}

function camera(
  id: string,
  location: [number, number],
  kind: CameraKind,
  status: CameraStatus,
  heading: number,
  name: string,
  nameEn: string,
  segment: string | null,
): DemoCamera {
  return {
    id,
    location,
    props: { name, nameEn, heading, kind, status, snapshotUrl: `/api/cameras/cameras/${id}/snapshot`, streamUrl: null, demo: true },
    segment,
  };
}

/** 3–6 cameras per segment, spread over its middle 60 % and facing along the course. */
function courseCameras(seed: number, line: readonly Xy[]): DemoCamera[] {
  return MARATHON_COURSE.segments.flatMap((segment, s) => {
    const random = createRandom(seed, `camera:${segment.code}`);
    const n = SEGMENT_CAMERAS.min + Math.floor(random() * (SEGMENT_CAMERAS.max - SEGMENT_CAMERAS.min + 1));
    return Array.from({ length: n }, (_, j) => {
      const km = segment.startKm + (segment.endKm - segment.startKm) * (0.2 + (0.6 * (j + 0.5)) / n);
      const { at, dir } = alongCourse(line, km);
      const side = j % 2 === 0 ? 1 : -1;
      const p: Xy = [at[0] - side * dir[1] * PAVEMENT_KM, at[1] + side * dir[0] * PAVEMENT_KM];
      const location: [number, number] = [round6(p[0] / KM_PER_DEG_LON), round6(p[1] / KM_PER_DEG_LAT)];
      const kind: CameraKind = random() < 0.7 ? 'dome' : 'fixed';
      return camera(
        `cam-${segment.code}-${j + 1}`,
        location,
        kind,
        statusOf(random()),
        bearing(dir[0], dir[1]),
        `马拉松第${s + 1}段 ${j + 1}号${KIND_NAMES[kind].zh}`,
        `Marathon segment ${s + 1} ${KIND_NAMES[kind].en} ${j + 1}`,
        segment.code,
      );
    });
  });
}

interface CameraGrid {
  code: string;
  ring: Point[];
  weight: number;
}

function pickWeighted(grids: readonly CameraGrid[], total: number, random: Random): CameraGrid {
  let r = random() * total;
  for (const g of grids) {
    r -= g.weight;
    if (r < 0) return g;
  }
  return grids[grids.length - 1];
}

/**
 * The demo city's cameras, deterministically for a seed: the course's first (only when the
 * course is there), the rest over the communities and their grids by where people live plus a little
 * by land (denser downtown, a few in the hills), none within 250 m of the course line.
 */
export function generateDemoCameras(seed = DEFAULT_DEMO_SEED, withCourse = true): DemoCamera[] {
  const line = MARATHON_COURSE.line.map(toKm);
  const course = withCourse ? courseCameras(seed, line) : [];
  const districts = new Map(DEMO_DISTRICTS.map((d) => [d.code, d]));
  const grids: CameraGrid[] = generateDemoCity(seed)
    .filter((a) => a.level === 'grid')
    .map((a) => {
      const ring = a.geometry.coordinates[0][0].slice(0, -1).map(([x, y]): Point => [x, y]);
      return { code: a.code, ring, weight: (a.population ?? 0) + 300 * areaKm2(ring) };
    });
  const total = grids.reduce((sum, g) => sum + g.weight, 0);
  // The city has twice as many grids as cameras: shared out grid by grid, rounding would decide
  // who gets one (the grids with the largest shares, in the hills, and none downtown). So they are
  // shared out by community (a few each), and each lands in one of its grids drawn by weight.
  const communities = new Map<string, CameraGrid[]>();
  for (const g of grids) {
    const code = g.code.slice(0, COMMUNITY_CODE_LENGTH);
    communities.set(code, [...(communities.get(code) ?? []), g]);
  }
  const groups = [...communities.values()].map((members) => ({ members, weight: members.reduce((sum, g) => sum + g.weight, 0) }));
  const shares = apportion(
    DEMO_CAMERA_COUNT - course.length,
    groups.map((c) => c.weight),
  );
  const [minX, minY, maxX, maxY] = line.reduce(
    ([a, b, c, d], [x, y]) => [Math.min(a, x), Math.min(b, y), Math.max(c, x), Math.max(d, y)],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  const nearCourse = (lonLat: [number, number]): boolean => {
    const p = toKm(lonLat);
    const c = COURSE_CLEARANCE_KM;
    if (p[0] < minX - c || p[0] > maxX + c || p[1] < minY - c || p[1] > maxY + c) return false;
    return courseDistanceKm(p, line) < c;
  };
  const random = createRandom(seed, 'cameras');
  const street: DemoCamera[] = [];
  let owed = 0;
  const place = (grid: CameraGrid): boolean => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const location = pointInside(grid.ring, random);
      if (nearCourse(location)) continue;
      const district = districts.get(grid.code.slice(0, 6));
      const kind = kindOf(random());
      const n = String(street.length + 1).padStart(5, '0');
      street.push(
        camera(
          `cam-${n}`,
          location,
          kind,
          statusOf(random()),
          Math.floor(random() * 360),
          `${district?.name ?? ''}${KIND_NAMES[kind].zh}${n}`,
          `${district?.nameEn.replace(/ District$/, '') ?? ''} ${KIND_NAMES[kind].en} ${n}`.trim(),
          null,
        ),
      );
      return true;
    }
    return false;
  };
  groups.forEach((community, i) => {
    for (let k = 0; k < shares[i]; k++) if (!place(pickWeighted(community.members, community.weight, random))) owed++;
  });
  // A grid the course crosses end to end may have had no room: its cameras go to others, by weight.
  while (owed > 0) if (place(pickWeighted(grids, total, random))) owed--;
  return [...course, ...street];
}
