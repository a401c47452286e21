import { z } from 'zod';
import { positionSchema } from './geo';
import { sceneViewSchema } from './scenes';

/** `GET /api/app-config`: what a client needs to draw the city before any data arrives. */
export const appConfigViewSchema = z
  .object({
    basemapStyleUrl: z
      .string()
      .nullable()
      .meta({
        description:
          'A MapLibre style to draw under our layers: `/api/basemap/style.json` (a path on this origin) when BASEMAP_ARCHIVE is set, ' +
          'else BASEMAP_STYLE_URL; null = our own layers only (offline).',
      }),
    city: z.object({
      name: z.string().nullable().meta({ description: 'Name of the city-level area; null while there is none.' }),
      nameEn: z.string().nullable(),
      center: positionSchema.meta({ description: 'A point inside the city-level area; the middle of `bounds` while there is none.' }),
      bounds: z.tuple([positionSchema, positionSchema]).meta({
        description: '`[[west, south], [east, north]]`: CITY_BOUNDS, outside which located records are rejected; the map opens on it.',
      }),
    }),
    demo: z.boolean().meta({ description: 'True while the areas are the generated demo city.' }),
    scenes: z
      .array(sceneViewSchema)
      .meta({ description: 'The enabled wall scenes in order; the wall shows the first unless `?scene=<key>` names another.' }),
  })
  .meta({ id: 'AppConfigView', description: 'What a client needs to draw the city before any data arrives.' });
export type AppConfigView = z.output<typeof appConfigViewSchema>;
