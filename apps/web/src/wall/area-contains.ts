import type { AreaView } from '@cityops/contracts';
import { areaGeometry } from '../map/geo';

/** Ray casting over one ring; points on an edge may fall either way, which a wall can live with. */
function inRing(ring: readonly number[][], [x, y]: [number, number]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether the area's boundary holds the point (inside the outer ring and outside its holes). */
export function areaContains(area: AreaView, point: [number, number]): boolean {
  const geometry = areaGeometry(area);
  if (!geometry) return false;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(([outer, ...holes]) => inRing(outer, point) && !holes.some((hole) => inRing(hole, point)));
}
