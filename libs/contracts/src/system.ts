import { z } from 'zod';

const check = z.object({ ok: z.boolean() });

/** `GET /api/health`: each dependency, answered with 200 when all are up and 503 when one is not. */
export const healthViewSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: check.extend({ postgis: z.string().optional().meta({ description: 'PostGIS version, when the database answers.' }) }),
    redis: check,
    queues: check.extend({
      counts: z.record(z.string(), z.record(z.string(), z.number())).optional().meta({ description: 'Jobs per queue and state.' }),
    }),
  })
  .meta({ id: 'HealthView', description: 'Each dependency and whether it answers; says nothing secret.' });
export type HealthView = z.output<typeof healthViewSchema>;

/** `GET /metrics`: Prometheus text exposition format. */
export const metricsTextSchema = z.string().meta({ description: 'Prometheus text exposition format (version 0.0.4).' });

/** `GET /api/tiles/...`: a Mapbox Vector Tile. */
export const vectorTileSchema = z
  .string()
  .meta({ format: 'binary', description: 'A Mapbox Vector Tile (protobuf); empty where the tile holds nothing.' });
