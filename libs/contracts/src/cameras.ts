import { z } from 'zod';
import { catalogKeySchema } from './ingest';

export const CAMERA_KINDS = ['fixed', 'dome', 'body-worn'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];
export const CAMERA_STATUSES = ['online', 'offline', 'fault'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

/** What a feed's entities are, when the product reads them as more than latest states: `camera`. */
export const ENTITY_PROFILES = ['camera'] as const;
export const entityProfileSchema = z.enum(ENTITY_PROFILES);
export type EntityProfile = z.output<typeof entityProfileSchema>;

/**
 * A media address: absolute http(s) or rtsp, or a path on this server. No `javascript:` or
 * `data:` (it ends up in an `<img>` or a player).
 */
const mediaUrlSchema = z
  .string()
  .max(2000)
  .refine((s) => /^(https?|rtsp):\/\/[^\s]+$/i.test(s) || /^\/[^\s/][^\s]*$/.test(s), 'an http(s) or rtsp URL, or a path starting with /');

/**
 * The props of a camera entity (a feed whose `entityProfile` is `camera`); ingest rejects a
 * camera whose props do not fit, with the reason.
 */
export const cameraPropsSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    heading: z.number().finite().min(0).lt(360).meta({ description: 'Where the lens points, degrees clockwise from north.' }),
    kind: z.enum(CAMERA_KINDS),
    status: z.enum(CAMERA_STATUSES),
    snapshotUrl: mediaUrlSchema.nullable().meta({ description: 'Where a still frame is fetched; null when the camera gives none.' }),
    streamUrl: mediaUrlSchema.nullable().default(null).meta({ description: 'Live stream (HLS, RTSP…), or null.' }),
    nameEn: z.string().trim().min(1).max(200).optional(),
    demo: z.boolean().optional().meta({ description: 'True for generated demo cameras.' }),
  })
  .loose()
  .meta({ id: 'CameraProps', description: 'The props of a camera entity.' });
export type CameraProps = z.output<typeof cameraPropsSchema>;

/** A camera as the camera routes answer it. */
export const cameraViewSchema = z
  .object({
    feed: z.string(),
    id: z.string(),
    name: z.string(),
    nameEn: z.string().nullable().meta({ description: 'The English name, where its props give one (`nameEn`).' }),
    location: z.tuple([z.number(), z.number()]).meta({ description: '`[lon, lat]`.' }),
    heading: z.number(),
    kind: z.enum(CAMERA_KINDS),
    status: z.enum(CAMERA_STATUSES),
    area: z.string().nullable().meta({ description: 'Code of the grid it stands in.' }),
    ts: z.string().meta({ description: 'Time of its latest state.' }),
    snapshot: z.string().meta({ description: 'Path of `GET /api/cameras/:feed/:id/snapshot` (needs the bearer token).' }),
    streamUrl: z.string().nullable(),
    distanceMeters: z.number().nullable().meta({ description: 'From the point (nearest) or the zone (area), else null.' }),
    demo: z.boolean().meta({ description: 'Demo data (its props say `demo: true`): its snapshot is badged as such.' }),
  })
  .meta({ id: 'CameraView', description: 'A camera of a camera feed.' });
export type CameraView = z.output<typeof cameraViewSchema>;

/** `GET /api/cameras?area=`: the cameras of an area, or near a zone. */
export const camerasInAreaQuerySchema = z.object({
  area: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: 'Area code: any level (cameras tagged inside it) or a zone (cameras within `buffer`).' }),
  buffer: z.coerce
    .number()
    .min(0)
    .max(2000)
    .default(150)
    .meta({ description: 'For a zone: metres around its outline that still count. Ignored for other levels.' }),
  feed: catalogKeySchema
    .optional()
    .meta({ description: 'Only the cameras of this camera feed (a wall scene names one); left out: every camera feed.' }),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type CamerasInAreaQuery = z.output<typeof camerasInAreaQuerySchema>;

/** `GET /api/cameras/nearest?lon=&lat=`: the closest cameras first. */
export const nearestCamerasQuerySchema = z.object({
  lon: z.coerce.number().finite().min(-180).max(180),
  lat: z.coerce.number().finite().min(-90).max(90),
  radius: z.coerce.number().positive().max(50000).default(1000).meta({ description: 'Metres.' }),
  limit: z.coerce.number().int().min(1).max(200).default(10),
});
export type NearestCamerasQuery = z.output<typeof nearestCamerasQuerySchema>;

export const cameraParamsSchema = z.object({ feed: catalogKeySchema, id: z.string().min(1).max(200) });
export type CameraParams = z.output<typeof cameraParamsSchema>;

/** The snapshot route's answer (a picture). */
export const cameraSnapshotSchema = z.string().meta({ description: 'An image (SVG).' });
