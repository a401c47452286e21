import { z } from 'zod';
import { catalogKeySchema } from './ingest';

/** A short label on the wall (a KPI title, a unit); null = not shown (units) or the Chinese text (English). */
const label = (max: number) => z.string().trim().min(1).max(max);
const optionalLabel = (max: number) => label(max).nullable().default(null);

/**
 * A wall scene: which zone set the wall draws, which indicator colours it (its values, over the
 * zones, with the indicator's thresholds), which feed brings the data, and the words the wall
 * uses for them in both languages. The demo's race is one scene; a deployment adds its own
 * (`PUT /api/scenes/:key`) without changing any code.
 */
export const sceneDefinitionSchema = z
  .object({
    /** The wall's event line, e.g. 迎春花市 · 实时人流. */
    name: label(200),
    nameEn: optionalLabel(200),
    zoneSet: catalogKeySchema,
    indicatorKey: catalogKeySchema,
    /** The feed behind the indicator, named first when feeds have trouble; null = none in particular. */
    feedKey: catalogKeySchema.nullable().default(null),
    /** Title of the sum of the indicator's numerators over the zones, e.g. 在场人数 / Visitors. */
    totalLabel: label(40),
    totalLabelEn: optionalLabel(60),
    /** Unit after that sum, e.g. 人; null = none. */
    totalUnit: optionalLabel(10),
    totalUnitEn: optionalLabel(20),
    /** What the zones are called, e.g. 花街 / streets (English: plural, lower case). */
    zoneLabel: label(20),
    zoneLabelEn: optionalLabel(40),
    /** Counter word for the zones, e.g. 条 (共 12 条); null = none. */
    zoneUnit: optionalLabel(10),
    zoneUnitEn: optionalLabel(20),
    /** Scenes are listed (and the default one chosen) by position, then key. */
    position: z.number().int().min(0).max(1_000_000).default(0),
    /** A disabled scene is kept but not offered to the wall. */
    enabled: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'SceneDefinitionInput', description: 'A wall scene; fields left out take their defaults.' });
export type SceneDefinition = z.infer<typeof sceneDefinitionSchema>;
/** The body of `PUT /api/scenes/:key` before defaults are filled in. */
export type SceneDefinitionInput = z.input<typeof sceneDefinitionSchema>;

export const sceneKeySchema = catalogKeySchema;

export const sceneViewSchema = sceneDefinitionSchema
  .extend({ key: sceneKeySchema })
  .meta({ id: 'SceneView', description: 'A wall scene: its zone set, indicator, feed and the words the wall uses for them.' });
/** `GET /api/scenes`, `GET /api/scenes/:key` and `scenes` of `GET /api/app-config`. */
export type SceneView = z.infer<typeof sceneViewSchema>;
