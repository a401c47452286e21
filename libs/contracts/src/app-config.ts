import { z } from 'zod';
import { sceneViewSchema } from './scenes';

const lonLat = z.tuple([z.number(), z.number()]);

/** `GET /api/app-config`: what a client needs to draw the city before any data arrives. */
export const appConfigViewSchema = z.object({
  /** A MapLibre style to draw under our layers; null = our own layers only (offline). */
  basemapStyleUrl: z.string().nullable(),
  city: z.object({
    /** Name of the city-level area; null while there is none. */
    name: z.string().nullable(),
    nameEn: z.string().nullable(),
    /** A point inside the city-level area; the middle of `bounds` while there is none. */
    center: lonLat,
    /** `CITY_BOUNDS`: records located outside are rejected, and the map opens on them. */
    bounds: z.tuple([lonLat, lonLat]),
  }),
  /** True while the areas are the generated demo city. */
  demo: z.boolean(),
  /** The enabled wall scenes in order; the wall shows the first unless `?scene=<key>` names another. */
  scenes: z.array(sceneViewSchema),
});
export type AppConfigView = z.infer<typeof appConfigViewSchema>;
