import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FeedKeyRow {
  id: string;
  feed_key: string;
  name: string;
  prefix: string;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

export interface DisplayRow {
  id: string;
  name: string;
  description: string | null;
  scope_area_ids: number[];
  scope_zone_sets: string[];
  prefix: string;
  created_at: Date;
  created_by: string | null;
  last_seen_at: Date | null;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

const FEED_KEY_COLUMNS = 'id, feed_key, name, prefix, created_at, created_by, last_used_at, rotated_at, revoked_at';
const DISPLAY_COLUMNS =
  'id, name, description, scope_area_ids, scope_zone_sets, prefix, created_at, created_by, last_seen_at, rotated_at, revoked_at';

/** Machine credentials: per-feed keys and registered display devices, both stored as hashes only. */
@Injectable()
export class CredentialRepository {
  constructor(private readonly db: DataSource) {}

  // ---- feed keys ----

  async findActiveFeedKey(secretHash: string): Promise<FeedKeyRow | null> {
    const rows: FeedKeyRow[] = await this.db.query(
      `SELECT ${FEED_KEY_COLUMNS} FROM feed_key WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [secretHash],
    );
    return rows[0] ?? null;
  }

  async findFeedKey(id: string): Promise<FeedKeyRow | null> {
    const rows: FeedKeyRow[] = await this.db.query(`SELECT ${FEED_KEY_COLUMNS} FROM feed_key WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Last use is kept to the minute: a key pushing every second does not write every second. */
  async noteFeedKeyUsed(id: string): Promise<void> {
    await this.db.query(
      `UPDATE feed_key SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  async listFeedKeys(filter: { feed?: string; revoked?: boolean }): Promise<FeedKeyRow[]> {
    return this.db.query(
      `SELECT ${FEED_KEY_COLUMNS} FROM feed_key
        WHERE ($1::text IS NULL OR feed_key = $1) AND ($2::boolean IS NULL OR (revoked_at IS NOT NULL) = $2)
        ORDER BY feed_key, created_at DESC`,
      [filter.feed ?? null, filter.revoked ?? null],
    );
  }

  /** Null when the feed has an active key of that name already. */
  async insertFeedKey(
    feed: string,
    name: string,
    secretHash: string,
    prefix: string,
    createdBy: string | null,
  ): Promise<FeedKeyRow | null> {
    const rows: FeedKeyRow[] = await this.db.query(
      `INSERT INTO feed_key (feed_key, name, secret_hash, prefix, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (feed_key, name) WHERE revoked_at IS NULL DO NOTHING RETURNING ${FEED_KEY_COLUMNS}`,
      [feed, name, secretHash, prefix, createdBy],
    );
    return rows[0] ?? null;
  }

  /** A new secret for an active key; null when it is revoked or unknown. */
  async rotateFeedKey(id: string, secretHash: string, prefix: string): Promise<FeedKeyRow | null> {
    const rows: FeedKeyRow[] = await this.db.query(
      `WITH rotated AS (
         UPDATE feed_key SET secret_hash = $2, prefix = $3, rotated_at = now() WHERE id = $1 AND revoked_at IS NULL
         RETURNING ${FEED_KEY_COLUMNS})
       SELECT * FROM rotated`,
      [id, secretHash, prefix],
    );
    return rows[0] ?? null;
  }

  /** Revokes (idempotent); null when unknown. */
  async revokeFeedKey(id: string): Promise<FeedKeyRow | null> {
    const rows: FeedKeyRow[] = await this.db.query(
      `WITH revoked AS (
         UPDATE feed_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${FEED_KEY_COLUMNS})
       SELECT * FROM revoked`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Set-up: the named key of a feed holds exactly this secret (created, or rotated to it). */
  async putFeedKey(feed: string, name: string, secretHash: string, prefix: string): Promise<void> {
    await this.db.query(
      `WITH current AS (
         UPDATE feed_key SET secret_hash = $3, prefix = $4, rotated_at = now()
          WHERE feed_key = $1 AND name = $2 AND revoked_at IS NULL AND secret_hash <> $3 RETURNING id)
       INSERT INTO feed_key (feed_key, name, secret_hash, prefix, created_by)
       SELECT $1, $2, $3, $4, 'set-up'
        WHERE NOT EXISTS (SELECT 1 FROM current)
          AND NOT EXISTS (SELECT 1 FROM feed_key WHERE feed_key = $1 AND name = $2 AND revoked_at IS NULL)
       ON CONFLICT DO NOTHING`,
      [feed, name, secretHash, prefix],
    );
  }

  // ---- display devices ----

  async findActiveDisplayByToken(tokenHash: string): Promise<DisplayRow | null> {
    const rows: DisplayRow[] = await this.db.query(
      `SELECT ${DISPLAY_COLUMNS} FROM display_device WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async findDisplay(id: string): Promise<DisplayRow | null> {
    const rows: DisplayRow[] = await this.db.query(`SELECT ${DISPLAY_COLUMNS} FROM display_device WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async noteDisplaySeen(id: string): Promise<void> {
    await this.db.query(
      `UPDATE display_device SET last_seen_at = now() WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')`,
      [id],
    );
  }

  async listDisplays(filter: { revoked?: boolean }): Promise<DisplayRow[]> {
    return this.db.query(
      `SELECT ${DISPLAY_COLUMNS} FROM display_device WHERE ($1::boolean IS NULL OR (revoked_at IS NOT NULL) = $1) ORDER BY name, created_at DESC`,
      [filter.revoked ?? null],
    );
  }

  /** Null when an active display has that name already. */
  async insertDisplay(
    display: { name: string; description: string | null; scopeAreaIds: number[]; scopeZoneSets: string[] },
    tokenHash: string,
    prefix: string,
    createdBy: string | null,
  ): Promise<DisplayRow | null> {
    const rows: DisplayRow[] = await this.db.query(
      `INSERT INTO display_device (name, description, scope_area_ids, scope_zone_sets, token_hash, prefix, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING RETURNING ${DISPLAY_COLUMNS}`,
      [display.name, display.description, display.scopeAreaIds, display.scopeZoneSets, tokenHash, prefix, createdBy],
    );
    return rows[0] ?? null;
  }

  async updateDisplay(
    id: string,
    change: { name?: string; description?: string | null; scopeAreaIds?: number[]; scopeZoneSets?: string[] },
  ): Promise<DisplayRow | null> {
    const rows: DisplayRow[] = await this.db.query(
      `WITH changed AS (
         UPDATE display_device SET name = coalesce($2, name), description = CASE WHEN $3 THEN $4 ELSE description END,
           scope_area_ids = coalesce($5, scope_area_ids), scope_zone_sets = coalesce($6, scope_zone_sets)
          WHERE id = $1 AND revoked_at IS NULL RETURNING ${DISPLAY_COLUMNS})
       SELECT * FROM changed`,
      [
        id,
        change.name ?? null,
        change.description !== undefined,
        change.description ?? null,
        change.scopeAreaIds ?? null,
        change.scopeZoneSets ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  async rotateDisplay(id: string, tokenHash: string, prefix: string): Promise<DisplayRow | null> {
    const rows: DisplayRow[] = await this.db.query(
      `WITH rotated AS (
         UPDATE display_device SET token_hash = $2, prefix = $3, rotated_at = now() WHERE id = $1 AND revoked_at IS NULL
         RETURNING ${DISPLAY_COLUMNS})
       SELECT * FROM rotated`,
      [id, tokenHash, prefix],
    );
    return rows[0] ?? null;
  }

  async revokeDisplay(id: string): Promise<DisplayRow | null> {
    const rows: DisplayRow[] = await this.db.query(
      `WITH revoked AS (
         UPDATE display_device SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${DISPLAY_COLUMNS})
       SELECT * FROM revoked`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Set-up: the named display holds exactly this token and scope (created, or rotated to it). */
  async putDisplay(name: string, tokenHash: string, prefix: string, scopeAreaIds: number[]): Promise<void> {
    await this.db.query(
      `WITH current AS (
         UPDATE display_device SET token_hash = $2, prefix = $3, scope_area_ids = $4, rotated_at = CASE WHEN token_hash <> $2 THEN now() ELSE rotated_at END
          WHERE name = $1 AND revoked_at IS NULL RETURNING id)
       INSERT INTO display_device (name, token_hash, prefix, scope_area_ids, created_by)
       SELECT $1, $2, $3, $4, 'set-up' WHERE NOT EXISTS (SELECT 1 FROM current)
       ON CONFLICT DO NOTHING`,
      [name, tokenHash, prefix, scopeAreaIds],
    );
  }
}
