import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: who did what to which thing, with what result, from where. In the schema
 * `audit`, whose tables the set-up gives to a NOLOGIN role after the migrations
 * (`sealAppendOnlyTables`, libs/core/src/database/database-admin.ts): the application's role may
 * then only INSERT and SELECT, so no one acting as the application can change or remove a row.
 */
export class AuditTrail1796200000000 implements MigrationInterface {
  name = 'AuditTrail1796200000000';

  async up(q: QueryRunner): Promise<void> {
    // The set-up creates the schema (owned by the audit role); a database set up by hand may lack it.
    await q.query(`CREATE SCHEMA IF NOT EXISTS audit`);
    await q.query(`
      CREATE TABLE audit.audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        -- user, kiosk, feed, … or anonymous: who was asked, as they were known at the time
        actor_kind text NOT NULL,
        actor_id text,
        actor_name text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        -- dotted verbs, e.g. auth.sign_in, feed.update, feed.records.push; byte order, so a prefix search uses the index
        action text COLLATE "C" NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'),
        target_type text,
        target_id text,
        before jsonb,
        after jsonb,
        outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
        client_address inet,
        request_id text,
        detail jsonb
      )`);
    await q.query(
      `COMMENT ON TABLE audit.audit_event IS 'Append-only: the application may INSERT and SELECT, nothing else (see the set-up)'`,
    );
    // Newest first by id (keyset paging); each filter with the id, so a page of one actor or target is an index range.
    await q.query(`CREATE INDEX audit_event_at ON audit.audit_event (at)`);
    await q.query(`CREATE INDEX audit_event_actor ON audit.audit_event (actor_name, id)`);
    await q.query(`CREATE INDEX audit_event_target ON audit.audit_event (target_type, target_id, id)`);
    await q.query(`CREATE INDEX audit_event_action ON audit.audit_event (action, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Only while the table is the migrating role's (during the set-up's migrations, or before it was sealed).
    await q.query(`DROP TABLE IF EXISTS audit.audit_event`);
  }
}
