import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL } from '../database/database-urls';
import { parseAddressRule } from '../net/address-set';

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

/** A comma-separated list; empty or unset is an empty list. */
const list = (check: (item: string) => boolean, message: string) =>
  z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every(check), message);
const isAddressRule = (item: string) => parseAddressRule(item) !== null;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const isOrigin = (item: string) => {
  try {
    const u = new URL(item);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === item.replace(/\/$/, '');
  } catch {
    return false;
  }
};
/** Why a path cannot be read as a file, or null when it can. */
function unreadableFile(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return 'is not a file';
    accessSync(path, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? 'error'})`;
  }
}
/** An optional path to a readable file whose name ends with one of `extensions` (lower case, with the dot). */
const readableFile = (extensions: readonly string[]) =>
  z
    .string()
    .superRefine((path, ctx) => {
      if (!extensions.some((ext) => path.toLowerCase().endsWith(ext))) {
        ctx.addIssue({ code: 'custom', message: `must end with ${extensions.join(' or ')}` });
        return;
      }
      const problem = unreadableFile(path);
      if (problem) ctx.addIssue({ code: 'custom', message: `${path} ${problem}` });
    })
    .optional()
    .or(z.literal('').transform(() => undefined));

/**
 * Why a directory cannot be written (or made, where it does not exist yet), or null when it can:
 * checked at boot, so a wrong path stops the process instead of failing the first upload.
 */
function unwritableDirectory(path: string): string | null {
  if (path.includes('\0')) return 'contains a NUL character';
  let dir = resolve(path);
  // The nearest part of the path that exists must be a directory we may write into.
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) return dir === resolve(path) ? 'is not a directory' : `cannot be made (${dir} is not a directory)`;
      accessSync(dir, constants.W_OK | constants.X_OK);
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands somewhere on the way; the walk up finds it and says so.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(dir) !== dir) {
        dir = dirname(dir);
        continue;
      }
      return code === 'EACCES' ? `is not writable (${dir})` : `cannot be used (${code ?? 'error'})`;
    }
  }
}
const writableDirectory = z
  .string()
  .min(1)
  .superRefine((path, ctx) => {
    const problem = unwritableDirectory(path);
    if (problem) ctx.addIssue({ code: 'custom', message: `${path} ${problem}` });
  });

/** S3's bucket naming rules (no upper case or underscores: virtual-host addressing puts the name in a host name). */
const S3_BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Levels of characters S3 calls safe in object names, joined by `/`, with an optional trailing `/`. */
const isS3Prefix = (v: string) => {
  const levels = v.replace(/\/$/, '').split('/');
  return levels.every((level) => /^[A-Za-z0-9!_.*'()-]+$/.test(level) && level !== '.' && level !== '..');
};
/** An S3 endpoint: http(s), no credentials (they have their own variables, kept out of logs), no query. */
const s3Endpoint = z.string().superRefine((v, ctx) => {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL with scheme http: or https: (e.g. http://minio.internal:9000)' });
    return;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    ctx.addIssue({ code: 'custom', message: 'must be a URL with scheme http: or https:' });
  else if (u.username || u.password)
    ctx.addIssue({
      code: 'custom',
      message: 'must not carry credentials: use CASE_PHOTO_S3_ACCESS_KEY_ID and CASE_PHOTO_S3_SECRET_ACCESS_KEY',
    });
  else if (u.search || u.hash) ctx.addIssue({ code: 'custom', message: 'must not have a query or fragment' });
});

/** Requests per minute; 0 turns the limit off. */
const perMinute = (fallback: number) => int(0, 10_000_000).default(fallback);

/** The demo's admin password: fine on a laptop, refused in production. */
export const DEMO_ADMIN_PASSWORD = 'cityops-demo';

/** Every environment variable the processes read. `.env.example` documents each one. */
const envFields = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default(DEFAULT_DATABASE_URL),
  DATABASE_PASSWORD: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 60_000).default(3000),
  DATABASE_ADMIN_URL: url(['postgres:', 'postgresql:'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379/0'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,60}$/, 'letters, digits, _ . - only (1 to 60)')
    .default('cityops'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (npm start generates one)'),
  SECRETS_KEY: z.string().min(32, 'must be at least 32 characters (npm start generates one)'),
  /** Access tokens are short-lived; each request also checks its session, so revocation does not wait for them. */
  JWT_TTL_SECONDS: int(60, 43200).default(900),
  /** A person's session (refresh token) ends after this long without a refresh. */
  SESSION_IDLE_HOURS: int(1, 24 * 30).default(12),
  /** A display's session renews itself; it ends only after this many days without a refresh. */
  DISPLAY_SESSION_DAYS: int(1, 365).default(30),
  /** How long a process may trust what it knows of a session before checking it again. */
  SESSION_CHECK_SECONDS: int(1, 60).default(30),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').default(DEMO_ADMIN_PASSWORD),
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
  /** The simulator also posts the demo city's department feeds (libs/demo: its city simulator). */
  SIMULATOR_CITY_ENABLED: bool.default(true),
  /**
   * Cases the simulator files an hour in the demo city (grid workers, citizens, enterprises, a
   * video-analysis feed) and takes through the loop as its demo people; 0 files none. The stages'
   * delays shrink with the pace, so a faster stream also moves faster.
   */
  SIMULATOR_CASES_PER_HOUR: int(0, 100000).default(60),
  /**
   * Hours of the demo city's department feeds written at set-up (cli.js prepare) into feeds that
   * hold none yet, so trends and replays have a past on the first start; 0 writes none.
   */
  DEMO_HISTORY_HOURS: int(0, 48).default(24),
  SIMULATOR_API_URL: url(['http:', 'https:'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  INGEST_MAX_BODY_BYTES: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  INGEST_MAX_STREAM_BYTES: int(1024, 64 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  INGEST_MAX_STREAM_RECORDS: int(1, 100_000_000).default(1_000_000),
  /** Indicator history: raw values kept this many days (at least; whole days go at once), then 1-minute rollups, then 1-hour. */
  INDICATOR_RAW_RETENTION_DAYS: int(1, 366).default(1),
  INDICATOR_MINUTE_RETENTION_DAYS: int(1, 3660).default(30),
  /** 0: the 1-hour rollups are kept for ever. */
  INDICATOR_HOUR_RETENTION_DAYS: int(0, 36600).default(0),
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
  MQTT_TOPIC_ROOT: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'topic levels of letters, digits, _ . - joined by /')
    .max(100)
    .default('cityops'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  BASEMAP_STYLE_URL: url(['http:', 'https:'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** A local vector-tile archive the API serves as the base map (with a style and glyphs of its own). */
  BASEMAP_ARCHIVE: readableFile(['.mbtiles', '.pmtiles']),
  /** The font the API makes map-label glyphs from; unset: Debian's Noto Sans CJK (fonts-noto-cjk) when installed. */
  BASEMAP_FONT: readableFile(['.ttf', '.otf', '.ttc']),
  WEB_DIST_DIR: z.string().min(1).default('apps/web/dist'),
  /** Where case photos are stored (made at the first upload); relative paths from the working directory. */
  CASE_PHOTO_DIR: writableDirectory.default('.cityops/case-photos'),
  /**
   * S3-compatible storage for case photos (MinIO, Ceph, SeaweedFS, OSS, OBS, AWS): used instead of
   * CASE_PHOTO_DIR when the bucket is set; the endpoint and both keys must then be set too.
   */
  CASE_PHOTO_S3_ENDPOINT: s3Endpoint.optional().or(z.literal('').transform(() => undefined)),
  CASE_PHOTO_S3_BUCKET: z
    .string()
    .regex(S3_BUCKET, '3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CASE_PHOTO_S3_REGION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (e.g. us-east-1, cn-north-4)')
    .default('us-east-1'),
  CASE_PHOTO_S3_ACCESS_KEY_ID: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, 'printable characters without spaces, at most 256')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CASE_PHOTO_S3_SECRET_ACCESS_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, 'printable characters without spaces, at most 256')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Object names start with it (`cityops/photos/`); a trailing `/` is added. */
  CASE_PHOTO_S3_PREFIX: z
    .string()
    .max(200)
    .refine(isS3Prefix, "letters, digits and ! - _ . * ' ( ) / only, not starting with /, without empty or . or .. levels")
    .transform((v) => (v.endsWith('/') ? v : `${v}/`))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** `http://host:9000/bucket/key` (true, what most S3-compatible servers want) or `http://bucket.host:9000/key`. */
  CASE_PHOTO_S3_FORCE_PATH_STYLE: bool.default(true),
  API_DOCS_ENABLED: bool.optional().or(z.literal('').transform(() => undefined)),
  TRUSTED_PROXIES: list(isAddressRule, 'must be addresses or CIDR blocks, separated by commas (e.g. 10.0.0.5,10.1.0.0/16)'),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  METRICS_ALLOW: list(isAddressRule, 'must be addresses or CIDR blocks, separated by commas (e.g. 127.0.0.1,10.8.0.0/16)'),
  CONNECTOR_ALLOW_HOSTS: list(
    (item) => isAddressRule(item) || HOST_NAME.test(item),
    'must be host names, addresses or CIDR blocks, separated by commas (e.g. sensors.internal,10.20.0.0/16)',
  ),
  /** Alert webhooks: tries per delivery (the first included), the first retry's delay (doubling after), each request's timeout. */
  WEBHOOK_ATTEMPTS: int(1, 30).default(8),
  WEBHOOK_BACKOFF_MS: int(10, 3_600_000).default(10_000),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(5000),
  /** Days a delivered or failed delivery (with its attempts) stays in the delivery log. */
  WEBHOOK_LOG_RETENTION_DAYS: int(1, 3660).default(30),
  CSP_FRAME_ANCESTORS: list(isOrigin, 'must be origins such as https://portal.example.org, separated by commas'),
  /** A critical alert firing this long without acknowledgement goes up a role; minutes, fractions allowed (tests use seconds). */
  ALERT_ESCALATION_MINUTES: z.coerce
    .number()
    .min(0.01)
    .max(7 * 24 * 60)
    .default(5),
  RATE_LIMIT_SIGN_IN_PER_USER: perMinute(10),
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: perMinute(30),
  RATE_LIMIT_WRITES_PER_MINUTE: perMinute(600),
  RATE_LIMIT_INGEST_PER_MINUTE: perMinute(12000),
  /** Open311 filings (POST /open311/v2/requests) per client address, and per API key. */
  RATE_LIMIT_OPEN311_PER_ADDRESS: perMinute(30),
  RATE_LIMIT_OPEN311_PER_KEY: perMinute(600),
  /** Unauthenticated citizen reports (the QR page) and their photos per client address, per 10 minutes. */
  RATE_LIMIT_PUBLIC_REPORTS_PER_10_MINUTES: perMinute(5),
  RATE_LIMIT_PUBLIC_PHOTOS_PER_10_MINUTES: perMinute(20),
  /** Where the public reaches the web app (printed in grids' QR codes); default: the origin each request came in at. */
  PUBLIC_BASE_URL: z
    .string()
    .refine(isOrigin, 'must be an origin such as https://city.example.org (scheme and host, no path)')
    .transform((v) => v.replace(/\/$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

/** What S3 photo storage needs once its bucket is set, and what means nothing without one. */
const S3_NEEDS = ['CASE_PHOTO_S3_ENDPOINT', 'CASE_PHOTO_S3_ACCESS_KEY_ID', 'CASE_PHOTO_S3_SECRET_ACCESS_KEY'] as const;
const S3_ONLY_WITH_BUCKET = [...S3_NEEDS, 'CASE_PHOTO_S3_PREFIX'] as const;

/** The variables, and the rules between them. */
export const envSchema = envFields.superRefine((e, ctx) => {
  if (e.NODE_ENV === 'production' && e.ADMIN_PASSWORD === DEMO_ADMIN_PASSWORD) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_PASSWORD'],
      message: `is the demo default "${DEMO_ADMIN_PASSWORD}", which production refuses: set your own`,
    });
  }
  // Half an S3 configuration is a mistake, refused at start: never photos quietly on local disk
  // when a bucket was meant, nor uploads failing on the first photo.
  if (e.CASE_PHOTO_S3_BUCKET) {
    for (const name of S3_NEEDS) {
      if (!e[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when CASE_PHOTO_S3_BUCKET is set' });
    }
  } else {
    for (const name of S3_ONLY_WITH_BUCKET) {
      if (e[name])
        ctx.addIssue({ code: 'custom', path: [name], message: 'is set but CASE_PHOTO_S3_BUCKET is not: set the bucket too, or unset it' });
    }
  }
});

export type Env = z.infer<typeof envSchema>;
