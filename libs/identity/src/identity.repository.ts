import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@cityops/contracts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  disabled: boolean;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  kind: 'kiosk' | 'feed';
  roles: Role[];
  feed_keys: string[];
}

@Injectable()
export class IdentityRepository {
  constructor(private readonly db: DataSource) {}

  async findUserByUsername(username: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `SELECT id, username, display_name, password_hash, roles, disabled FROM app_user WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  async insertUserIfMissing(username: string, displayName: string, passwordHash: string, roles: Role[]): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO app_user (username, display_name, password_hash, roles) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [username, displayName, passwordHash, roles],
    );
    return rows.length > 0;
  }

  async findActiveToken(tokenHash: string): Promise<ApiTokenRow | null> {
    // Wrapped in a SELECT: for a bare UPDATE, TypeORM answers [rows, count] instead of rows.
    const rows: ApiTokenRow[] = await this.db.query(
      `WITH used AS (
         UPDATE api_token SET last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL
          RETURNING id, name, kind, roles, feed_keys)
       SELECT * FROM used`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** Creates or rotates the named token so that it matches the configured secret. */
  async upsertToken(name: string, kind: 'kiosk' | 'feed', tokenHash: string, roles: Role[], feedKeys: string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO api_token (name, kind, token_hash, roles, feed_keys) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash, kind = EXCLUDED.kind,
         roles = EXCLUDED.roles, feed_keys = EXCLUDED.feed_keys, revoked_at = NULL`,
      [name, kind, tokenHash, roles, feedKeys],
    );
  }
}
