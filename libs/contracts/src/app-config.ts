import { z } from 'zod';
import { positionSchema } from './geo';

/** `GET /api/app-config`: what a client needs to draw the city before any data arrives. */
export const appConfigViewSchema = z
  .object({
    basemapStyleUrl: z
      .string()
      .nullable()
      .meta({ description: 'A MapLibre style to draw under our layers; null = our own layers only (offline).' }),
    city: z.object({
      name: z.string(),
      nameEn: z.string(),
      center: positionSchema,
      bounds: z.tuple([positionSchema, positionSchema]).meta({ description: '`[[west, south], [east, north]]`.' }),
    }),
    demo: z.boolean().meta({ description: 'True while the areas are the generated demo city.' }),
  })
  .meta({ id: 'AppConfigView', description: 'What a client needs to draw the city before any data arrives.' });
export type AppConfigView = z.output<typeof appConfigViewSchema>;
