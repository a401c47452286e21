import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES = `ARRAY['admin','commander','operator','analyst','handler','grid_worker','viewer']::text[]`;

/**
 * People with roles, area scopes and a department; sessions with rotating refresh tokens; per-feed
 * keys and registered display devices in place of the shared `api_token` table; and the one SQL
 * definition of "the areas a scope can see", so every owner of an area-keyed table filters alike.
 */
export class PeopleRolesScopes1796100000000 implements MigrationInterface {
  name = 'PeopleRolesScopes1796100000000';

  async up(q: QueryRunner): Promise<void> {
    // 'dispatcher' became the commander (指挥长), who acknowledges; nobody else held it.
    await q.query(`UPDATE app_user SET roles = array_replace(roles, 'dispatcher', 'commander')`);
    await q.query(`UPDATE app_user SET roles = array_remove(roles, 'feed')`);
    await q.query(`UPDATE app_user SET roles = ARRAY['viewer'] WHERE cardinality(roles) = 0`);
    await q.query(`
      ALTER TABLE app_user
        ADD COLUMN department text REFERENCES department(code) ON UPDATE CASCADE ON DELETE SET NULL,
        -- areas of any level (each with all inside it) and zone sets; a city-level area means the whole city
        ADD COLUMN scope_area_ids integer[] NOT NULL DEFAULT '{}',
        ADD COLUMN scope_zone_sets text[] NOT NULL DEFAULT '{}',
        ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
        ADD COLUMN last_sign_in_at timestamptz,
        ADD CONSTRAINT app_user_roles_known CHECK (cardinality(roles) > 0 AND roles <@ ${ROLES})`);
    // Users of before scopes existed saw the whole city: they keep it.
    await q.query(`UPDATE app_user SET scope_area_ids = ARRAY(SELECT id FROM area WHERE level = 'city' ORDER BY id)`);

    // One row per sign-in (a session family): every refresh rotates its token; presenting an
    // older one ends the family, as it means the token was copied.
    await q.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        principal_kind text NOT NULL CHECK (principal_kind IN ('user','display')),
        principal_id uuid NOT NULL,
        refresh_generation integer NOT NULL DEFAULT 0,
        refresh_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        client_address text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX auth_session_principal ON auth_session (principal_kind, principal_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX auth_session_expires ON auth_session (expires_at)`);

    await q.query(`
      CREATE TABLE feed_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        feed_key text NOT NULL REFERENCES feed(key) ON UPDATE CASCADE ON DELETE CASCADE,
        name text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        last_used_at timestamptz,
        rotated_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX feed_key_active_name ON feed_key (feed_key, name) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE display_device (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        scope_area_ids integer[] NOT NULL DEFAULT '{}',
        scope_zone_sets text[] NOT NULL DEFAULT '{}',
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        last_seen_at timestamptz,
        rotated_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX display_device_active_name ON display_device (name) WHERE revoked_at IS NULL`);

    // The shared tokens move over with their hashes, so a configured kiosk or pusher keeps working.
    await q.query(`
      INSERT INTO display_device (name, token_hash, prefix, created_at, last_seen_at, revoked_at, scope_area_ids)
      SELECT name, token_hash, '', created_at, last_used_at, revoked_at, ARRAY(SELECT id FROM area WHERE level = 'city' ORDER BY id)
        FROM api_token WHERE kind = 'kiosk'`);
    await q.query(`
      INSERT INTO feed_key (feed_key, name, secret_hash, prefix, created_at, last_used_at, revoked_at)
      SELECT f.key, t.name, t.token_hash, '', t.created_at, t.last_used_at, t.revoked_at
        FROM api_token t CROSS JOIN LATERAL unnest(t.feed_keys) AS k(key) JOIN feed f ON f.key = k.key
       WHERE t.kind = 'feed' AND cardinality(t.feed_keys) = 1`);
    await q.query(`DROP TABLE api_token`);

    // The areas a scope sees: every area inside one of its roots, and the event zones that overlap
    // a non-zone root (a district's commander sees the marathon segments that run through it).
    await q.query(`
      CREATE FUNCTION cityops_scope_area_ids(roots integer[]) RETURNS SETOF integer
      LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT a.id FROM area a WHERE a.path_ids && roots
        UNION
        SELECT z.id FROM area z JOIN area r ON r.id = ANY (roots) AND r.level <> 'zone'
         WHERE z.level = 'zone' AND ST_Intersects(z.geom, r.geom)
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cityops_scope_area_ids(integer[])`);
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
      INSERT INTO api_token (name, kind, token_hash, roles, created_at, last_used_at, revoked_at)
      SELECT DISTINCT ON (name) name, 'kiosk', token_hash, ARRAY['viewer'], created_at, last_seen_at, revoked_at
        FROM display_device ORDER BY name, revoked_at NULLS FIRST, created_at DESC`);
    await q.query(`
      INSERT INTO api_token (name, kind, token_hash, roles, feed_keys, created_at, last_used_at, revoked_at)
      SELECT DISTINCT ON (name) name, 'feed', secret_hash, ARRAY['feed'], ARRAY[feed_key], created_at, last_used_at, revoked_at
        FROM feed_key ORDER BY name, revoked_at NULLS FIRST, created_at DESC
      ON CONFLICT (name) DO NOTHING`);
    await q.query(`DROP TABLE display_device`);
    await q.query(`DROP TABLE feed_key`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`
      ALTER TABLE app_user
        DROP CONSTRAINT app_user_roles_known,
        DROP COLUMN last_sign_in_at,
        DROP COLUMN must_change_password,
        DROP COLUMN scope_zone_sets,
        DROP COLUMN scope_area_ids,
        DROP COLUMN department`);
    await q.query(`UPDATE app_user SET roles = array_replace(roles, 'commander', 'dispatcher')`);
  }
}
