import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { LayerView } from '@cityops/contracts';

/**
 * Export of what is in view: the visible layers' features inside the map's box, fetched from the
 * OGC API – Features items (the same features GIS clients read), written as one GeoJSON
 * FeatureCollection or as CSV. Pure functions here; the page fetches and downloads.
 */

export type Bbox = [number, number, number, number];

/** The OGC collections behind a catalog layer; empty when it has none (heat layers are aggregates of readings). */
export function ogcCollectionsOf(layer: LayerView): string[] {
  if (layer.kind === 'geojson') return [`zones-${layer.zoneSet}`];
  // A live layer of an entity feed is that feed's collection; a reading feed's sensors have none.
  // Cases are not among the OGC collections (their sight is the caller's; the /cases page lists them).
  if (layer.kind === 'cases') return [];
  if (layer.kind === 'live') return layer.feedKind === 'entity' ? [`feed-${layer.feed}`] : [];
  if (layer.key === 'areas') return ['areas-district', 'areas-street', 'areas-community', 'areas-grid'];
  if (/^areas-(district|street|community|grid)$/.test(layer.key)) return [layer.key];
  if (layer.key.startsWith('entities-')) return [`feed-${layer.key.slice('entities-'.length)}`];
  return [];
}

/** A feature of the export: the layer and collection it came from are added to its properties. */
export type ExportFeature = Feature<Geometry | null, Record<string, unknown>>;

export function tagFeatures(features: readonly Feature[], layer: string, collection: string): ExportFeature[] {
  return features.map((f) => ({
    type: 'Feature',
    id: f.id,
    geometry: f.geometry,
    properties: { layer, collection, ...(f.properties ?? {}) },
  }));
}

export function toFeatureCollection(features: readonly ExportFeature[], bbox: Bbox): FeatureCollection<Geometry | null> & { bbox: Bbox } {
  return { type: 'FeatureCollection', bbox, features: [...features] };
}

function positions(geometry: Geometry | null): Position[] {
  if (!geometry) return [];
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    case 'GeometryCollection':
      return geometry.geometries.flatMap(positions);
  }
}

/** The box around a geometry, or null without one. */
export function geometryBbox(geometry: Geometry | null): Bbox | null {
  const all = positions(geometry);
  if (all.length === 0) return null;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Whether two boxes meet (touching counts, as the OGC API's bbox filter does). */
export function boxesMeet(a: Bbox, b: Bbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** A point for the CSV's lon/lat: a point's own position, else the centre of the geometry's box. */
function anchor(geometry: Geometry | null): [number, number] | null {
  if (geometry?.type === 'Point') return [geometry.coordinates[0], geometry.coordinates[1]];
  const box = geometryBbox(geometry);
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null;
}

const FIRST_COLUMNS = ['layer', 'collection', 'id', 'code', 'name', 'level'] as const;

/**
 * A CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`, tab, CR at the start) gets a leading `'`: exported names come from outside feeds.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per feature: the common columns, lon/lat, the geometry type, then every other property found. */
export function toCsv(features: readonly ExportFeature[]): string {
  const extra = new Set<string>();
  for (const f of features) for (const key of Object.keys(f.properties ?? {})) extra.add(key);
  for (const key of FIRST_COLUMNS) extra.delete(key);
  const others = [...extra].sort();
  const header = [...FIRST_COLUMNS, 'lon', 'lat', 'geometry_type', ...others];
  const rows = features.map((f) => {
    const p = f.properties ?? {};
    const at = anchor(f.geometry);
    const id = p.id ?? f.id;
    return [
      ...FIRST_COLUMNS.map((c) => (c === 'id' ? id : p[c])),
      at ? Number(at[0].toFixed(6)) : null,
      at ? Number(at[1].toFixed(6)) : null,
      f.geometry?.type ?? null,
      ...others.map((c) => p[c]),
    ]
      .map(csvCell)
      .join(',');
  });
  // A byte-order mark so that spreadsheet programs read the Chinese names as UTF-8.
  return `\uFEFF${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
