import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The feed catalog (departments, themes, retention, owners, pull connectors), entities with their
 * history, and daily observation partitions created ahead by a job instead of one default
 * partition. Rows already in the default partition are moved into their day's partition.
 */
export class FeedCatalogAndStorage1763863200000 implements MigrationInterface {
  name = 'FeedCatalogAndStorage1763863200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE department (
        code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
        name text NOT NULL,
        name_en text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Feeds named their department in free text until now: keep each as a department.
    await q.query(`
      INSERT INTO department (code, name)
      SELECT DISTINCT 'dept-' || substr(md5(department), 1, 8), department FROM feed WHERE department IS NOT NULL
      ON CONFLICT DO NOTHING`);
    await q.query(`ALTER TABLE feed ADD COLUMN department_code text REFERENCES department(code)`);
    await q.query(`UPDATE feed SET department_code = 'dept-' || substr(md5(department), 1, 8) WHERE department IS NOT NULL`);
    await q.query(`ALTER TABLE feed DROP COLUMN department`);
    await q.query(`
      ALTER TABLE feed
        ADD COLUMN description text,
        ADD COLUMN theme text NOT NULL DEFAULT 'general',
        ADD COLUMN retention_days integer NOT NULL DEFAULT 400 CHECK (retention_days BETWEEN 1 AND 36500),
        ADD COLUMN owner_contact text,
        -- null: pushed to us; else {url, format, intervalSeconds, mapping, ...} for a pull connector
        ADD COLUMN connector jsonb`);
    await q.query(`CREATE INDEX feed_department_theme ON feed (department_code, theme)`);

    await q.query(`
      CREATE TABLE connector_state (
        feed_key text PRIMARY KEY REFERENCES feed(key) ON DELETE CASCADE,
        last_run_at timestamptz,
        last_success_at timestamptz,
        last_error_at timestamptz,
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        last_accepted integer,
        next_run_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE entity (
        feed_key text NOT NULL REFERENCES feed(key) ON DELETE CASCADE,
        entity_id text NOT NULL,
        ts timestamptz NOT NULL,
        geom geometry(Geometry, 4326),
        props jsonb NOT NULL DEFAULT '{}',
        area_id integer,
        area_path integer[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed_key, entity_id)
      )`);
    await q.query(`CREATE INDEX entity_geom_gist ON entity USING gist (geom)`);
    await q.query(`CREATE INDEX entity_area_path_gin ON entity USING gin (area_path)`);
    await q.query(`
      CREATE TABLE entity_history (
        feed_key text NOT NULL,
        entity_id text NOT NULL,
        ts timestamptz NOT NULL,
        geom geometry(Geometry, 4326),
        props jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed_key, entity_id, ts),
        FOREIGN KEY (feed_key, entity_id) REFERENCES entity(feed_key, entity_id) ON DELETE CASCADE
      )`);
    // Feed health of entity feeds: arrivals per feed over time.
    await q.query(`CREATE INDEX entity_history_feed_recorded ON entity_history (feed_key, recorded_at DESC)`);

    // Creates daily partitions [from, from + days) that do not exist yet; rows that already sit in
    // the default partition for such a day are moved into it first (ATTACH would refuse otherwise).
    await q.query(`
      CREATE FUNCTION cityops_ensure_observation_partitions(first_day date, days integer)
      RETURNS integer LANGUAGE plpgsql AS $fn$
      DECLARE
        d date;
        part text;
        created integer := 0;
      BEGIN
        FOR i IN 0 .. days - 1 LOOP
          d := first_day + i;
          part := 'observation_p' || to_char(d, 'YYYYMMDD');
          CONTINUE WHEN to_regclass(part) IS NOT NULL;
          EXECUTE format('CREATE TABLE %I (LIKE observation INCLUDING DEFAULTS)', part);
          EXECUTE format(
            'WITH moved AS (DELETE FROM observation_default WHERE ts >= %L AND ts < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
            d, d + 1, part);
          EXECUTE format('ALTER TABLE observation ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, d, d + 1);
          created := created + 1;
        END LOOP;
        RETURN created;
      END
      $fn$`);
    await q.query(`SELECT cityops_ensure_observation_partitions((now() AT TIME ZONE 'UTC')::date - 7, 15)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Partitions stay attached: dropping them would drop data. Only the function goes.
    await q.query(`DROP FUNCTION IF EXISTS cityops_ensure_observation_partitions(date, integer)`);
    await q.query(`DROP TABLE IF EXISTS entity_history`);
    await q.query(`DROP TABLE IF EXISTS entity`);
    await q.query(`DROP TABLE IF EXISTS connector_state`);
    await q.query(`ALTER TABLE feed ADD COLUMN department text`);
    await q.query(`UPDATE feed SET department = d.name FROM department d WHERE d.code = feed.department_code`);
    await q.query(
      `ALTER TABLE feed DROP COLUMN department_code, DROP COLUMN description, DROP COLUMN theme, DROP COLUMN retention_days, DROP COLUMN owner_contact, DROP COLUMN connector`,
    );
    await q.query(`DROP TABLE IF EXISTS department`);
  }
}
