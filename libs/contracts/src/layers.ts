import { z } from 'zod';
import { areaLevelSchema } from './areas';
import { multiPolygonSchema } from './geo';

/** A layer drawn from vector tiles (big layers: every area of the city). */
export const vectorLayerViewSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.literal('vector'),
    tiles: z.string().meta({ description: 'Tile URL template, `{z}/{x}/{y}`.' }),
    sourceLayer: z.string(),
    minzoom: z.number().int(),
    maxzoom: z.number().int(),
    featuresUrl: z.string().meta({ description: 'GeoJSON of the features in a box, `{bbox}` = minLon,minLat,maxLon,maxLat.' }),
  })
  .meta({ id: 'VectorLayerView', description: 'A big layer served as vector tiles.' });

/** A small layer fetched whole as GeoJSON: one per zone set, coloured by its scene's indicator. */
export const geojsonLayerViewSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.literal('geojson'),
    url: z.string(),
    zoneSet: z.string(),
    indicator: z
      .string()
      .nullable()
      .meta({ description: 'The indicator of the first scene that shows this zone set; null when no scene does.' }),
    scene: z.string().nullable().meta({ description: "That scene's key, or null." }),
  })
  .meta({ id: 'GeojsonLayerView', description: 'A small layer fetched whole as GeoJSON (a zone set).' });

export const layerViewSchema = z
  .discriminatedUnion('kind', [vectorLayerViewSchema, geojsonLayerViewSchema])
  .meta({ id: 'LayerView', description: 'A layer of the map: big ones as vector tiles, small live ones as GeoJSON.' });
/** One entry of `GET /api/layers`. */
export type LayerView = z.output<typeof layerViewSchema>;

export const layerKeyParamsSchema = z.object({ layer: z.string().max(100) });
export type LayerKeyParams = z.output<typeof layerKeyParamsSchema>;

export const tileParamsSchema = z
  .object({
    layer: z.string().max(100),
    z: z.coerce.number().int().min(0).max(22),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: 'not a tile of the web-mercator pyramid', path: ['z/x/y'] });
export type TileParams = z.output<typeof tileParamsSchema>;

export const bboxQuerySchema = z.object({
  bbox: z
    .string()
    .meta({ description: '`minLon,minLat,maxLon,maxLat`.' })
    .transform((s) => s.split(',').map(Number))
    .refine((b) => b.length === 4 && b.every(Number.isFinite) && b[0] < b[2] && b[1] < b[3], 'bbox is minLon,minLat,maxLon,maxLat')
    .transform((b) => b as [number, number, number, number]),
  level: areaLevelSchema.optional(),
  limit: z.coerce.number().int().min(1).max(20000).default(5000),
});
export type BboxQuery = z.output<typeof bboxQuerySchema>;

export const areaFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number().int(),
        geometry: multiPolygonSchema,
        properties: z.object({
          id: z.number().int(),
          code: z.string(),
          name: z.string(),
          level: areaLevelSchema,
          capacity: z.number().nullable(),
          population: z.number().nullable(),
          zoneSet: z.string().nullable(),
          seq: z.number().int().nullable(),
        }),
      }),
    ),
  })
  .meta({ id: 'AreaFeatureCollection', description: 'Areas as a GeoJSON FeatureCollection.' });
export type AreaFeatureCollection = z.output<typeof areaFeatureCollectionSchema>;
