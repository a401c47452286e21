import { z } from 'zod';
import { areaLevelSchema } from './areas';
import { positionSchema } from './geo';

/** `GET /api/search?q=`: areas by name or code, located entities by name or id, in the caller's scope. */
export const searchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'type at least one character')
    .max(100)
    .meta({ description: 'Part of a name (Chinese or English) or of a code; case does not matter.' }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.output<typeof searchQuerySchema>;

export const searchHitSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('area'),
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      nameEn: z.string().nullable(),
      level: areaLevelSchema,
      center: positionSchema.nullable().meta({ description: 'A point inside the area.' }),
      bbox: z
        .tuple([z.number(), z.number(), z.number(), z.number()])
        .nullable()
        .meta({ description: '`[minLon, minLat, maxLon, maxLat]` of its boundary, to fit a map to it.' }),
    }),
    z.object({
      kind: z.literal('entity'),
      feed: z.string(),
      id: z.string(),
      name: z.string().nullable(),
      center: positionSchema,
    }),
  ])
  .meta({ id: 'SearchHit', description: 'An area or a located entity whose name, code or id matches.' });
export type SearchHit = z.output<typeof searchHitSchema>;
