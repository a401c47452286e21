import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Open311KeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, prefix, created_at, created_by, last_used_at, revoked_at';

/** The Open311 API keys; only a key's SHA-256 is kept. */
@Injectable()
export class Open311KeyRepository {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<Open311KeyRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM open311_api_key ORDER BY revoked_at IS NOT NULL, name, created_at`);
  }

  /** Null when an active key already has the name. */
  async insert(name: string, keyHash: string, prefix: string, createdBy: string): Promise<Open311KeyRow | null> {
    const rows: Open311KeyRow[] = await this.db.query(
      `INSERT INTO open311_api_key (name, key_hash, prefix, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING RETURNING ${COLUMNS}`,
      [name, keyHash, prefix, createdBy],
    );
    return rows[0] ?? null;
  }

  /** Revokes a key (a second time changes nothing); null when there is no such key. */
  async revoke(id: string): Promise<Open311KeyRow | null> {
    const rows: Open311KeyRow[] = await this.db.query(
      `WITH gone AS (UPDATE open311_api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM gone`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The active key with this hash, marked as used now; null for an unknown or revoked one. */
  async use(keyHash: string): Promise<Open311KeyRow | null> {
    const rows: Open311KeyRow[] = await this.db.query(
      `WITH used AS (UPDATE open311_api_key SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING ${COLUMNS})
       SELECT * FROM used`,
      [keyHash],
    );
    return rows[0] ?? null;
  }
}
