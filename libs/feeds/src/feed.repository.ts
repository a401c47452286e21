import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityProfile, FeedDefinition } from '@cityops/contracts';

/** A feed with its pull connector's state, for feed health. */
export interface FeedHealthRow {
  key: string;
  name: string;
  nameEn: string | null;
  kind: FeedDefinition['kind'];
  expectedIntervalSeconds: number | null;
  /** Where the feed's records lie, for who may see its health. */
  zoneSet: string | null;
  departmentCode: string | null;
  hasConnector: boolean;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number | null;
  nextRunAt: Date | null;
}

interface FeedDbRow {
  key: string;
  name: string;
  name_en: string | null;
  description: string | null;
  department_code: string | null;
  theme: string;
  kind: FeedDefinition['kind'];
  metrics: FeedDefinition['metrics'];
  expected_interval_seconds: number | null;
  retention_days: number;
  owner_contact: string | null;
  zone_set: string | null;
  connector: FeedDefinition['connector'];
  entity_profile: EntityProfile | null;
}

const toFeed = (r: FeedDbRow): FeedDefinition => ({
  key: r.key,
  name: r.name,
  nameEn: r.name_en,
  description: r.description,
  departmentCode: r.department_code,
  theme: r.theme,
  kind: r.kind,
  metrics: r.metrics,
  expectedIntervalSeconds: r.expected_interval_seconds,
  retentionDays: r.retention_days,
  ownerContact: r.owner_contact,
  zoneSet: r.zone_set,
  connector: r.connector,
  // Only where set, so the many feeds without one read as they always did.
  ...(r.entity_profile ? { entityProfile: r.entity_profile } : {}),
});

/** The feed catalog: feeds and the departments that own them. */
@Injectable()
export class FeedRepository {
  constructor(private readonly db: DataSource) {}

  async find(key: string): Promise<FeedDefinition | null> {
    const rows: FeedDbRow[] = await this.db.query(`SELECT * FROM feed WHERE key = $1`, [key]);
    return rows[0] ? toFeed(rows[0]) : null;
  }

  async list(): Promise<FeedDefinition[]> {
    const rows: FeedDbRow[] = await this.db.query(`SELECT * FROM feed ORDER BY key`);
    return rows.map(toFeed);
  }

  /** The sealed secrets of the feed's connector (null: none, or a connector stored before they were sealed). */
  async connectorSecrets(key: string): Promise<string | null> {
    const rows: { connector_secrets: string | null }[] = await this.db.query(`SELECT connector_secrets FROM feed WHERE key = $1`, [key]);
    return rows[0]?.connector_secrets ?? null;
  }

  /** Keys of the feeds whose connector has never had its secrets sealed (stored before sealing existed). */
  async unsealedConnectorKeys(): Promise<string[]> {
    const rows: { key: string }[] = await this.db.query(
      `SELECT key FROM feed WHERE connector IS NOT NULL AND connector <> 'null'::jsonb AND connector_secrets IS NULL ORDER BY key`,
    );
    return rows.map((r) => r.key);
  }

  /**
   * Creates or replaces a feed definition, its connector as shown and its sealed secrets (null:
   * none); answers whether it was new.
   */
  async upsert(feed: FeedDefinition, connectorSecrets: string | null): Promise<boolean> {
    const rows: { inserted: boolean }[] = await this.db.query(
      `INSERT INTO feed (key, name, name_en, description, department_code, theme, kind, metrics,
                         expected_interval_seconds, retention_days, owner_contact, zone_set, connector, connector_secrets,
                         entity_profile)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13::jsonb, $14, $15)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en,
         description = EXCLUDED.description, department_code = EXCLUDED.department_code, theme = EXCLUDED.theme,
         kind = EXCLUDED.kind, metrics = EXCLUDED.metrics, expected_interval_seconds = EXCLUDED.expected_interval_seconds,
         retention_days = EXCLUDED.retention_days, owner_contact = EXCLUDED.owner_contact,
         zone_set = EXCLUDED.zone_set, connector = EXCLUDED.connector, connector_secrets = EXCLUDED.connector_secrets,
         -- A definition that leaves the profile out (an older client, the admin form) keeps it.
         entity_profile = CASE WHEN $16::boolean THEN EXCLUDED.entity_profile ELSE feed.entity_profile END,
         updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        feed.key,
        feed.name,
        feed.nameEn,
        feed.description,
        feed.departmentCode,
        feed.theme,
        feed.kind,
        JSON.stringify(feed.metrics),
        feed.expectedIntervalSeconds,
        feed.retentionDays,
        feed.ownerContact,
        feed.zoneSet,
        feed.connector ? JSON.stringify(feed.connector) : null,
        connectorSecrets,
        feed.entityProfile ?? null,
        feed.entityProfile !== undefined,
      ],
    );
    return rows[0]?.inserted ?? false;
  }

  async departmentExists(code: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM department WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  async upsertDepartment(code: string, name: string, nameEn: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO department (code, name, name_en) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en`,
      [code, name, nameEn],
    );
  }

  async departments(): Promise<{ code: string; name: string; nameEn: string | null; feeds: number }[]> {
    return this.db.query(
      `SELECT d.code, d.name, d.name_en AS "nameEn", count(f.key)::int AS feeds
         FROM department d LEFT JOIN feed f ON f.department_code = d.code
        GROUP BY d.code ORDER BY d.code`,
    );
  }

  /**
   * Feeds with their connector's state (feeds without a connector have none): every feed for a
   * null `reader`, else the feeds without a zone set (when the reader's scope holds any area),
   * those of the zone sets given and those of the department (FeedHealthService says why).
   */
  async healthRows(
    reader: { anyArea: boolean; zoneSets: readonly string[]; department: string | null } | null = null,
  ): Promise<FeedHealthRow[]> {
    return this.db.query(
      `SELECT f.key, f.name, f.name_en AS "nameEn", f.kind, f.expected_interval_seconds AS "expectedIntervalSeconds",
              f.zone_set AS "zoneSet", f.department_code AS "departmentCode", f.connector IS NOT NULL AS "hasConnector",
              c.last_run_at AS "lastRunAt", c.last_success_at AS "lastSuccessAt", c.last_error_at AS "lastErrorAt",
              c.last_error AS "lastError", c.consecutive_failures AS "consecutiveFailures", c.next_run_at AS "nextRunAt"
         FROM feed f LEFT JOIN connector_state c ON c.feed_key = f.key
        WHERE $1::text[] IS NULL OR (f.zone_set IS NULL AND $3::boolean) OR f.zone_set = ANY($1::text[]) OR f.department_code = $2::text
        ORDER BY f.key`,
      [reader ? reader.zoneSets : null, reader?.department ?? null, reader?.anyArea ?? true],
    );
  }

  /** How many days each feed keeps its observations and entity states, by feed key. */
  async retentions(): Promise<{ key: string; retentionDays: number }[]> {
    return this.db.query(`SELECT key, retention_days AS "retentionDays" FROM feed ORDER BY key`);
  }
}
