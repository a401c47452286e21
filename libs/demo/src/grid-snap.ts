import { dropDuplicates, signedAreaDeg, type Point } from './convex-polygon';

/** Output precision: 7 decimals, about 1 cm. */
const UNITS_PER_DEG = 1e7;
/** Vertices of sibling cells closer than this are one vertex computed twice. */
const WELD_TOLERANCE_DEG = 1e-10;

type IntPoint = [number, number];

function toUnits(p: Point): IntPoint {
  return [Math.round(p[0] * UNITS_PER_DEG), Math.round(p[1] * UNITS_PER_DEG)];
}

/**
 * Exact for integer units: differences stay below ~2e7 across the city, so every product is
 * below 2^53 and no rounding can hide a point that sits a hair outside.
 */
function insideUnits(ring: readonly IntPoint[], p: IntPoint): boolean {
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    if ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) < 0) return false;
  }
  return true;
}

function snapVertex(p: Point, parent: readonly IntPoint[]): IntPoint {
  const x = p[0] * UNITS_PER_DEG;
  const y = p[1] * UNITS_PER_DEG;
  const nearest: IntPoint = [Math.round(x), Math.round(y)];
  if (insideUnits(parent, nearest)) return nearest;
  // Nudge inwards: the nearest grid point that is still inside the (already snapped) parent.
  for (let r = 1; r <= 3; r++) {
    let best: IntPoint | undefined;
    let bestDistance = Infinity;
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) {
        const candidate: IntPoint = [nearest[0] + dx, nearest[1] + dy];
        const d = (candidate[0] - x) ** 2 + (candidate[1] - y) ** 2;
        if (d < bestDistance && insideUnits(parent, candidate)) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    if (best) return best;
  }
  let corner = parent[0];
  for (const v of parent) if ((v[0] - x) ** 2 + (v[1] - y) ** 2 < (corner[0] - x) ** 2 + (corner[1] - y) ** 2) corner = v;
  return corner;
}

/**
 * A vertex of one cell lying in the middle of a neighbour's edge (where the straight cuts of the
 * old city meet the core's edge) must become a vertex of that edge too; otherwise rounding moves
 * it off the edge and the two cells overlap by a sliver.
 */
function insertTJunctions(cell: readonly Point[], vertices: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < cell.length; i++) {
    const a = cell[i];
    const b = cell[(i + 1) % cell.length];
    out.push(a);
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const lengthSquared = ex * ex + ey * ey;
    if (lengthSquared === 0) continue;
    const between: { t: number; v: Point }[] = [];
    for (const v of vertices) {
      if (v === a || v === b) continue;
      const t = ((v[0] - a[0]) * ex + (v[1] - a[1]) * ey) / lengthSquared;
      if (t <= 0 || t >= 1) continue;
      const offLine = Math.abs(ex * (v[1] - a[1]) - ey * (v[0] - a[0])) / Math.sqrt(lengthSquared);
      if (offLine <= WELD_TOLERANCE_DEG) between.push({ t, v });
    }
    between.sort((p, q) => p.t - q.t);
    for (const { v } of between) out.push(v);
  }
  return out;
}

/**
 * Rounds a partition of `parent` to 7 decimals without breaking it. Siblings first agree on one
 * value for every shared vertex (welding), so they round it the same way and keep sharing the
 * edge; a vertex that would round to outside the parent moves to the nearest grid point inside,
 * so a child never pokes into a cousin across the parent's edge. `parent` must be on the grid.
 */
export function snapPartitionToGrid(cells: readonly (readonly Point[])[], parent: readonly Point[]): Point[][] {
  const parentUnits = parent.map(toUnits);
  const canonical: Point[] = parent.slice();
  const welded = cells.map((cell) =>
    cell.map((p) => {
      for (const c of canonical) {
        if (Math.abs(c[0] - p[0]) <= WELD_TOLERANCE_DEG && Math.abs(c[1] - p[1]) <= WELD_TOLERANCE_DEG) return c;
      }
      canonical.push(p);
      return p;
    }),
  );
  const stitched = welded.map((cell) => insertTJunctions(cell, canonical));
  const snapped = new Map<Point, Point>();
  for (const c of canonical) {
    const [ux, uy] = snapVertex(c, parentUnits);
    snapped.set(c, [ux / UNITS_PER_DEG, uy / UNITS_PER_DEG]);
  }
  return stitched.map((cell) => {
    const ring = dropDuplicates(
      cell.map((p) => snapped.get(p) ?? p),
      0,
    );
    return signedAreaDeg(ring) < 0 ? ring.reverse() : ring;
  });
}
