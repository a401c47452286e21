import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the delivery log's upkeep, whose queries span every webhook (the log's own indexes
 * start with the webhook): the minutely sweep reads the few pending deliveries in order of when
 * they were due, and the hourly pruning reads ended ones in order of when they last changed.
 * Both are partial, so the sweep's stays as small as the pending set however long the log grows.
 */
export class WebhookDeliveryUpkeep1796350000000 implements MigrationInterface {
  name = 'WebhookDeliveryUpkeep1796350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_delivery_pending_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_delivery_ended_idx ON webhook_delivery (updated_at) WHERE status IN ('delivered', 'failed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhook_delivery_ended_idx`);
    await q.query(`DROP INDEX IF EXISTS webhook_delivery_pending_due_idx`);
  }
}
