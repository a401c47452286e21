import { cameraPropsSchema, entityRecordSchema, type EntityProfile } from '@cityops/contracts';
import { issuesText, problemErrors } from '@cityops/core';
import { geometryShapeProblem } from '@cityops/geo';
import { insideBounds, ownProps, unstorableReason } from './record-validator';

/** A GeoJSON geometry whose shape was checked. */
export interface EntityGeometry {
  type: string;
  coordinates: unknown[];
}

/** An entity state that passed every check that needs no database. */
export interface CheckedEntity {
  id: string;
  ts: string;
  props: Record<string, unknown>;
  /** The geometry, a `location` as a Point, or null for an entity without a place. */
  geometry: EntityGeometry | null;
  /** A point geometry's position, which tags it; other geometries get theirs from PostGIS. */
  point: [number, number] | null;
}

export type EntityVerdict = { ok: true; entity: CheckedEntity } | { ok: false; reason: string };

/** GeoJSON's "no place": a Feature (or an entity) with `"geometry": null` is an entity without one. */
function withoutNullGeometry(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { geometry?: unknown }).geometry !== null) return raw;
  const { geometry: _none, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/**
 * Checks one entity state: nothing PostgreSQL cannot store (NUL, lone surrogates, nesting past
 * MAX_JSON_DEPTH, times it cannot hold), the shared shape, a geometry shaped as GeoJSON
 * requires, a point inside the city. Whether a line or polygon is valid and inside the city is
 * PostGIS's to say, for each one apart.
 */
export function validateEntity(raw: unknown, bounds: [number, number, number, number]): EntityVerdict {
  const unstorable = unstorableReason(raw, 'entity');
  if (unstorable) return { ok: false, reason: unstorable };
  const parsed = entityRecordSchema.safeParse(withoutNullGeometry(raw));
  if (!parsed.success) {
    return { ok: false, reason: issuesText(parsed.error.issues, 'entity') };
  }
  const e = { ...parsed.data, props: ownProps(raw, parsed.data.props) };
  if (e.location && !insideBounds(e.location, bounds)) {
    return { ok: false, reason: `location: [${e.location.join(', ')}] is outside the city bounds` };
  }
  const geometry: EntityGeometry | null = e.geometry ?? (e.location ? { type: 'Point', coordinates: e.location } : null);
  let point: [number, number] | null = null;
  if (geometry) {
    const shape = geometryShapeProblem(geometry);
    if (shape) return { ok: false, reason: `geometry: ${shape}` };
    if (geometry.type === 'Point') {
      point = [geometry.coordinates[0] as number, geometry.coordinates[1] as number];
      if (!insideBounds(point, bounds)) return { ok: false, reason: 'geometry: outside the city bounds' };
    }
  }
  return { ok: true, entity: { id: e.id, ts: e.ts, props: e.props ?? {}, geometry, point } };
}

/**
 * A feed's profile asks more of an entity than its shape: a camera needs a point and props that
 * say what it is (name, heading, kind, status, where its frames are). Its props are stored as
 * parsed (name trimmed, a missing stream URL as null).
 */
export function checkProfile(verdict: EntityVerdict, profile: EntityProfile | null): EntityVerdict {
  if (!verdict.ok || profile !== 'camera') return verdict;
  const { entity } = verdict;
  const props = cameraPropsSchema.safeParse(entity.props);
  const reasons = props.success ? [] : problemErrors(props.error.issues, 'props').map((e) => `${e.path}: ${e.message}`);
  if (!entity.geometry || entity.geometry.type !== 'Point') reasons.unshift('location: a camera needs a point location');
  if (reasons.length || !props.success) return { ok: false, reason: reasons.join('; ') };
  return { ok: true, entity: { ...entity, props: props.data } };
}
