import { DataSource } from 'typeorm';
import { dataSourceOptions, dropDatabase, prepareDatabase, unsealAppendOnlyTables, type DatabaseUrls } from '@cityops/core';
import { adminUrl, databaseUrl, runId } from '../test/support/test-env';
import { WebhookDeliveryUpkeep1796350000000 } from './1796350000000-webhook-delivery-upkeep';
import { MIGRATIONS } from './index';

/** A new database set up as `cli.js migrate` does before it migrates. */
async function readyToMigrate(name: string): Promise<DatabaseUrls> {
  const urls = { databaseUrl: databaseUrl(name), databaseAdminUrl: adminUrl };
  await prepareDatabase(urls);
  await unsealAppendOnlyTables(urls);
  return urls;
}

/** The index the planner picks for `sql` when it may not scan the table (a few rows would otherwise always be scanned). */
async function indexUsed(ds: DataSource, sql: string): Promise<string | null> {
  return ds.transaction(async (m) => {
    await m.query(`SET LOCAL enable_seqscan = off`);
    const plan: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN ${sql}`);
    return /Index (?:Only )?Scan using (\w+)/.exec(plan.map((r) => r['QUERY PLAN']).join('\n'))?.[1] ?? null;
  });
}

const SWEEP = `SELECT id FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at < now() ORDER BY next_attempt_at LIMIT 200`;
const PRUNE = `SELECT id FROM webhook_delivery WHERE status IN ('delivered', 'failed') AND updated_at < now() ORDER BY updated_at LIMIT 1000`;

describe('migration 1796350000000 (webhook delivery upkeep) on a database holding deliveries', () => {
  it('indexes the sweep and the pruning over every webhook, and goes down and up again leaving the log as it was', async () => {
    const urls = await readyToMigrate(`cityops_test_${runId()}_webhook_upkeep`);
    const upTo = MIGRATIONS.indexOf(WebhookDeliveryUpkeep1796350000000);
    const before = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: MIGRATIONS.slice(0, upTo) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      const [hook] = await before.query(
        `INSERT INTO webhook (name, url, secret_sealed) VALUES ('duty', 'https://duty.example.org/h', 'x') RETURNING id`,
      );
      await before.query(
        `INSERT INTO webhook_delivery (webhook_id, change, dedupe_key, payload, status, next_attempt_at)
         SELECT $1, 'test', 'test-' || s, '{"change":"test","alert":null}', (ARRAY['pending', 'delivered', 'failed'])[s % 3 + 1],
                CASE WHEN s % 3 = 0 THEN now() END
           FROM generate_series(1, 30) s`,
        [hook.id],
      );
    } finally {
      await before.destroy();
    }

    const ds = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: MIGRATIONS.slice(0, upTo + 1) });
    await ds.initialize();
    try {
      expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual([new WebhookDeliveryUpkeep1796350000000().name]);
      expect(await indexUsed(ds, SWEEP)).toBe('webhook_delivery_pending_due_idx');
      expect(await indexUsed(ds, PRUNE)).toBe('webhook_delivery_ended_idx');

      await ds.undoLastMigration({ transaction: 'each' });
      const indexes = await ds.query(`SELECT indexname FROM pg_indexes WHERE indexname = ANY($1)`, [
        ['webhook_delivery_pending_due_idx', 'webhook_delivery_ended_idx'],
      ]);
      expect(indexes).toEqual([]);
      expect(await ds.query(`SELECT status, count(*)::int AS n FROM webhook_delivery GROUP BY status ORDER BY status`)).toEqual([
        { status: 'delivered', n: 10 },
        { status: 'failed', n: 10 },
        { status: 'pending', n: 10 },
      ]);
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(1);
    } finally {
      await ds.destroy();
      await dropDatabase(urls);
    }
  });
});
