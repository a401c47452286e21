import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with scheme ${protocols.join(' or ')}`,
  );

/** Every environment variable the processes read. `.env.example` documents each one. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/cityops'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379/0'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,60}$/, 'letters, digits, _ . - only (1 to 60)')
    .default('cityops'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (npm start generates one)'),
  JWT_TTL_SECONDS: int(60, 30 * 24 * 3600).default(43200),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('cityops-demo'),
  KIOSK_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SIMULATOR_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SIMULATOR_ENABLED: bool.default(true),
  SIMULATOR_INTERVAL_MS: int(200, 600000).default(3000),
  SIMULATOR_RUNNERS: int(1, 1000000).default(20000),
  SIMULATOR_API_URL: url(['http:', 'https:'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  INGEST_MAX_BODY_BYTES: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  INGEST_MAX_STREAM_BYTES: int(1024, 64 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  INGEST_MAX_STREAM_RECORDS: int(1, 100_000_000).default(1_000_000),
  CITY_BOUNDS: z
    .string()
    .transform((v) => v.split(',').map((x) => Number(x.trim())))
    .refine(
      (b) =>
        b.length === 4 &&
        b.every(Number.isFinite) &&
        b[0] >= -180 &&
        b[2] <= 180 &&
        b[1] >= -90 &&
        b[3] <= 90 &&
        b[0] < b[2] &&
        b[1] < b[3],
      'must be minLon,minLat,maxLon,maxLat',
    )
    .default([112.9, 22.5, 114.1, 24.0]),
  MQTT_URL: url(['mqtt:', 'mqtts:', 'ws:', 'wss:'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  BASEMAP_STYLE_URL: url(['http:', 'https:'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WEB_DIST_DIR: z.string().min(1).default('apps/web/dist'),
  API_DOCS_ENABLED: bool.optional().or(z.literal('').transform(() => undefined)),
});

export type Env = z.infer<typeof envSchema>;
