import { KM_PER_DEG_LAT, KM_PER_DEG_LON, roundCoordinate } from './convex-polygon';
import type { DemoArea } from './demo-area';

export const MARATHON_ZONE_SET_KEY = 'gz-marathon';
export const MARATHON_DISTANCE_KM = 42.195;
export const MARATHON_SEGMENT_COUNT = 21;

/** Half the width of a zone: a closed six-lane road plus pavements. */
const HALF_WIDTH_KM = 0.03;
/** Corners are rounded with this radius so buffered zones never fold on the inside of a turn. */
const FILLET_RADIUS_KM = 0.08;
const MAX_ARC_STEP_RAD = Math.PI / 12;
/** A cut this close to a vertex moves onto it, so no zone starts with a sliver of an edge. */
const CUT_SNAP_KM = 0.01;

type LonLat = [number, number];

/**
 * A Guangzhou-Marathon-like route (not the official one, but on real streets):
 * out east from the Tianhe Sports Centre, back along Huangpu Avenue, west through the old city
 * on Zhongshan Road, over Haizhu Bridge, east across Haizhu on Xingang Road, back west along
 * the south bank (Canton Tower), over Haiyin Bridge to Ersha Island and Haixinsha, finishing at
 * Huacheng Square. It never runs the same street twice, so no two zones overlap.
 */
const WAYPOINTS: readonly LonLat[] = [
  [113.3245, 23.1372], // start: Tianhe Road at the Tianhe Sports Centre
  [113.333, 23.1368], // Tiyu East Road
  [113.342, 23.136], // Gangding
  [113.35, 23.134], // Zhongshan Avenue West
  [113.3585, 23.1318], // Shipai
  [113.359, 23.125], // down to Huangpu Avenue
  [113.345, 23.125], // Huangpu Avenue West
  [113.331, 23.1262], // Tiyu East Road
  [113.3125, 23.1258], // Guangzhou Avenue
  [113.3125, 23.1335], // Yangji
  [113.304, 23.132], // Zhongshan 1st Road
  [113.294, 23.129], // Dongshankou
  [113.285, 23.1275], // Zhongshan 3rd Road
  [113.27, 23.1265], // Beijing Road
  [113.264, 23.1263], // Gongyuanqian
  [113.2575, 23.1265], // Renmin Road
  [113.2575, 23.1192], // Yanjiang West Road
  [113.268, 23.1192], // Haizhu Bridge, north end
  [113.2685, 23.1125], // Haizhu Bridge, south end
  [113.27, 23.104], // Jiangnan Avenue
  [113.27, 23.0965], // Xingang West Road
  [113.285, 23.0965], // Sun Yat-sen University
  [113.3, 23.096], // Xingang Middle Road
  [113.32, 23.0955], // Kecun
  [113.345, 23.096], // Chigang
  [113.36865, 23.098], // Pazhou
  [113.36915, 23.1022], // Yuejiang Middle Road
  [113.357, 23.1032], // Yuejiang Middle Road
  [113.344, 23.1045], // Liede Bridge, south end
  [113.3245, 23.106], // Canton Tower
  [113.31, 23.1075], // Yuejiang West Road
  [113.2935, 23.109], // Haiyin Bridge, south end
  [113.293, 23.1135], // Ersha Island
  [113.305, 23.1138], // Ersha Island
  [113.315, 23.1135], // Ersha Island, east tip
  [113.3225, 23.113], // Haixinsha
  [113.3245, 23.1185], // finish: Huacheng Square
];

/** Local planar frame in km, good to well under 1 % over the course's 13 km. */
const ORIGIN: LonLat = [113.3, 23.11];
type Xy = [number, number];
const toXy = ([lon, lat]: LonLat): Xy => [(lon - ORIGIN[0]) * KM_PER_DEG_LON, (lat - ORIGIN[1]) * KM_PER_DEG_LAT];
const toLonLat = ([x, y]: Xy): LonLat => [ORIGIN[0] + x / KM_PER_DEG_LON, ORIGIN[1] + y / KM_PER_DEG_LAT];

const sub = (a: Xy, b: Xy): Xy => [a[0] - b[0], a[1] - b[1]];
const len = (v: Xy): number => Math.hypot(v[0], v[1]);
const unit = (v: Xy): Xy => {
  const l = len(v);
  return [v[0] / l, v[1] / l];
};

/** Replaces every corner by a circular arc (as short chords), as the road itself would turn. */
function filletCorners(points: readonly Xy[]): Xy[] {
  const out: Xy[] = [points[0]];
  for (let i = 1; i < points.length - 1; i++) {
    const a = points[i - 1];
    const b = points[i];
    const c = points[i + 1];
    const u1 = unit(sub(b, a));
    const u2 = unit(sub(c, b));
    const cross = u1[0] * u2[1] - u1[1] * u2[0];
    const turn = Math.atan2(cross, u1[0] * u2[0] + u1[1] * u2[1]);
    if (Math.abs(turn) < 1e-6) {
      out.push(b);
      continue;
    }
    const tangent = Math.min(FILLET_RADIUS_KM * Math.tan(Math.abs(turn) / 2), 0.45 * len(sub(b, a)), 0.45 * len(sub(c, b)));
    const radius = tangent / Math.tan(Math.abs(turn) / 2);
    const from: Xy = [b[0] - u1[0] * tangent, b[1] - u1[1] * tangent];
    const sideSign = Math.sign(turn);
    const centre: Xy = [from[0] - u1[1] * radius * sideSign, from[1] + u1[0] * radius * sideSign];
    const steps = Math.max(1, Math.ceil(Math.abs(turn) / MAX_ARC_STEP_RAD));
    const startAngle = Math.atan2(from[1] - centre[1], from[0] - centre[0]);
    for (let s = 0; s <= steps; s++) {
      const angle = startAngle + (turn * s) / steps;
      out.push([centre[0] + radius * Math.cos(angle), centre[1] + radius * Math.sin(angle)]);
    }
  }
  out.push(points[points.length - 1]);
  return out;
}

interface Cut {
  /** Index of the vertex the cut sits on, or of the edge's start when it falls inside an edge. */
  index: number;
  point: Xy;
  onVertex: boolean;
}

function cutAt(line: readonly Xy[], cumulative: readonly number[], km: number): Cut {
  for (let i = 0; i < line.length - 1; i++) {
    if (km > cumulative[i + 1]) continue;
    if (km - cumulative[i] <= CUT_SNAP_KM) return { index: i, point: line[i], onVertex: true };
    if (cumulative[i + 1] - km <= CUT_SNAP_KM) return { index: i + 1, point: line[i + 1], onVertex: true };
    const t = (km - cumulative[i]) / (cumulative[i + 1] - cumulative[i]);
    const a = line[i];
    const b = line[i + 1];
    return { index: i, point: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], onVertex: false };
  }
  return { index: line.length - 1, point: line[line.length - 1], onVertex: true };
}

/** Unit left normal of the line at a vertex: the mitre direction, scaled to keep the half-width. */
function offsetAt(line: readonly Xy[], index: number): Xy {
  const before = index > 0 ? unit(sub(line[index], line[index - 1])) : undefined;
  const after = index < line.length - 1 ? unit(sub(line[index + 1], line[index])) : undefined;
  const n1: Xy | undefined = before && [-before[1], before[0]];
  const n2: Xy | undefined = after && [-after[1], after[0]];
  if (!n1 || !n2) {
    const n = (n1 ?? n2) as Xy;
    return [n[0] * HALF_WIDTH_KM, n[1] * HALF_WIDTH_KM];
  }
  const m = unit([n1[0] + n2[0], n1[1] + n2[1]]);
  const scale = HALF_WIDTH_KM / (m[0] * n1[0] + m[1] * n1[1]);
  return [m[0] * scale, m[1] * scale];
}

function edgeOffset(a: Xy, b: Xy): Xy {
  const u = unit(sub(b, a));
  return [-u[1] * HALF_WIDTH_KM, u[0] * HALF_WIDTH_KM];
}

/** The zone of one stretch: the centre line offset both ways and closed counter-clockwise. */
function bufferStretch(line: readonly Xy[], from: Cut, to: Cut): LonLat[] {
  const centre: { p: Xy; off: Xy }[] = [];
  const startOff = from.onVertex ? offsetAt(line, from.index) : edgeOffset(line[from.index], line[from.index + 1]);
  centre.push({ p: from.point, off: startOff });
  for (let i = from.index + 1; i < to.index || (i === to.index && !to.onVertex); i++) {
    centre.push({ p: line[i], off: offsetAt(line, i) });
  }
  const endOff = to.onVertex ? offsetAt(line, to.index) : edgeOffset(line[to.index], line[to.index + 1]);
  centre.push({ p: to.point, off: endOff });
  const right = centre.map(({ p, off }): Xy => [p[0] - off[0], p[1] - off[1]]);
  const left = centre.map(({ p, off }): Xy => [p[0] + off[0], p[1] + off[1]]).reverse();
  return [...right, ...left].map(toLonLat).map(([lon, lat]): LonLat => [roundCoordinate(lon), roundCoordinate(lat)]);
}

function buildCourse() {
  const line = filletCorners(WAYPOINTS.map(toXy));
  const cumulative = [0];
  for (let i = 1; i < line.length; i++) cumulative.push(cumulative[i - 1] + len(sub(line[i], line[i - 1])));
  const lengthKm = cumulative[cumulative.length - 1];
  const cuts = Array.from({ length: MARATHON_SEGMENT_COUNT + 1 }, (_, k) =>
    cutAt(line, cumulative, (lengthKm * k) / MARATHON_SEGMENT_COUNT),
  );
  const kmOf = (cut: Cut): number => {
    if (cut.onVertex) return cumulative[cut.index];
    return cumulative[cut.index] + len(sub(cut.point, line[cut.index]));
  };
  const segments = cuts.slice(0, -1).map((from, k) => {
    const to = cuts[k + 1];
    return {
      code: `GZM-${String(k + 1).padStart(2, '0')}`,
      startKm: kmOf(from),
      endKm: kmOf(to),
      ring: bufferStretch(line, from, to),
    };
  });
  return {
    line: line.map(toLonLat).map(([lon, lat]): [number, number] => [roundCoordinate(lon), roundCoordinate(lat)]),
    lengthKm,
    segments,
  };
}

const built = buildCourse();

/**
 * The course centre line and where each zone starts and ends along it, so the crowd simulator
 * can place runners by distance.
 */
export const MARATHON_COURSE: {
  line: [number, number][];
  lengthKm: number;
  segments: { code: string; startKm: number; endKm: number }[];
} = {
  line: built.line,
  lengthKm: built.lengthKm,
  segments: built.segments.map(({ code, startKm, endKm }) => ({ code, startKm, endKm })),
};

/**
 * Crowd capacity per zone in people: the peak headcount of an undisturbed race with the
 * simulator's defaults (20,000 runners, default seed) divided by 0.65 and rounded to 50, so
 * normal flow peaks near 65 % everywhere. The start zones hold whole waves and get far more.
 * `marathon-crowd.simulator.spec.ts` recomputes them and fails if the course or the model drifts.
 */
export const MARATHON_CAPACITIES: readonly number[] = [
  16100, 12300, 10750, 9250, 8150, 7250, 6550, 6150, 5900, 5400, 5100, 4750, 4450, 4200, 4000, 3800, 3600, 3450, 3300, 3150, 3050,
];

/** The marathon as 21 zones of about 2 km each, GZM-01 at the start to GZM-21 at the finish. */
export function generateMarathonCourse(): DemoArea[] {
  return built.segments.map((segment, i) => ({
    code: segment.code,
    name: `马拉松第${i + 1}段`,
    nameEn: `Marathon segment ${i + 1}`,
    level: 'zone',
    parentCode: null,
    zoneSet: MARATHON_ZONE_SET_KEY,
    seq: i + 1,
    capacity: MARATHON_CAPACITIES[i],
    population: null,
    households: null,
    geometry: { type: 'MultiPolygon', coordinates: [[[...segment.ring, segment.ring[0]].map(([x, y]) => [x, y])]] },
  }));
}
