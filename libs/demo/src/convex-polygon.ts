/**
 * Small planar toolkit for the demo geometry. Everything works on [lon, lat] degrees but measures
 * in kilometres through a local equirectangular scale, which is accurate to well under 1 % across
 * Guangzhou and keeps every cut a straight line in both spaces (so convexity survives).
 */
export type Point = [number, number];

/** Kilometres per degree of longitude and latitude near 23.1° N. */
export const KM_PER_DEG_LON = 102.47;
export const KM_PER_DEG_LAT = 110.77;

/** Keeps the side where `nx * (x - ox) + ny * (y - oy) <= k`; anchored at `o` for precision. */
export interface HalfPlane {
  nx: number;
  ny: number;
  ox: number;
  oy: number;
  k: number;
}

function side(h: HalfPlane, p: Point): number {
  return h.nx * (p[0] - h.ox) + h.ny * (p[1] - h.oy) - h.k;
}

/** One Sutherland–Hodgman pass; the result of clipping a convex ring is convex (maybe empty). */
export function clipByHalfPlane(ring: readonly Point[], h: HalfPlane): Point[] {
  const out: Point[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    const fp = side(h, p);
    const fq = side(h, q);
    if (fp <= 0) out.push(p);
    if (fp <= 0 !== fq <= 0) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return dropDuplicates(out);
}

/** Removes consecutive repeats (including last == first) that clipping through a vertex leaves. */
export function dropDuplicates(ring: readonly Point[], tolerance = 1e-12): Point[] {
  const out: Point[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || Math.abs(last[0] - p[0]) > tolerance || Math.abs(last[1] - p[1]) > tolerance) out.push(p);
  }
  while (out.length > 1) {
    const a = out[0];
    const z = out[out.length - 1];
    if (Math.abs(a[0] - z[0]) > tolerance || Math.abs(a[1] - z[1]) > tolerance) break;
    out.pop();
  }
  return out;
}

/**
 * The half-plane of points at least as close to `a` as to `b` in the power distance
 * |x - a|² - weightA (kilometres², so weights are km²). With equal weights it is the plain
 * perpendicular bisector; weights let a small district keep a plausible size.
 */
export function powerHalfPlane(a: Point, b: Point, weightA = 0, weightB = 0): HalfPlane {
  const nx = 2 * KM_PER_DEG_LON * KM_PER_DEG_LON * (b[0] - a[0]);
  const ny = 2 * KM_PER_DEG_LAT * KM_PER_DEG_LAT * (b[1] - a[1]);
  return { nx, ny, ox: (a[0] + b[0]) / 2, oy: (a[1] + b[1]) / 2, k: weightA - weightB };
}

/** The power cell of `sites[index]` inside `container` (convex in, convex out). */
export function powerCell(container: readonly Point[], sites: readonly Point[], index: number, weights?: readonly number[]): Point[] {
  let cell: Point[] = container.slice();
  for (let j = 0; j < sites.length && cell.length >= 3; j++) {
    if (j === index) continue;
    cell = clipByHalfPlane(cell, powerHalfPlane(sites[index], sites[j], weights?.[index] ?? 0, weights?.[j] ?? 0));
  }
  return cell.length >= 3 ? cell : [];
}

/** Signed shoelace area in degrees² (positive when counter-clockwise). */
export function signedAreaDeg(ring: readonly Point[]): number {
  let sum = 0;
  const n = ring.length;
  // Relative to the first vertex, so large absolute longitudes do not eat the precision.
  const [x0, y0] = ring[0] ?? [0, 0];
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    sum += (p[0] - x0) * (q[1] - y0) - (q[0] - x0) * (p[1] - y0);
  }
  return sum / 2;
}

export function areaKm2(ring: readonly Point[]): number {
  return Math.abs(signedAreaDeg(ring)) * KM_PER_DEG_LON * KM_PER_DEG_LAT;
}

export function centroid(ring: readonly Point[]): Point {
  const [x0, y0] = ring[0];
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const px = p[0] - x0;
    const py = p[1] - y0;
    const qx = q[0] - x0;
    const qy = q[1] - y0;
    const cross = px * qy - qx * py;
    a += cross;
    cx += (px + qx) * cross;
    cy += (py + qy) * cross;
  }
  if (a === 0) return [x0, y0];
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

/** Squared distance in km². */
export function distanceKm2(a: Point, b: Point): number {
  const dx = (a[0] - b[0]) * KM_PER_DEG_LON;
  const dy = (a[1] - b[1]) * KM_PER_DEG_LAT;
  return dx * dx + dy * dy;
}

export function distanceKm(a: Point, b: Point): number {
  return Math.sqrt(distanceKm2(a, b));
}

export function boundingBox(ring: readonly Point[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

/** True when `p` is inside or on a counter-clockwise convex ring, within `tolerance` degrees. */
export function insideConvex(ring: readonly Point[], p: Point, tolerance = 0): boolean {
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const length = Math.hypot(ex, ey);
    if (length === 0) continue;
    const cross = (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / length;
    if (cross < -tolerance) return false;
  }
  return true;
}

/** Rounds to 1e-7° (about 1 cm), the precision the database and GeoJSON consumers keep. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}
