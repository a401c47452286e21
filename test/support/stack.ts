import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { ensureDatabase, initLogger, loadConfig, type AppConfig } from '@cityops/core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorker } from '../../apps/worker/src/bootstrap';
import { databaseUrl, runId, templateDatabaseName, testEnv, TEST_SECRETS } from './test-env';

export interface TestStack {
  config: AppConfig;
  /** A plain connection to the suite's database, for checking what was stored. */
  db: Client;
  /** http://127.0.0.1:<port> of the API, when started. */
  url: string;
  api?: NestExpressApplication;
  workers: INestApplicationContext[];
  stop(): Promise<void>;
}

/**
 * A config with this suite's own database (copied from the run's template, reached as the run's
 * application role) and Redis prefix;
 * `env` adds or overrides variables (MQTT_URL for the one suite that talks to the broker).
 */
export async function suiteConfig(env: Record<string, string> = {}): Promise<AppConfig> {
  const suffix = randomBytes(4).toString('hex');
  const name = `cityops_test_${runId()}_${suffix}`;
  initLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test');
  const config = loadConfig(
    testEnv({
      DATABASE_URL: databaseUrl(name),
      REDIS_PREFIX: `cityops-test-${runId()}-${suffix}`,
      // Suites share the broker: each listens and answers under its own topic root.
      MQTT_TOPIC_ROOT: `cityops-test-${runId()}-${suffix}`,
      ...env,
    }),
  );
  await ensureDatabase(config, templateDatabaseName());
  return config;
}

/** Boots the real API (on a free port) and any number of real workers against real services. */
export async function startStack(
  options: { api?: boolean; workers?: number; config?: AppConfig; env?: Record<string, string> } = {},
): Promise<TestStack> {
  const config = options.config ?? (await suiteConfig(options.env));
  let api: NestExpressApplication | undefined;
  let url = '';
  if (options.api !== false) {
    api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    const address = api.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('API did not bind');
    url = `http://127.0.0.1:${address.port}`;
  }
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  const workers: INestApplicationContext[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) workers.push(await createWorker(config));
  const stack: TestStack = {
    config,
    db,
    url,
    api,
    workers,
    async stop() {
      await db.end();
      await Promise.all(stack.workers.map((w) => w.close()));
      // `stack.api`, not the first one: a test may have restarted the API on the same port.
      await stack.api?.close();
    },
  };
  return stack;
}

export const kioskToken = TEST_SECRETS.KIOSK_TOKEN;
export const feedToken = TEST_SECRETS.SIMULATOR_TOKEN;

export async function login(url: string, username = 'admin', password = TEST_SECRETS.ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function kioskLogin(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/kiosk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: kioskToken }),
  });
  if (res.status !== 200) throw new Error(`kiosk login failed: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

/**
 * A person created by the admin through the API, with the first password already changed (as
 * the person would at their first sign-in). Without `scopes`, the city-level area.
 */
export async function createUser(
  url: string,
  adminToken: string,
  user: { username: string; roles: string[]; scopes?: ({ area: string } | { zoneSet: string })[]; department?: string | null },
): Promise<TestUser> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  let scopes = user.scopes;
  if (!scopes) {
    const cities = (await (await fetch(`${url}/api/areas?level=city`, { headers })).json()) as { code: string }[];
    scopes = cities.map((c) => ({ area: c.code }));
  }
  const first = `first-${randomBytes(8).toString('hex')}`;
  const created = await fetch(`${url}/api/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username: user.username,
      displayName: user.username,
      password: first,
      roles: user.roles,
      scopes,
      department: user.department ?? null,
    }),
  });
  if (created.status !== 201) throw new Error(`creating ${user.username} failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const token = await login(url, user.username, first);
  const changed = await fetch(`${url}/api/auth/password`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ currentPassword: first, newPassword: password }),
  });
  if (changed.status !== 200)
    throw new Error(`changing the password of ${user.username} failed: ${changed.status} ${await changed.text()}`);
  return { id, username: user.username, password };
}
