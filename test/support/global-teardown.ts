import { Redis } from 'ioredis';
import { Client } from 'pg';
import { auditOwnerRole } from '@cityops/core';
import { adminUrl, testRoleName } from './test-env';

/** Drops every database, role and Redis key this run made, unless KEEP_TEST_DATA=1 (for debugging). */
export default async function globalTeardown(): Promise<void> {
  const id = process.env.CITYOPS_TEST_RUN;
  if (!id || process.env.KEEP_TEST_DATA === '1') return;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `cityops_test_${id}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    // Once their databases are gone, nothing is left that the roles own.
    const role = testRoleName(id);
    for (const name of [auditOwnerRole(role), role]) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `cityops-test-${id}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
