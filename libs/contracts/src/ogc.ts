import { z } from 'zod';

/** OGC API – Features Part 1 conformance classes this API implements (`GET /api/ogc/conformance`). */
export const OGC_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
] as const;

/** The only CRS served: WGS84 longitude, latitude. */
export const OGC_CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

/** Items per page when `limit` is not given, and the most a page holds (a larger `limit` is read as this). */
export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 1000;

/** A collection id: `areas-<level>`, `zones-<zone set>`, `feed-<entity feed>`. */
export const ogcCollectionParamsSchema = z.object({
  collectionId: z.string().min(1).max(200),
});
export type OgcCollectionParams = z.output<typeof ogcCollectionParamsSchema>;

export const ogcFeatureParamsSchema = z.object({
  collectionId: z.string().min(1).max(200),
  featureId: z.string().min(1).max(200),
});
export type OgcFeatureParams = z.output<typeof ogcFeatureParamsSchema>;

const formatSchema = z.enum(['json']).optional().meta({ description: 'Only `json` (the default): GeoJSON for features, JSON otherwise.' });

/** `?f=` alone: the landing page, conformance and collection routes take nothing else. */
export const ogcFormatQuerySchema = z.object({ f: formatSchema }).strict();

// RFC 3339 date-time with its offset (the `T` and `Z` may be lower case, RFC 3339 §5.6).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function instant(text: string): Date | null {
  if (!RFC3339.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A `datetime` as an interval; an instant is an interval of one instant, an open end is null. */
export interface OgcInterval {
  start: Date | null;
  end: Date | null;
}

/**
 * `datetime`: an instant or `start/end`, each an RFC 3339 date-time, either end `..` (or empty) for
 * an open one. Parsed here so a bad value is a 400 naming the parameter.
 */
const datetimeSchema = z
  .string()
  .max(200)
  .transform((text, ctx): OgcInterval => {
    const parts = text.split('/');
    const bad = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (parts.length === 1) {
      const at = instant(text);
      return at ? { start: at, end: at } : bad('an RFC 3339 date-time (e.g. 2026-11-30T08:00:00Z) or an interval start/end');
    }
    if (parts.length !== 2) return bad('an interval has one "/" between its start and end');
    const [start, end] = parts.map((p) => (p === '..' || p === '' ? null : instant(p)));
    if ((start === null && parts[0] !== '..' && parts[0] !== '') || (end === null && parts[1] !== '..' && parts[1] !== ''))
      return bad('each end is an RFC 3339 date-time or ".." (open)');
    if (start === null && end === null) return bad('at least one end of the interval must be a date-time');
    if (start && end && start > end) return bad('the interval starts after it ends');
    return { start, end };
  })
  .meta({
    description:
      'An RFC 3339 date-time or an interval `start/end` with `..` for an open end. Applied to an entity’s time (its latest state); areas and zones have no time and are not filtered by it.',
  });

/**
 * `bbox`: four numbers in WGS84, `minLon,minLat,maxLon,maxLat`. A box across the antimeridian and
 * three-dimensional boxes are refused: the city lies far from both.
 */
export const bboxSchema = z
  .string()
  .max(200)
  .transform((text, ctx): [number, number, number, number] => {
    const numbers = text.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
    const bad = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (numbers.length !== 4) return bad('four numbers: minLon,minLat,maxLon,maxLat (WGS84)');
    if (!numbers.every(Number.isFinite)) return bad('every value is a number');
    const [w, s, e, n] = numbers;
    if ([w, e].some((lon) => lon < -180 || lon > 180)) return bad('longitudes lie from -180 to 180');
    if ([s, n].some((lat) => lat < -90 || lat > 90)) return bad('latitudes lie from -90 to 90');
    if (s > n) return bad('minLat is greater than maxLat');
    if (w > e) return bad('minLon is greater than maxLon (boxes across the antimeridian are not supported)');
    return [w, s, e, n];
  })
  .meta({ description: '`minLon,minLat,maxLon,maxLat` in WGS84 (CRS84): only features whose geometry meets the box.' });

export const ogcItemsQuerySchema = z
  .object({
    f: formatSchema,
    bbox: bboxSchema.optional(),
    datetime: datetimeSchema.optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .default(OGC_DEFAULT_LIMIT)
      .transform((n) => Math.min(n, OGC_MAX_LIMIT))
      .meta({
        description: `Features per page, from 1; default ${OGC_DEFAULT_LIMIT}; a larger value than ${OGC_MAX_LIMIT} is read as ${OGC_MAX_LIMIT}.`,
      }),
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(0)
      .meta({ description: 'Features to skip: the paging links (`next`, `prev`) set it.' }),
  })
  .strict();
export type OgcItemsQuery = z.output<typeof ogcItemsQuerySchema>;

export const ogcLinkSchema = z
  .object({
    href: z.string(),
    rel: z.string(),
    type: z.string().optional(),
    title: z.string().optional(),
  })
  .meta({ id: 'OgcLink' });
export type OgcLink = z.output<typeof ogcLinkSchema>;

export const ogcLandingPageSchema = z
  .object({ title: z.string(), description: z.string(), links: z.array(ogcLinkSchema) })
  .meta({ id: 'OgcLandingPage', description: 'OGC API – Features landing page.' });
export type OgcLandingPage = z.output<typeof ogcLandingPageSchema>;

export const ogcConformanceSchema = z.object({ conformsTo: z.array(z.string()) }).meta({ id: 'OgcConformance' });

export const ogcCollectionSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    itemType: z.literal('feature'),
    crs: z.array(z.string()),
    extent: z
      .object({ spatial: z.object({ bbox: z.array(z.array(z.number())), crs: z.string() }) })
      .optional()
      .meta({ description: 'Left out when the collection holds no feature the caller may see.' }),
    links: z.array(ogcLinkSchema),
  })
  .meta({ id: 'OgcCollection', description: 'A collection of features: areas of one level, a zone set, or an entity feed.' });
export type OgcCollection = z.output<typeof ogcCollectionSchema>;

export const ogcCollectionsSchema = z
  .object({ links: z.array(ogcLinkSchema), collections: z.array(ogcCollectionSchema) })
  .meta({ id: 'OgcCollections' });
export type OgcCollections = z.output<typeof ogcCollectionsSchema>;

export const ogcFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.union([z.string(), z.number()]),
    geometry: z.record(z.string(), z.unknown()).nullable(),
    properties: z.record(z.string(), z.unknown()),
    links: z.array(ogcLinkSchema).optional(),
  })
  .meta({ id: 'OgcFeature', description: 'A GeoJSON feature.' });
export type OgcFeature = z.output<typeof ogcFeatureSchema>;

export const ogcFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(ogcFeatureSchema),
    links: z.array(ogcLinkSchema),
    numberMatched: z.number().int(),
    numberReturned: z.number().int(),
    timeStamp: z.string(),
  })
  .meta({ id: 'OgcFeatureCollection', description: 'A page of GeoJSON features with paging links.' });
export type OgcFeatureCollection = z.output<typeof ogcFeatureCollectionSchema>;
