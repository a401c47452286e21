import type { AreaView } from '@cityops/contracts';
import { areaGeometry } from './geo';

type Point = [number, number];

function vertices(area: AreaView): Point[] {
  const geometry = areaGeometry(area);
  if (!geometry) return [];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const points: Point[] = [];
  for (const polygon of polygons) for (const position of polygon[0] ?? []) points.push([position[0], position[1]]);
  return points;
}

function mean(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/** Squared distance in a local plane (longitude shrunk by the latitude's cosine): enough to compare. */
function far(from: Point): (a: Point, b: Point) => Point {
  const k = Math.cos((from[1] * Math.PI) / 180);
  const d = (p: Point) => ((p[0] - from[0]) * k) ** 2 + (p[1] - from[1]) ** 2;
  return (a, b) => (d(b) > d(a) ? b : a);
}

/**
 * Where an ordered zone set (a course's segments, first to last by `seq`) starts and finishes:
 * the outline point of the first zone farthest from the second zone, and of the last zone
 * farthest from the one before it (the tip of the course's end). A single zone: its two
 * outline points farthest apart. Null without zones with an outline.
 */
export function courseEnds(zones: readonly AreaView[]): { start: Point; finish: Point } | null {
  const ordered = zones
    .filter((z) => areaGeometry(z))
    .slice()
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  if (ordered.length === 0) return null;
  const first = vertices(ordered[0]);
  if (ordered.length === 1) {
    const start = first.reduce(far(mean(first)));
    return { start, finish: first.reduce(far(start)) };
  }
  const last = vertices(ordered[ordered.length - 1]);
  return {
    start: first.reduce(far(mean(vertices(ordered[1])))),
    finish: last.reduce(far(mean(vertices(ordered[ordered.length - 2])))),
  };
}
