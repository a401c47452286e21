import { z } from 'zod';
import { multiPolygonSchema } from './geo';
import { databaseIdSchema } from './storable';

export const AREA_LEVELS = ['city', 'district', 'street', 'community', 'grid', 'zone'] as const;
export const areaLevelSchema = z
  .enum(AREA_LEVELS)
  .meta({ id: 'AreaLevel', description: 'city > district > street > community > grid; zones stand apart, grouped in zone sets.' });
export type AreaLevel = z.output<typeof areaLevelSchema>;

export const areaViewSchema = z
  .object({
    id: z.number().int(),
    code: z.string().meta({ description: 'Administrative code where there is one (e.g. 440106), else our own.' }),
    name: z.string(),
    nameEn: z.string().nullable(),
    level: areaLevelSchema,
    parentId: z.number().int().nullable(),
    zoneSet: z.string().nullable(),
    seq: z.number().int().nullable().meta({ description: 'Position along an ordered zone set (course order).' }),
    capacity: z.number().nullable(),
    population: z.number().nullable(),
    households: z.number().nullable(),
    isDemo: z.boolean().meta({ description: 'True for the generated demo city; false once real boundaries replaced it.' }),
    geometry: multiPolygonSchema.optional().meta({ description: 'Only when asked for with `geometry=true`.' }),
  })
  .meta({ id: 'AreaView', description: 'An area of the city hierarchy, or an event zone.' });
export type AreaView = z.output<typeof areaViewSchema>;

/** `true`/`false` in a query string. */
const booleanFlag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

export const listAreasQuerySchema = z.object({
  level: areaLevelSchema.optional(),
  parent: databaseIdSchema.optional().meta({ description: 'Only the children of this area.' }),
  zoneSet: z.string().max(100).optional(),
  geometry: booleanFlag('false').meta({ description: 'Include each boundary (MultiPolygon).' }),
  limit: z.coerce.number().int().min(1).max(10000).default(5000),
});
export type ListAreasQuery = z.output<typeof listAreasQuerySchema>;

export const getAreaQuerySchema = z.object({
  geometry: booleanFlag('true').meta({ description: 'Include the boundary (MultiPolygon).' }),
});

export type GetAreaQuery = z.output<typeof getAreaQuerySchema>;

export const areaIdParamsSchema = z.object({ id: databaseIdSchema });
export type AreaIdParams = z.output<typeof areaIdParamsSchema>;

export const importAreasSchema = z
  .object({
    level: areaLevelSchema,
    codeField: z.string().min(1).max(100).meta({ description: 'The feature property that holds the area code.' }),
    nameField: z.string().min(1).max(100).meta({ description: 'The feature property that holds the name.' }),
    parentCode: z
      .string()
      .max(100)
      .optional()
      .meta({ description: 'Parent of every feature; without it each feature goes under the area one level up that contains it.' }),
    zoneSet: z.string().max(100).optional().meta({ description: 'Required for zones, not allowed for other levels.' }),
    featureCollection: z.object({
      type: z.literal('FeatureCollection'),
      features: z
        .array(z.unknown().meta({ description: 'A GeoJSON Feature with a Polygon or MultiPolygon geometry.' }))
        .min(1)
        .max(100000)
        .meta({ description: 'Each feature is checked; one bad feature rejects the whole import, with every problem listed.' }),
    }),
  })
  .meta({ id: 'ImportAreasRequest', description: 'Real boundaries, matched by code: new codes are added, known ones updated in place.' });
export type ImportAreasRequest = z.output<typeof importAreasSchema>;

export const importAreasResultSchema = z
  .object({ imported: z.number().int(), updated: z.number().int() })
  .meta({ id: 'ImportAreasResult' });
export type ImportAreasResult = z.output<typeof importAreasResultSchema>;

/** `GET /api/areas/labels`: where to write areas' names on a map. */
export const areaLabelsQuerySchema = z.object({
  level: areaLevelSchema.optional(),
  zoneSet: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(20000).default(5000),
});
export type AreaLabelsQuery = z.output<typeof areaLabelsQuerySchema>;

export const areaLabelCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number().int(),
        // A point inside the area (`ST_PointOnSurface`), where its name goes.
        geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
        properties: z.object({
          id: z.number().int(),
          code: z.string(),
          name: z.string(),
          nameEn: z.string().nullable(),
          level: areaLevelSchema,
          seq: z.number().int().nullable(),
        }),
      }),
    ),
  })
  .meta({ id: 'AreaLabelCollection', description: 'Label points of areas, as GeoJSON points.' });
export type AreaLabelCollection = z.output<typeof areaLabelCollectionSchema>;
