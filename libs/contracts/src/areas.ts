import { z } from 'zod';

export const AREA_LEVELS = ['city', 'district', 'street', 'community', 'grid', 'zone'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const areaLevelSchema = z.enum(AREA_LEVELS);

export interface AreaView {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  level: AreaLevel;
  parentId: number | null;
  zoneSet: string | null;
  seq: number | null;
  capacity: number | null;
  population: number | null;
  households: number | null;
  isDemo: boolean;
  /** GeoJSON MultiPolygon, only when asked for with `geometry=true`. */
  geometry?: unknown;
}

export const listAreasQuerySchema = z.object({
  level: areaLevelSchema.optional(),
  parent: z.coerce.number().int().positive().optional(),
  zoneSet: z.string().max(100).optional(),
  geometry: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(10000).default(5000),
});
export type ListAreasQuery = z.infer<typeof listAreasQuerySchema>;

export const importAreasSchema = z.object({
  level: areaLevelSchema,
  codeField: z.string().min(1).max(100),
  nameField: z.string().min(1).max(100),
  parentCode: z.string().max(100).optional(),
  zoneSet: z.string().max(100).optional(),
  featureCollection: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.unknown()).min(1).max(100000),
  }),
});
export type ImportAreasRequest = z.infer<typeof importAreasSchema>;

export interface ImportAreasResult {
  imported: number;
  updated: number;
}
