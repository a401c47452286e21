import { unstorableTextReason } from '@cityops/contracts';

export const GEOMETRY_TYPES = ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'] as const;
export type GeometryType = (typeof GEOMETRY_TYPES)[number];

/** `[lon, lat]` (a third number, the height, is allowed) on the globe. */
function isPosition(p: unknown): boolean {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    (p[0] as number) >= -180 &&
    (p[0] as number) <= 180 &&
    (p[1] as number) >= -90 &&
    (p[1] as number) <= 90
  );
}

const POSITION = 'a position is not [lon, lat] within -180..180, -90..90';

function positionsProblem(positions: unknown, min: number, tooFew: string): string | null {
  if (!Array.isArray(positions) || positions.length < min) return tooFew;
  return positions.every(isPosition) ? null : POSITION;
}

function lineProblem(line: unknown): string | null {
  return positionsProblem(line, 2, 'a line has fewer than 2 positions');
}

function polygonProblem(polygon: unknown): string | null {
  if (!Array.isArray(polygon) || polygon.length === 0) return 'a polygon has no rings';
  for (const ring of polygon) {
    const problem = positionsProblem(ring, 4, 'a ring has fewer than 4 positions');
    if (problem) return problem;
    const positions = ring as number[][];
    const [first, last] = [positions[0], positions[positions.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) return 'a ring is not closed (its last position must repeat its first)';
  }
  return null;
}

/** A sent `type` as a reason can quote it: short, and never the text of a whole object. */
function typeText(type: unknown): string {
  if (typeof type !== 'string')
    return type === undefined ? '(none)' : `(a ${type === null ? 'null' : Array.isArray(type) ? 'list' : typeof type})`;
  if (unstorableTextReason(type)) return '(text that cannot be stored)';
  return type.length > 40 ? `${type.slice(0, 40)}…` : type;
}

function listOf(types: readonly string[]): string {
  return types.length === 1 ? types[0] : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}

/**
 * Checks a GeoJSON geometry's shape before PostGIS sees it: a known type, and coordinates nested
 * as that type needs them, each position a pair of finite numbers on the globe, rings closed.
 * PostGIS refuses some of these with an error and silently reads others (`["a", "b"]` becomes
 * POINT(0 0)), so each is answered here with a reason; validity (self-intersections) is PostGIS's.
 */
export function geometryShapeProblem(geometry: unknown, types: readonly GeometryType[] = GEOMETRY_TYPES): string | null {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) return 'geometry is missing';
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (!types.includes(type as GeometryType)) return `geometry type ${typeText(type)} is not ${listOf(types)}`;
  if (!Array.isArray(coordinates) || coordinates.length === 0) return 'geometry has no coordinates';
  switch (type as GeometryType) {
    case 'Point':
      return isPosition(coordinates) ? null : POSITION;
    case 'LineString':
      return lineProblem(coordinates);
    case 'Polygon':
      return polygonProblem(coordinates);
    case 'MultiPoint':
      return positionsProblem(coordinates, 1, 'geometry has no coordinates');
    case 'MultiLineString':
      for (const line of coordinates) {
        const problem = lineProblem(line);
        if (problem) return problem;
      }
      return null;
    case 'MultiPolygon':
      for (const polygon of coordinates) {
        const problem = polygonProblem(polygon);
        if (problem) return problem;
      }
      return null;
  }
}
