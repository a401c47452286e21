import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pull connector's secrets (its URL, which may carry credentials or an API key in the query,
 * and its header values) leave `feed.connector`, which answers show, for a sealed column the API
 * never returns. Existing connectors are sealed by `cli.js prepare`, which holds the key
 * (SECRETS_KEY); until then their answers mask them.
 */
export class ConnectorSecrets1796000000000 implements MigrationInterface {
  name = 'ConnectorSecrets1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feed ADD COLUMN connector_secrets text`);
    await q.query(
      `COMMENT ON COLUMN feed.connector_secrets IS 'AES-256-GCM sealed {url, headers} of the connector (SecretBox, key SECRETS_KEY)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Without the key the sealed secrets cannot be put back: a connector loses them, and shows masks.
    await q.query(`ALTER TABLE feed DROP COLUMN connector_secrets`);
  }
}
