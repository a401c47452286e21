/** Polygons as rings of [lon, lat]; the first ring is the outer one, the rest are holes. */
export type Rings = number[][][];

function inRing(lon: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd ray casting over each polygon of a MultiPolygon (outer ring minus its holes). */
export function multiPolygonContains(polygons: Rings[], lon: number, lat: number): boolean {
  for (const rings of polygons) {
    if (rings.length && inRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lon, lat, hole))) return true;
  }
  return false;
}
