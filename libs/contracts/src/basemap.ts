import { z } from 'zod';

/**
 * The font stack every label of our own styles asks for. The API answers any font stack with the
 * one font it has (BASEMAP_FONT), so this name only has to be the same in the style and the layers.
 */
export const LABEL_FONT_STACK = ['Noto Sans Regular'] as const;

/** Where MapLibre finds glyphs, below the API's origin (`{fontstack}` and `{range}` are MapLibre's placeholders). */
export const GLYPHS_PATH = '/api/basemap/glyphs/{fontstack}/{range}.pbf';

/** The style of the local archive, when one is configured (`BASEMAP_ARCHIVE`). */
export const BASEMAP_ARCHIVE_STYLE_PATH = '/api/basemap/style.json';

/** `GET /api/basemap/glyphs/:fontstack/:range.pbf`: a block of 256 code points, `<start>-<start+255>`, below U+10000. */
export const glyphParamsSchema = z
  .object({
    fontstack: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\p{L}\p{N} ,_.-]+$/u, 'font names: letters, digits, spaces, commas, _ . -'),
    range: z
      .string()
      .regex(/^[0-9]{1,5}-[0-9]{1,5}$/, 'a range such as 0-255')
      .transform((r) => r.split('-').map(Number) as [number, number])
      .refine(([start, end]) => start % 256 === 0 && end === start + 255 && end <= 65535, {
        message: 'a block of 256 code points starting at a multiple of 256, at most 65280-65535',
      }),
  })
  .meta({ id: 'GlyphParams' });
export type GlyphParams = z.output<typeof glyphParamsSchema>;

/** A tile coordinate as written in a path: decimal digits only. */
const tileIndex = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,8}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/** `GET /api/basemap/tiles/:z/:x/:y.:ext`: the extension must be the archive's own (`pbf` or `mvt` for vector tiles). */
export const basemapTileParamsSchema = z
  .object({
    z: tileIndex(30),
    x: tileIndex(2 ** 30 - 1),
    y: tileIndex(2 ** 30 - 1),
    ext: z.enum(['pbf', 'mvt', 'png', 'jpg', 'webp']),
  })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: 'not a tile of the web-mercator pyramid', path: ['z/x/y'] })
  .meta({ id: 'BasemapTileParams' });
export type BasemapTileParams = z.output<typeof basemapTileParamsSchema>;

/** TileJSON 3.0.0 of the archive (the fields MapLibre reads). */
export const tileJsonSchema = z
  .object({
    tilejson: z.literal('3.0.0'),
    name: z.string().optional(),
    attribution: z.string().optional(),
    tiles: z.array(z.string()),
    minzoom: z.number(),
    maxzoom: z.number(),
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    center: z.tuple([z.number(), z.number(), z.number()]).optional(),
    vector_layers: z.array(z.object({ id: z.string(), fields: z.record(z.string(), z.string()).optional() })).optional(),
  })
  .meta({ id: 'TileJson', description: 'TileJSON 3.0.0 of the base-map archive.' });
export type TileJson = z.output<typeof tileJsonSchema>;

/** A MapLibre style document (validated by MapLibre, not here). */
export const mapStyleSchema = z.record(z.string(), z.unknown()).meta({ id: 'MapStyle', description: 'A MapLibre style (version 8).' });
