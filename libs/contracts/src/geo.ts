import { z } from 'zod';

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

/** `[lon, lat]` in WGS 84. */
export const positionSchema = z.tuple([lon, lat]).meta({ id: 'Position', description: '`[lon, lat]` in WGS 84 (EPSG:4326).' });
export type Position = z.output<typeof positionSchema>;

export const pointGeometrySchema = z.object({ type: z.literal('Point'), coordinates: positionSchema }).meta({ id: 'PointGeometry' });

/** Area boundaries are stored as MultiPolygons. */
export const multiPolygonSchema = z
  .object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(z.array(z.array(z.number())))),
  })
  .meta({ id: 'MultiPolygon', description: 'A GeoJSON MultiPolygon in WGS 84.' });
export type MultiPolygonGeometry = z.output<typeof multiPolygonSchema>;
