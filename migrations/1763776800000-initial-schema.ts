import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: areas (the spatial backbone), users and tokens, the feed catalog,
 * time-partitioned observations, rejected records, indicators with their values, and alerts with
 * their history. Geometry columns declare type and SRID, GiST indexes are created here, not in code.
 */
export class InitialSchema1763776800000 implements MigrationInterface {
  name = 'InitialSchema1763776800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE zone_set (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        name text NOT NULL,
        name_en text,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE area (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        name_en text,
        level text NOT NULL CHECK (level IN ('city','district','street','community','grid','zone')),
        parent_id integer REFERENCES area(id) ON DELETE RESTRICT,
        -- self and every ancestor, so "everything in district X" is an array lookup
        path_ids integer[] NOT NULL DEFAULT '{}',
        zone_set text REFERENCES zone_set(key) ON DELETE CASCADE,
        seq integer,
        capacity integer CHECK (capacity IS NULL OR capacity >= 0),
        population integer CHECK (population IS NULL OR population >= 0),
        households integer CHECK (households IS NULL OR households >= 0),
        is_demo boolean NOT NULL DEFAULT false,
        geom geometry(MultiPolygon, 4326) NOT NULL,
        center geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((level = 'zone') = (zone_set IS NOT NULL)),
        CHECK (level IN ('city','zone') OR parent_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX area_geom_gist ON area USING gist (geom)`);
    await q.query(`CREATE INDEX area_level_parent ON area (level, parent_id)`);
    await q.query(`CREATE INDEX area_zone_set_seq ON area (zone_set, seq) WHERE zone_set IS NOT NULL`);
    await q.query(`CREATE INDEX area_path_gin ON area USING gin (path_ids)`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Long-lived tokens for machines: kiosks (read-only wall screens) and feed pushers.
    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('kiosk','feed')),
        token_hash text NOT NULL UNIQUE,
        roles text[] NOT NULL DEFAULT '{}',
        feed_keys text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE feed (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        name text NOT NULL,
        name_en text,
        department text,
        kind text NOT NULL DEFAULT 'observation' CHECK (kind IN ('observation','entity','event')),
        -- [{key, unit, min, max}]: records with another metric or out of range are rejected
        metrics jsonb NOT NULL DEFAULT '[]',
        expected_interval_seconds integer CHECK (expected_interval_seconds IS NULL OR expected_interval_seconds > 0),
        zone_set text REFERENCES zone_set(key),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Partitioned by time from the first day so retention is a partition drop, never a DELETE.
    await q.query(`
      CREATE TABLE observation (
        feed_key text NOT NULL,
        record_key text NOT NULL,
        ts timestamptz NOT NULL,
        metric text NOT NULL,
        value double precision NOT NULL,
        entity text,
        area_id integer,
        area_path integer[] NOT NULL DEFAULT '{}',
        geom geometry(Point, 4326),
        props jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed_key, record_key, ts)
      ) PARTITION BY RANGE (ts)`);
    await q.query(`CREATE TABLE observation_default PARTITION OF observation DEFAULT`);
    await q.query(`CREATE INDEX observation_area_metric_ts ON observation (area_id, metric, ts DESC)`);
    await q.query(`CREATE INDEX observation_feed_entity_ts ON observation (feed_key, entity, metric, ts DESC)`);
    await q.query(`CREATE INDEX observation_area_path_gin ON observation USING gin (area_path)`);

    await q.query(`
      CREATE TABLE rejected_record (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        feed_key text NOT NULL,
        source text NOT NULL,
        batch_id uuid NOT NULL,
        record_index integer NOT NULL,
        raw jsonb NOT NULL,
        reason text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz,
        UNIQUE (batch_id, record_index)
      )`);
    await q.query(`CREATE INDEX rejected_record_feed_time ON rejected_record (feed_key, received_at DESC)`);

    await q.query(`
      CREATE TABLE indicator (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        name text NOT NULL,
        name_en text,
        description text,
        unit text,
        -- how the value is computed; see IndicatorKind in libs/indicators
        kind text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        -- feeds whose new data trigger a recomputation
        source_feeds text[] NOT NULL DEFAULT '{}',
        thresholds jsonb,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX indicator_source_feeds ON indicator USING gin (source_feeds)`);

    await q.query(`
      CREATE TABLE indicator_value (
        indicator_key text NOT NULL REFERENCES indicator(key) ON DELETE CASCADE,
        area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
        ts timestamptz NOT NULL,
        value double precision NOT NULL,
        numerator double precision,
        denominator double precision,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (indicator_key, area_id, ts)
      )`);
    await q.query(`CREATE INDEX indicator_value_key_ts ON indicator_value (indicator_key, ts DESC)`);

    await q.query(`
      CREATE TABLE alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        indicator_key text NOT NULL REFERENCES indicator(key) ON DELETE CASCADE,
        area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
        level text NOT NULL CHECK (level IN ('warning','critical')),
        state text NOT NULL CHECK (state IN ('open','resolved')),
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        value_ts timestamptz NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
      )`);
    // The database, not the workers, guarantees one open alert per indicator and area.
    await q.query(`CREATE UNIQUE INDEX alert_one_open_per_area ON alert (indicator_key, area_id) WHERE state = 'open'`);
    await q.query(`CREATE INDEX alert_state_opened ON alert (state, opened_at DESC)`);

    await q.query(`
      CREATE TABLE alert_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        change text NOT NULL,
        level text NOT NULL,
        value double precision,
        actor text
      )`);
    await q.query(`CREATE INDEX alert_event_alert ON alert_event (alert_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'alert_event',
      'alert',
      'indicator_value',
      'indicator',
      'rejected_record',
      'observation',
      'feed',
      'api_token',
      'app_user',
      'area',
      'zone_set',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
  }
}
