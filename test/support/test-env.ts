import { withDatabaseName } from '@cityops/core';

/** Fixed secrets for tests only; the real ones come from `.env`. */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-only-jwt-secret-0123456789abcdef0123456789',
  SECRETS_KEY: 'test-only-secrets-key-0123456789abcdef012345678',
  ADMIN_PASSWORD: 'test-admin-password',
  KIOSK_TOKEN: 'test-kiosk-token-0123456789abcdef',
  SIMULATOR_TOKEN: 'test-simulator-token-0123456789abcdef',
  METRICS_TOKEN: 'test-metrics-token-0123456789abcdef',
};

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cityops';

/** Names shared by the global setup and the suites of one run. */
export function runId(): string {
  const id = process.env.CITYOPS_TEST_RUN;
  if (!id) throw new Error('CITYOPS_TEST_RUN is not set: run the tests through jest (global setup)');
  return id;
}

export function templateDatabaseName(id = runId()): string {
  return `cityops_test_${id}_tpl`;
}

export function databaseUrl(name: string): string {
  return withDatabaseName(baseUrl, name);
}

/** The environment a test stack validates through the real config loader. */
export function testEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    SIMULATOR_ENABLED: 'false',
    WEB_DIST_DIR: 'apps/web/dist',
    // Tests sign in far more often than people do (and some poll sign-in while a service is away);
    // the suites about sign-in limits set their own.
    RATE_LIMIT_SIGN_IN_PER_USER: '100000',
    RATE_LIMIT_SIGN_IN_PER_ADDRESS: '100000',
    ...TEST_SECRETS,
    ...overrides,
  };
}
