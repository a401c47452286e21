import { z } from 'zod';
import { positionSchema } from './geo';
import { catalogKeySchema } from './ingest';

/** A short label on the wall (a KPI title, a unit); null = not shown (units) or the Chinese text (English). */
const label = (max: number) => z.string().trim().min(1).max(max);
const optionalLabel = (max: number) => label(max).nullable().default(null);
const areaIdSchema = z.number().int().positive();

/**
 * What a scene is about: the whole city (its vital signs), an event (a zone set coloured by an
 * indicator, e.g. a race course), a theme (chosen catalog layers and KPI tiles, e.g. flood
 * prevention) or a district (the map framed on one area).
 */
export const SCENE_KINDS = ['overview', 'event', 'theme', 'district'] as const;
export const sceneKindSchema = z.enum(SCENE_KINDS);
export type SceneKind = z.output<typeof sceneKindSchema>;

/** A layer key of `GET /api/layers` (area levels, `entities-<feed>`, `heat-<feed>~<metric>`, `zones-<set>`). */
export const sceneLayerKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_.~-]{0,220}$/, 'not a layer key of GET /api/layers');

/** A KPI tile: an indicator's latest value in one area (null: its highest value over all its areas). */
export const sceneKpiSchema = z
  .object({
    indicatorKey: catalogKeySchema,
    areaId: areaIdSchema.nullable().default(null),
    label: label(40),
    labelEn: optionalLabel(60),
  })
  // No component id: with its defaults it has one shape as a request and another as an answer, so it is inlined in each.
  .strict();
export type SceneKpi = z.output<typeof sceneKpiSchema>;

/** The cameras a scene shows: an entity feed of cameras, optionally only those in an area. */
export const sceneCamerasSchema = z
  .object({
    feedKey: catalogKeySchema,
    areaId: areaIdSchema.nullable().default(null),
    count: z.number().int().min(1).max(12).default(4),
  })
  // Inlined, like the KPI tile: its defaults make the request and the answer differ.
  .strict();
export type SceneCameras = z.output<typeof sceneCamerasSchema>;

/**
 * The cases panel of a scene (issue 10): open, overdue and supervised (督办) cases of an area, the
 * 企业呼 promise kept by district, and a ticker of new supervision notices.
 */
export const sceneCasesSchema = z
  .object({
    /** The area counted; null: the scene's focus area, else the city. */
    areaId: areaIdSchema.nullable().default(null),
  })
  // Inlined, like the KPI tile: its defaults make the request and the answer differ.
  .strict();
export type SceneCases = z.output<typeof sceneCasesSchema>;

const sceneFields = z.object({
  kind: sceneKindSchema.default('event'),
  /** The wall's title line, e.g. 迎春花市 · 实时人流. */
  name: label(200),
  nameEn: optionalLabel(200),
  /** An event's zones; null for the other kinds. */
  zoneSet: catalogKeySchema.nullable().default(null),
  /** The indicator that colours an event's zones; null for the other kinds. */
  indicatorKey: catalogKeySchema.nullable().default(null),
  /** The feed behind the indicator, named first when feeds have trouble; null = none in particular. */
  feedKey: catalogKeySchema.nullable().default(null),
  /** An event's sum of the indicator's numerators over the zones, e.g. 在场人数 / Visitors. */
  totalLabel: label(40).nullable().default(null),
  totalLabelEn: optionalLabel(60),
  /** Unit after that sum, e.g. 人; null = none. */
  totalUnit: optionalLabel(10),
  totalUnitEn: optionalLabel(20),
  /** What an event's zones are called, e.g. 花街 / streets (English: plural, lower case). */
  zoneLabel: label(20).nullable().default(null),
  zoneLabelEn: optionalLabel(40),
  /** Counter word for the zones, e.g. 条 (共 12 条); null = none. */
  zoneUnit: optionalLabel(10),
  zoneUnitEn: optionalLabel(20),
  /** The area a district scene frames (and whose alerts it shows when an alert interrupts a rotation). */
  focusAreaId: areaIdSchema.nullable().default(null),
  /** Catalog layers drawn over the map, bottom first. */
  layers: z.array(sceneLayerKeySchema).max(12).default([]),
  /** KPI tiles beside the scene's own figures. */
  kpis: z.array(sceneKpiSchema).max(6).default([]),
  cameras: sceneCamerasSchema.nullable().default(null),
  /** The cases panel; null: not shown (every scene stored before it existed). */
  cases: sceneCasesSchema.nullable().default(null),
  /** `[[west, south], [east, north]]` the map frames; null: the focus area, the zones, else the city. */
  bounds: z.tuple([positionSchema, positionSchema]).nullable().default(null),
  /** Scenes are listed (and the default one chosen) by position, then key. */
  position: z.number().int().min(0).max(1_000_000).default(0),
  /** A disabled scene is kept but not offered to the wall. */
  enabled: z.boolean().default(true),
});

type SceneFields = z.output<typeof sceneFields>;

/** What each kind needs and refuses, every problem listed. */
function checkKind(scene: SceneFields, ctx: z.RefinementCtx): void {
  const need = (path: keyof SceneFields, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (scene.kind === 'event') {
    for (const field of ['zoneSet', 'indicatorKey', 'totalLabel', 'zoneLabel'] as const) {
      if (scene[field] === null) need(field, 'an event scene needs it');
    }
  } else {
    for (const field of ['zoneSet', 'indicatorKey'] as const) {
      if (scene[field] !== null) need(field, 'only an event scene has one');
    }
  }
  if (scene.kind === 'district' && scene.focusAreaId === null) need('focusAreaId', 'a district scene needs the area it frames');
  if (scene.bounds) {
    const [[west, south], [east, north]] = scene.bounds;
    if (west >= east || south >= north) need('bounds', 'must be [[west, south], [east, north]] with west < east and south < north');
  }
}

/**
 * A wall scene: what the wall shows (an event's zones coloured by an indicator, chosen layers,
 * KPI tiles, cameras, a framed area) and the words it uses in both languages. The demo's race,
 * city overview, flood watch and district are scenes; a deployment adds its own
 * (`PUT /api/scenes/:key`) without changing any code.
 */
export const sceneDefinitionSchema = sceneFields
  .strict()
  .superRefine(checkKind)
  .meta({ id: 'SceneDefinitionInput', description: 'A wall scene; fields left out take their defaults.' });
export type SceneDefinition = z.infer<typeof sceneDefinitionSchema>;
/** The body of `PUT /api/scenes/:key` before defaults are filled in. */
export type SceneDefinitionInput = z.input<typeof sceneDefinitionSchema>;

export const sceneKeySchema = catalogKeySchema;

export const sceneViewSchema = sceneFields
  .extend({ key: sceneKeySchema })
  .meta({ id: 'SceneView', description: 'A wall scene: its kind, zones, layers, tiles, cameras and words.' });
/** `GET /api/scenes`, `GET /api/scenes/:key` and `scenes` of `GET /api/app-config`. */
export type SceneView = z.infer<typeof sceneViewSchema>;

/** One stop of a rotation. */
export const playlistEntrySchema = z
  .object({ scene: sceneKeySchema, dwellSeconds: z.number().int().min(5).max(3600) })
  .strict()
  .meta({ id: 'PlaylistEntry' });
export type PlaylistEntry = z.output<typeof playlistEntrySchema>;

const playlistFields = z.object({
  name: label(200),
  /** The scenes in order, each shown for its dwell time; a scene that is gone or disabled is skipped. */
  entries: z.array(playlistEntrySchema).min(1).max(50),
  /** A display with a playlist of its own; null: the default rotation (key `default`) or a spare one. */
  displayId: z.uuid().nullable().default(null),
  /** A critical alert takes the wall to its scene until it is acknowledged or resolved. */
  interruptOnCritical: z.boolean().default(true),
  /** Return to the rotation after this long even if the alert still stands; null: only when it is handled. */
  holdSeconds: z.number().int().min(10).max(86_400).nullable().default(null),
});

export const playlistDefinitionSchema = playlistFields
  .strict()
  .meta({ id: 'PlaylistDefinitionInput', description: 'A wall rotation; fields left out take their defaults.' });
export type PlaylistDefinition = z.output<typeof playlistDefinitionSchema>;
export type PlaylistDefinitionInput = z.input<typeof playlistDefinitionSchema>;

/** The rotation every wall without one of its own runs. */
export const DEFAULT_PLAYLIST_KEY = 'default';

export const playlistViewSchema = playlistFields
  .extend({ key: catalogKeySchema, updatedAt: z.iso.datetime({ offset: true }) })
  .meta({ id: 'PlaylistView', description: 'A wall rotation: scenes with dwell times, and how a critical alert interrupts it.' });
export type PlaylistView = z.output<typeof playlistViewSchema>;

export const wallPlaylistAnswerSchema = z.object({ playlist: playlistViewSchema.nullable() }).meta({
  id: 'WallPlaylistAnswer',
  description: "The caller's rotation: a display's own, else the default; null: none (the wall shows the first scene).",
});
export type WallPlaylistAnswer = z.output<typeof wallPlaylistAnswerSchema>;
