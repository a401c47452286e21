import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert webhooks: where alert changes are POSTed, signed with a secret sealed under SECRETS_KEY,
 * and the delivery log (one row per change and webhook, one attempt row per try) that admins
 * read to see what reached whom. A delivery has no foreign key to its alert: the log outlives
 * alerts and records `test` deliveries that have none.
 */
export class AlertWebhooks1796320000000 implements MigrationInterface {
  name = 'AlertWebhooks1796320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        url text NOT NULL CHECK (url ~ '^https?://'),
        -- SecretBox.seal of the signing secret: never readable from a copy of the database alone
        secret_sealed text NOT NULL,
        secret_rotated_at timestamptz NOT NULL DEFAULT now(),
        filter jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(filter) = 'object'),
        enabled boolean NOT NULL DEFAULT true,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL CONSTRAINT webhook_delivery_webhook_fkey REFERENCES webhook(id) ON DELETE CASCADE,
        alert_id uuid,
        change text NOT NULL,
        -- one delivery per webhook, alert, change and alert version: a retried evaluation adds none
        dedupe_key text NOT NULL CONSTRAINT webhook_delivery_dedupe_key UNIQUE,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        last_status_code integer,
        last_error text CHECK (length(last_error) <= 500),
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The log: a webhook's deliveries newest first, optionally of one status.
    await q.query(`CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (webhook_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX webhook_delivery_status_idx ON webhook_delivery (webhook_id, status, created_at DESC)`);
    await q.query(`
      CREATE TABLE webhook_delivery_attempt (
        delivery_id uuid NOT NULL CONSTRAINT webhook_delivery_attempt_delivery_fkey REFERENCES webhook_delivery(id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt >= 1),
        at timestamptz NOT NULL DEFAULT now(),
        status_code integer,
        error text CHECK (length(error) <= 500),
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_delivery_attempt`);
    await q.query(`DROP TABLE IF EXISTS webhook_delivery`);
    await q.query(`DROP TABLE IF EXISTS webhook`);
  }
}
