import { z } from 'zod';
import { areaLevelSchema } from './areas';
import { multiPolygonSchema } from './geo';
import { liveLayerViewSchema } from './live-layers';

/**
 * The themes of the layer catalog, in the order the map lists them. A feed's theme key outside
 * this list (`general` and any other) falls under `general`.
 */
export const LAYER_THEMES = [
  { key: 'base', name: '基础地理', nameEn: 'Base geography' },
  { key: 'emergency', name: '应急', nameEn: 'Emergency' },
  { key: 'traffic', name: '交通', nameEn: 'Traffic' },
  { key: 'environment', name: '生态环境', nameEn: 'Ecology and environment' },
  { key: 'water', name: '水务', nameEn: 'Water' },
  { key: 'urban_management', name: '城管', nameEn: 'Urban management' },
  { key: 'construction', name: '住房建设', nameEn: 'Housing and construction' },
  { key: 'public_services', name: '民生服务', nameEn: 'Public services' },
  { key: 'business', name: '营商环境', nameEn: 'Business environment' },
  { key: 'health', name: '医疗卫生', nameEn: 'Health' },
  { key: 'major_events', name: '重大活动', nameEn: 'Major events' },
  { key: 'general', name: '综合', nameEn: 'General' },
] as const;
export type LayerTheme = (typeof LAYER_THEMES)[number]['key'];

/** The catalog theme a feed's theme key falls under (crowds are watched at major events). */
export function layerThemeOf(feedTheme: string): LayerTheme {
  if (feedTheme === 'crowd') return 'major_events';
  return LAYER_THEMES.find((t) => t.key === feedTheme)?.key ?? 'general';
}

export const layerLegendSchema = z
  .object({
    symbol: z.enum(['fill', 'line', 'circle', 'heatmap']),
    color: z.string().meta({ description: 'A CSS colour for the symbol.' }),
    property: z.string().nullable().meta({ description: 'The tile property the symbol scales with (e.g. `count`), or null.' }),
    unit: z.string().nullable(),
  })
  .meta({ id: 'LayerLegend', description: 'How a client may draw the layer and label its legend.' });

/** A layer drawn from vector tiles (big layers: areas, located entities, observation heat). */
export const vectorLayerViewSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.literal('vector'),
    theme: z.string().meta({ description: 'One of the catalog themes (`base`, `emergency`, `traffic`, …, `general`).' }),
    themeName: z.string(),
    themeNameEn: z.string(),
    tiles: z.string().meta({ description: 'Tile URL template, `{z}/{x}/{y}`.' }),
    sourceLayer: z.string(),
    minzoom: z.number().int(),
    maxzoom: z.number().int(),
    featuresUrl: z
      .string()
      .nullable()
      .meta({ description: 'GeoJSON of the features in a box, `{bbox}` = minLon,minLat,maxLon,maxLat; null where the layer has none.' }),
    legend: layerLegendSchema.nullable(),
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
    theme: z.string().optional().meta({ description: 'The catalog theme (zone sets: `major_events`).' }),
    themeName: z.string().optional(),
    themeNameEn: z.string().optional(),
  })
  .meta({ id: 'GeojsonLayerView', description: 'A small layer fetched whole as GeoJSON (a zone set).' });

/** The key of the cases layer in the catalog. */
export const CASES_LAYER_KEY = 'cases';

/**
 * Open cases as points in vector tiles (`GET /api/tiles/cases/…`), asked for again when
 * `case.changed` on the `cases` channel concerns the view; also as GeoJSON for a box (`url`).
 */
export const casesLayerViewSchema = z
  .object({
    key: z.literal(CASES_LAYER_KEY),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.literal('cases'),
    theme: z.string(),
    themeName: z.string(),
    themeNameEn: z.string(),
    tiles: z.string().meta({
      description:
        'Vector tiles of the open cases in the caller’s sight (`{z}/{x}/{y}` template): points with `code`, `category`, `state`, ' +
        '`priority`, `supervisionLevel` and `due` (epoch seconds the current stage falls due; overdue when past).',
    }),
    sourceLayer: z.string(),
    minzoom: z.number().int(),
    maxzoom: z.number().int(),
    url: z.string().meta({ description: 'The same cases as GeoJSON points (`GET /api/cases/map`), with filters; add `bbox=`.' }),
    channel: z
      .string()
      .meta({ description: 'The socket channel of its changes (`cases`, event `case.changed`): tiles are asked for again.' }),
    legend: z.object({ symbol: z.literal('circle'), color: z.string() }),
  })
  .meta({
    id: 'CasesLayerView',
    description:
      'Open cases (城市管理案件) by state, supervised ones ringed by level, overdue ones marked; listed for those who may read cases.',
  });
export type CasesLayerView = z.output<typeof casesLayerViewSchema>;

export const layerViewSchema = z
  .discriminatedUnion('kind', [vectorLayerViewSchema, geojsonLayerViewSchema, liveLayerViewSchema, casesLayerViewSchema])
  .meta({ id: 'LayerView', description: 'A layer of the map: big ones as vector tiles, small live ones as GeoJSON.' });
/** One entry of `GET /api/layers`. */
export type LayerView = z.output<typeof layerViewSchema>;

export const layerKeyParamsSchema = z.object({ layer: z.string().max(100) });
export type LayerKeyParams = z.output<typeof layerKeyParamsSchema>;

/** A tile coordinate as written in a path: decimal digits only (no sign, fraction, exponent or hex). */
const tileIndex = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,8}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

export const tileParamsSchema = z
  .object({
    layer: z.string().max(200),
    z: tileIndex(22),
    x: tileIndex(2 ** 22 - 1),
    y: tileIndex(2 ** 22 - 1),
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
