import { resolve } from 'node:path';
import { adminUrlFor, withPassword } from '../database/database-urls';
import { issueLines } from '../errors/validation-issues';
import { envSchema } from './config.schema';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** The application's own role (never a superuser): the API, the worker and the migrations; DATABASE_PASSWORD filled in. */
  databaseUrl: string;
  /** How long a query waits for a connection (to open one, or for a free one) before it fails with 503. */
  databaseConnectTimeoutMs: number;
  /** A superuser, for the set-up only (`cli.js migrate|prepare`): the role, its database, extensions, the audit trail's owner. */
  databaseAdminUrl: string;
  redis: { url: string; prefix: string };
  jwt: { secret: string; ttlSeconds: number };
  /** Refresh-token lifetimes (sliding) and how often a process re-checks a session it has seen. */
  sessions: { idleHours: number; displayDays: number; checkSeconds: number };
  /** Seals secrets stored in the database (pull connectors' credentials); see SecretBox. */
  secretsKey: string;
  adminPassword: string;
  kioskToken: string | undefined;
  simulator: {
    enabled: boolean;
    intervalMs: number;
    runners: number;
    apiUrl: string;
    token: string;
    cityEnabled: boolean;
    /** Cases the demo's case loop files an hour (0: none). */
    casesPerHour: number;
  };
  /** Hours of the demo city's feeds written at set-up into feeds that hold none (0: none). */
  demoHistoryHours: number;
  ingestMaxBodyBytes: number;
  /** Largest NDJSON/CSV stream one request may carry, decompressed (records are committed as they stream). */
  ingestMaxStreamBytes: number;
  /** Most records one NDJSON/CSV stream may carry; past it the stream is read no further. */
  ingestMaxStreamRecords: number;
  /** How long indicator history is kept at each resolution, in days (hour: 0 = for ever). */
  indicatorHistory: { rawDays: number; minuteDays: number; hourDays: number };
  /** Records with a location outside [minLon, minLat, maxLon, maxLat] are rejected. */
  cityBounds: [number, number, number, number];
  mqttUrl: string | undefined;
  /** Devices publish to `<root>/feeds/<key>/records`: installations sharing a broker keep apart. */
  mqttTopicRoot: string;
  logLevel: string;
  basemapStyleUrl: string | undefined;
  /** Base map served by the API itself: a local archive (`.mbtiles`/`.pmtiles`) and the font of its labels' glyphs. */
  basemap: { archive: { path: string; kind: 'mbtiles' | 'pmtiles' } | undefined; fontPath: string | undefined };
  webDistDir: string;
  /** Absolute directory case photos are stored in (DirectoryCasePhotoStore), unless casePhotoS3 is set. */
  casePhotoDir: string;
  /** S3-compatible storage for case photos (S3CasePhotoStore), used instead of casePhotoDir when set. */
  casePhotoS3: CasePhotoS3Config | undefined;
  /** Whether /api/docs (OpenAPI, Swagger UI) is served; off in production unless asked for. */
  apiDocsEnabled: boolean;
  /** Proxies whose `X-Forwarded-For` is believed (addresses or CIDR blocks); empty = none. */
  trustedProxies: string[];
  /** Who may read /metrics and the health detail: a bearer token, and/or client addresses. */
  metrics: { token: string | undefined; allow: string[] };
  /** Host names, addresses or CIDR blocks pull connectors and webhooks may reach although they are private. */
  connectorAllowHosts: string[];
  /**
   * Alert webhooks: tries per delivery, the first retry's delay (doubling after), each request's
   * timeout, and the days a finished delivery stays in the log.
   */
  webhooks: { attempts: number; backoffMs: number; timeoutMs: number; logRetentionDays: number };
  /** Origins allowed to show the web app in a frame (CSP `frame-ancestors`); empty = none. */
  frameAncestors: string[];
  /** A critical alert firing this long (ms) without acknowledgement is escalated to the next role up, and again after as long. */
  alertEscalationMs: number;
  /** Requests per minute, shared by every API process through Redis; 0 = no limit. */
  rateLimits: {
    signInPerUser: number;
    signInPerAddress: number;
    writes: number;
    ingest: number;
    /** Open311 filings per client address, and per API key. */
    open311PerAddress: number;
    open311PerKey: number;
    /** Per client address and 10 minutes: citizen reports filed without an account, and photos sent to them. */
    publicReports: number;
    publicPhotos: number;
  };
  /** The origin the public reaches the web app at (QR codes of grids); undefined: each request's own origin. */
  publicBaseUrl: string | undefined;
}

/** Where and how to reach the bucket case photos are kept in. */
export interface CasePhotoS3Config {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Put in front of every object name; empty or ending with `/`. */
  prefix: string;
  forcePathStyle: boolean;
}

/** Thrown with every bad variable at once, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Names of values that must never reach a log line. */
export const SECRET_ENV_KEYS = [
  'JWT_SECRET',
  'SECRETS_KEY',
  'ADMIN_PASSWORD',
  'KIOSK_TOKEN',
  'SIMULATOR_TOKEN',
  'DATABASE_URL',
  'DATABASE_PASSWORD',
  'DATABASE_ADMIN_URL',
  'REDIS_URL',
  'MQTT_URL',
  'METRICS_TOKEN',
  'CASE_PHOTO_S3_SECRET_ACCESS_KEY',
] as const;

/** The one place that reads the environment. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(issueLines(parsed.error.issues, '(env)'));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: withPassword(e.DATABASE_URL, e.DATABASE_PASSWORD),
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    // Unset: the same server as DATABASE_URL, as `postgres`, in database `postgres`.
    databaseAdminUrl: e.DATABASE_ADMIN_URL ?? adminUrlFor(e.DATABASE_URL),
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    jwt: { secret: e.JWT_SECRET, ttlSeconds: e.JWT_TTL_SECONDS },
    sessions: { idleHours: e.SESSION_IDLE_HOURS, displayDays: e.DISPLAY_SESSION_DAYS, checkSeconds: e.SESSION_CHECK_SECONDS },
    secretsKey: e.SECRETS_KEY,
    adminPassword: e.ADMIN_PASSWORD,
    kioskToken: e.KIOSK_TOKEN,
    simulator: {
      enabled: e.SIMULATOR_ENABLED,
      intervalMs: e.SIMULATOR_INTERVAL_MS,
      runners: e.SIMULATOR_RUNNERS,
      // Unset: the API this machine serves, wherever PORT puts it.
      apiUrl: e.SIMULATOR_API_URL ?? `http://127.0.0.1:${e.PORT}`,
      token: e.SIMULATOR_TOKEN ?? '',
      cityEnabled: e.SIMULATOR_CITY_ENABLED,
      casesPerHour: e.SIMULATOR_CASES_PER_HOUR,
    },
    demoHistoryHours: e.DEMO_HISTORY_HOURS,
    ingestMaxBodyBytes: e.INGEST_MAX_BODY_BYTES,
    ingestMaxStreamBytes: e.INGEST_MAX_STREAM_BYTES,
    ingestMaxStreamRecords: e.INGEST_MAX_STREAM_RECORDS,
    indicatorHistory: {
      rawDays: e.INDICATOR_RAW_RETENTION_DAYS,
      minuteDays: e.INDICATOR_MINUTE_RETENTION_DAYS,
      hourDays: e.INDICATOR_HOUR_RETENTION_DAYS,
    },
    cityBounds: e.CITY_BOUNDS as [number, number, number, number],
    mqttUrl: e.MQTT_URL,
    mqttTopicRoot: e.MQTT_TOPIC_ROOT,
    logLevel: e.LOG_LEVEL,
    basemapStyleUrl: e.BASEMAP_STYLE_URL,
    basemap: {
      archive: e.BASEMAP_ARCHIVE
        ? { path: resolve(e.BASEMAP_ARCHIVE), kind: e.BASEMAP_ARCHIVE.toLowerCase().endsWith('.pmtiles') ? 'pmtiles' : 'mbtiles' }
        : undefined,
      fontPath: e.BASEMAP_FONT ? resolve(e.BASEMAP_FONT) : undefined,
    },
    webDistDir: resolve(e.WEB_DIST_DIR),
    casePhotoDir: resolve(e.CASE_PHOTO_DIR),
    // The schema refuses a bucket without the endpoint and both keys.
    casePhotoS3:
      e.CASE_PHOTO_S3_BUCKET && e.CASE_PHOTO_S3_ENDPOINT && e.CASE_PHOTO_S3_ACCESS_KEY_ID && e.CASE_PHOTO_S3_SECRET_ACCESS_KEY
        ? {
            endpoint: e.CASE_PHOTO_S3_ENDPOINT,
            region: e.CASE_PHOTO_S3_REGION,
            bucket: e.CASE_PHOTO_S3_BUCKET,
            accessKeyId: e.CASE_PHOTO_S3_ACCESS_KEY_ID,
            secretAccessKey: e.CASE_PHOTO_S3_SECRET_ACCESS_KEY,
            prefix: e.CASE_PHOTO_S3_PREFIX ?? '',
            forcePathStyle: e.CASE_PHOTO_S3_FORCE_PATH_STYLE,
          }
        : undefined,
    apiDocsEnabled: e.API_DOCS_ENABLED ?? e.NODE_ENV !== 'production',
    trustedProxies: e.TRUSTED_PROXIES,
    metrics: { token: e.METRICS_TOKEN, allow: e.METRICS_ALLOW },
    connectorAllowHosts: e.CONNECTOR_ALLOW_HOSTS.map((h) => h.toLowerCase()),
    webhooks: {
      attempts: e.WEBHOOK_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      logRetentionDays: e.WEBHOOK_LOG_RETENTION_DAYS,
    },
    frameAncestors: e.CSP_FRAME_ANCESTORS.map((o) => new URL(o).origin),
    alertEscalationMs: Math.round(e.ALERT_ESCALATION_MINUTES * 60_000),
    rateLimits: {
      signInPerUser: e.RATE_LIMIT_SIGN_IN_PER_USER,
      signInPerAddress: e.RATE_LIMIT_SIGN_IN_PER_ADDRESS,
      writes: e.RATE_LIMIT_WRITES_PER_MINUTE,
      ingest: e.RATE_LIMIT_INGEST_PER_MINUTE,
      open311PerAddress: e.RATE_LIMIT_OPEN311_PER_ADDRESS,
      open311PerKey: e.RATE_LIMIT_OPEN311_PER_KEY,
      publicReports: e.RATE_LIMIT_PUBLIC_REPORTS_PER_10_MINUTES,
      publicPhotos: e.RATE_LIMIT_PUBLIC_PHOTOS_PER_10_MINUTES,
    },
    publicBaseUrl: e.PUBLIC_BASE_URL,
  };
}

/** Loads the configuration or ends the process with the list of offenders (for `main` files). */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
      process.exit(78);
    }
    throw error;
  }
}
