import { adminUrlFor, DEFAULT_DATABASE_URL, withDatabaseName } from '@cityops/core';

/** Fixed secrets for tests only; the real ones come from `.env`. */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-only-jwt-secret-0123456789abcdef0123456789',
  SECRETS_KEY: 'test-only-secrets-key-0123456789abcdef012345678',
  ADMIN_PASSWORD: 'test-admin-password',
  KIOSK_TOKEN: 'test-kiosk-token-0123456789abcdef',
  SIMULATOR_TOKEN: 'test-simulator-token-0123456789abcdef',
  METRICS_TOKEN: 'test-metrics-token-0123456789abcdef',
};

/** Only the server is taken from DATABASE_URL: each run has its own role and databases. */
const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
/** The superuser that makes the run's role and databases (and drops them at the end). */
export const adminUrl = process.env.DATABASE_ADMIN_URL || adminUrlFor(baseUrl);

/** Names shared by the global setup and the suites of one run. */
export function runId(): string {
  const id = process.env.CITYOPS_TEST_RUN;
  if (!id) throw new Error('CITYOPS_TEST_RUN is not set: run the tests through jest (global setup)');
  return id;
}

export function templateDatabaseName(id = runId()): string {
  return `cityops_test_${id}_tpl`;
}

/**
 * The run's application role (and, with `_audit`, the owner of its audit trail): roles belong to
 * the whole cluster, so each run has its own, named by the run, and drops it at the end.
 */
export function testRoleName(id = runId()): string {
  return `cityops_test_${id}`;
}

/** Database `name` as the run's application role, as the API and the worker under test connect. */
export function databaseUrl(name: string): string {
  const u = new URL(withDatabaseName(baseUrl, name));
  u.username = testRoleName();
  // Local clusters trust 127.0.0.1; one that asks for a password gets the role's (set by the set-up).
  u.password = `test-password-${runId()}`;
  return u.toString();
}

/** The environment a test stack validates through the real config loader. */
export function testEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_ADMIN_URL: adminUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    SIMULATOR_ENABLED: 'false',
    // The demo's day of history (over two million readings) is not what the suites test; the
    // backfill has its own test, on a few minutes of it.
    DEMO_HISTORY_HOURS: '0',
    WEB_DIST_DIR: 'apps/web/dist',
    // Tests sign in far more often than people do (and some poll sign-in while a service is away);
    // the suites about sign-in limits set their own.
    RATE_LIMIT_SIGN_IN_PER_USER: '100000',
    RATE_LIMIT_SIGN_IN_PER_ADDRESS: '100000',
    // Dozens of suites on two cores open connections while others create and drop databases: a
    // connection can take seconds to open there, which is not the failure the 3 s default is for.
    DATABASE_CONNECT_TIMEOUT_MS: '15000',
    ...TEST_SECRETS,
    ...overrides,
  };
}
