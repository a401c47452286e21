import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaView } from '@cityops/contracts';

export type Bounds = [[number, number], [number, number]];

function isPolygonal(value: unknown): value is Polygon | MultiPolygon {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return (type === 'Polygon' || type === 'MultiPolygon') && Array.isArray((value as { coordinates?: unknown }).coordinates);
}

/** Area geometry as GeoJSON (null when absent or not a polygon). */
export function areaGeometry(area: AreaView): Polygon | MultiPolygon | null {
  return isPolygonal(area.geometry) ? area.geometry : null;
}

export function featureCollection<G extends Geometry, P>(features: Feature<G, P>[]): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features };
}

function eachPosition(geometry: Polygon | MultiPolygon, visit: (p: Position) => void): void {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) for (const ring of polygon) for (const position of ring) visit(position);
}

/** Bounding box of the areas' geometries, or null when none has one. */
export function boundsOfAreas(areas: readonly AreaView[]): Bounds | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const area of areas) {
    const geometry = areaGeometry(area);
    if (!geometry) continue;
    eachPosition(geometry, ([lon, lat]) => {
      if (lon < west) west = lon;
      if (lon > east) east = lon;
      if (lat < south) south = lat;
      if (lat > north) north = lat;
    });
  }
  return Number.isFinite(west)
    ? [
        [west, south],
        [east, north],
      ]
    : null;
}
