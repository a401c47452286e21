import { z } from 'zod';

const check = z.object({ ok: z.boolean() });

/** `GET /api/health` for the public: up or down, nothing more. */
export const healthStatusSchema = z
  .object({ status: z.enum(['ok', 'down']) })
  .meta({ id: 'HealthStatus', description: 'Up (`ok`, status 200) or down (`down`, status 503).' });
export type HealthStatus = z.output<typeof healthStatusSchema>;

/**
 * `GET /api/health` for the metrics token or an allowed address: each dependency, answered with
 * 200 when all are up and 503 when one is not.
 */
export const healthReportSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: check.extend({ postgis: z.string().optional().meta({ description: 'PostGIS version, when the database answers.' }) }),
    redis: check,
    queues: check.extend({
      counts: z.record(z.string(), z.record(z.string(), z.number())).optional().meta({ description: 'Jobs per queue and state.' }),
    }),
    photos: check.extend({ storage: z.enum(['directory', 's3']) }).meta({
      description:
        'Where case photos are stored and whether it answers. Reported only: every API process shares it, and ' +
        'without it only photo uploads and views fail (503), so it does not make the status `degraded`.',
    }),
  })
  .meta({ id: 'HealthReport', description: 'Each dependency and whether it answers (for the metrics token or an allowed address).' });
export type HealthReport = z.output<typeof healthReportSchema>;

/** `GET /api/health`: the report to those who may read it, up or down to everybody else. */
export const healthViewSchema = z
  .union([healthReportSchema, healthStatusSchema])
  .meta({ id: 'HealthView', description: 'The detailed report, or only up or down.' });
export type HealthView = z.output<typeof healthViewSchema>;

/** `GET /metrics`: Prometheus text exposition format. */
export const metricsTextSchema = z.string().meta({ description: 'Prometheus text exposition format (version 0.0.4).' });

/** `GET /api/tiles/...`: a Mapbox Vector Tile. */
export const vectorTileSchema = z
  .string()
  .meta({ format: 'binary', description: 'A Mapbox Vector Tile (protobuf); empty where the tile holds nothing.' });
