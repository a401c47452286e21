import { z } from 'zod';

/** A layer drawn from vector tiles (big layers: every area of the city). */
export const vectorLayerViewSchema = z.object({
  key: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.literal('vector'),
  tiles: z.string(),
  sourceLayer: z.string(),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  featuresUrl: z.string(),
});

/** A small layer fetched whole as GeoJSON: one per zone set, coloured by its scene's indicator. */
export const geojsonLayerViewSchema = z.object({
  key: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.literal('geojson'),
  url: z.string(),
  zoneSet: z.string(),
  /** The indicator of the first scene that shows this zone set; null when no scene does. */
  indicator: z.string().nullable(),
  /** That scene's key, or null. */
  scene: z.string().nullable(),
});

export const layerViewSchema = z.discriminatedUnion('kind', [vectorLayerViewSchema, geojsonLayerViewSchema]);
/** One entry of `GET /api/layers`. */
export type LayerView = z.infer<typeof layerViewSchema>;
