import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases (网格化闭环): a configurable category catalog in groups with their deadlines, routing
 * rules (category × area → department), the cases themselves with their grid and every area
 * above it, a timeline per case (public entries apart from internal notes), photos, day-by-day
 * numbering for the human-readable codes, and the working calendar the deadlines run on. Areas
 * get a short letter code (GZ, TH) for the case codes.
 */
export class Cases1796520000000 implements MigrationInterface {
  name = 'Cases1796520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE area ADD COLUMN abbrev text CHECK (abbrev ~ '^[A-Z]{1,6}$')`);
    // Codes are told apart by their district's letters, so two districts never share them.
    await q.query(`CREATE UNIQUE INDEX area_abbrev_per_level ON area (level, abbrev) WHERE abbrev IS NOT NULL`);

    await q.query(`
      CREATE TABLE case_category_group (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        name_en text CHECK (length(name_en) BETWEEN 1 AND 100),
        -- 企业呼: hours of the clock (not working hours) within which a first answer is promised
        response_promise_hours numeric CHECK (response_promise_hours > 0),
        sort integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE case_category (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
        group_key text NOT NULL REFERENCES case_category_group(key) ON UPDATE CASCADE ON DELETE RESTRICT,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        name_en text CHECK (length(name_en) BETWEEN 1 AND 100),
        -- working hours from dispatch to acceptance, and from acceptance to resolution
        accept_hours numeric NOT NULL CHECK (accept_hours > 0 AND accept_hours <= 8760),
        resolve_hours numeric NOT NULL CHECK (resolve_hours > 0 AND resolve_hours <= 8760),
        enabled boolean NOT NULL DEFAULT true,
        sort integer NOT NULL DEFAULT 0
      )`);
    // A group key and a category key name the same kind of thing in a routing rule.
    await q.query(`
      CREATE FUNCTION cityops_case_category_key_free() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'case_category' AND EXISTS (SELECT 1 FROM case_category_group WHERE key = NEW.key)
           OR TG_TABLE_NAME = 'case_category_group' AND EXISTS (SELECT 1 FROM case_category WHERE key = NEW.key) THEN
          RAISE EXCEPTION 'case category key % is taken by a category or a group', NEW.key USING ERRCODE = 'unique_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER case_category_key_free BEFORE INSERT OR UPDATE OF key ON case_category
                   FOR EACH ROW EXECUTE FUNCTION cityops_case_category_key_free()`);
    await q.query(`CREATE TRIGGER case_category_group_key_free BEFORE INSERT OR UPDATE OF key ON case_category_group
                   FOR EACH ROW EXECUTE FUNCTION cityops_case_category_key_free()`);

    await q.query(`
      CREATE TABLE case_routing_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- a category key, a group key, or null for any category
        category text,
        area_id integer REFERENCES area(id) ON DELETE CASCADE,
        department text NOT NULL REFERENCES department(code) ON UPDATE CASCADE ON DELETE CASCADE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE NULLS NOT DISTINCT (category, area_id)
      )`);

    await q.query(`
      CREATE TABLE city_case (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        category text NOT NULL REFERENCES case_category(key) ON UPDATE CASCADE ON DELETE RESTRICT,
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
        address text CHECK (length(address) <= 300),
        location geometry(Point, 4326) NOT NULL,
        grid_id integer NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
        -- the city down to the grid, so "cases in street X" is an array lookup and escalation can climb
        area_path integer[] NOT NULL,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        source text NOT NULL CHECK (source IN ('citizen', 'grid_worker', 'staff', 'alert', 'machine', 'enterprise')),
        state text NOT NULL CHECK (state IN ('reported', 'dispatched', 'accepted', 'in_progress', 'resolved', 'verified',
                                             'closed', 'returned', 'invalid', 'duplicate', 'cancelled')),
        reporter_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        reporter_name text CHECK (length(reporter_name) <= 100),
        -- never shown beyond staff
        reporter_contact text CHECK (length(reporter_contact) <= 200),
        -- what a citizen follows the case by, without an account
        public_token text NOT NULL UNIQUE,
        -- a retried submission finds the case its first attempt filed
        submitted_by text NOT NULL,
        client_request_id text CHECK (length(client_request_id) BETWEEN 1 AND 100),
        alert_id uuid REFERENCES alert(id) ON DELETE SET NULL,
        department text REFERENCES department(code) ON UPDATE CASCADE ON DELETE RESTRICT,
        routing_rule_id uuid REFERENCES case_routing_rule(id) ON DELETE SET NULL,
        assignee_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        merged_into bigint REFERENCES city_case(id) ON DELETE RESTRICT,
        rating smallint CHECK (rating BETWEEN 1 AND 5),
        accept_due_at timestamptz,
        resolve_due_at timestamptz,
        reported_at timestamptz NOT NULL,
        dispatched_at timestamptz,
        accepted_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((state = 'duplicate') = (merged_into IS NOT NULL)),
        CHECK (merged_into IS NULL OR merged_into <> id),
        CHECK (state IN ('reported', 'returned', 'invalid', 'cancelled', 'duplicate') OR department IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX city_case_request ON city_case (submitted_by, client_request_id) WHERE client_request_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX city_case_state_created ON city_case (state, created_at DESC)`);
    await q.query(`CREATE INDEX city_case_created ON city_case (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX city_case_department_state ON city_case (department, state)`);
    await q.query(`CREATE INDEX city_case_area_path ON city_case USING gin (area_path)`);
    await q.query(`CREATE INDEX city_case_location ON city_case USING gist (location)`);
    await q.query(`CREATE INDEX city_case_grid ON city_case (grid_id)`);
    await q.query(`CREATE INDEX city_case_merged_into ON city_case (merged_into) WHERE merged_into IS NOT NULL`);

    await q.query(`
      CREATE TABLE case_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id bigint NOT NULL REFERENCES city_case(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        -- a user name, 'system', or 'reporter' for a citizen following the case by its token
        actor text NOT NULL,
        action text NOT NULL CHECK (action ~ '^[a-z_]{1,30}$'),
        from_state text,
        to_state text,
        comment text CHECK (length(comment) <= 2000),
        -- internal notes are never shown to the reporter
        internal boolean NOT NULL DEFAULT false,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX case_event_case_at ON case_event (case_id, at, id)`);

    await q.query(`
      CREATE TABLE case_photo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id bigint NOT NULL REFERENCES city_case(id) ON DELETE CASCADE,
        event_id bigint REFERENCES case_event(id) ON DELETE SET NULL,
        stage text NOT NULL CHECK (stage IN ('report', 'resolve', 'verify', 'note')),
        storage_key text NOT NULL,
        thumbnail_key text NOT NULL,
        mime_type text NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/webp')),
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        bytes integer NOT NULL CHECK (bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        -- where the photo says it was taken (EXIF, read before the metadata is stripped)
        taken_location geometry(Point, 4326),
        taken_at timestamptz,
        uploaded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, sha256, stage)
      )`);

    await q.query(`
      CREATE TABLE case_code_counter (
        prefix text NOT NULL,
        day text NOT NULL CHECK (day ~ '^\\d{8}$'),
        last integer NOT NULL CHECK (last > 0),
        PRIMARY KEY (prefix, day)
      )`);

    // One calendar for the city; its days off and make-up working days by date.
    await q.query(`
      CREATE TABLE working_calendar (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        utc_offset_minutes integer NOT NULL CHECK (utc_offset_minutes BETWEEN -840 AND 840),
        hours jsonb NOT NULL,
        workdays integer[] NOT NULL CHECK (workdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO working_calendar (utc_offset_minutes, hours, workdays)
      VALUES (480, '[{"start":"08:30","end":"12:00"},{"start":"14:00","end":"18:00"}]', '{1,2,3,4,5}')`);
    await q.query(`
      CREATE TABLE working_calendar_day (
        day date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text CHECK (length(name) <= 100)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE working_calendar_day`);
    await q.query(`DROP TABLE working_calendar`);
    await q.query(`DROP TABLE case_code_counter`);
    await q.query(`DROP TABLE case_photo`);
    await q.query(`DROP TABLE case_event`);
    await q.query(`DROP TABLE city_case`);
    await q.query(`DROP TABLE case_routing_rule`);
    await q.query(`DROP TABLE case_category`);
    await q.query(`DROP TABLE case_category_group`);
    await q.query(`DROP FUNCTION cityops_case_category_key_free()`);
    await q.query(`DROP INDEX area_abbrev_per_level`);
    await q.query(`ALTER TABLE area DROP COLUMN abbrev`);
  }
}
