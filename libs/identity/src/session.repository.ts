import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type SessionPrincipalKind = 'user' | 'display';

export interface SessionRow {
  id: string;
  principal_kind: SessionPrincipalKind;
  principal_id: string;
  refresh_generation: number;
  refresh_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, principal_kind, principal_id, refresh_generation, refresh_hash, expires_at, revoked_at';

@Injectable()
export class SessionRepository {
  constructor(private readonly db: DataSource) {}

  async create(
    id: string,
    kind: SessionPrincipalKind,
    principalId: string,
    refreshHash: string,
    expiresAt: Date,
    client: { address: string; userAgent: string | null },
  ): Promise<SessionRow> {
    const rows: SessionRow[] = await this.db.query(
      `INSERT INTO auth_session (id, principal_kind, principal_id, refresh_hash, expires_at, client_address, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [id, kind, principalId, refreshHash, expiresAt, client.address, client.userAgent?.slice(0, 300) ?? null],
    );
    return rows[0];
  }

  async find(id: string): Promise<SessionRow | null> {
    const rows: SessionRow[] = await this.db.query(`SELECT ${COLUMNS} FROM auth_session WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Moves the session to the next refresh token only if it is still at `generation` and alive: of
   * two refreshes racing with the same token, one wins and the other is seen as a reuse.
   */
  async rotate(id: string, generation: number, refreshHash: string, expiresAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH rotated AS (
         UPDATE auth_session SET refresh_generation = refresh_generation + 1, refresh_hash = $3, expires_at = $4, refreshed_at = now()
          WHERE id = $1 AND refresh_generation = $2 AND revoked_at IS NULL AND expires_at > now()
          RETURNING id)
       SELECT id FROM rotated`,
      [id, generation, refreshHash, expiresAt],
    );
    return rows.length > 0;
  }

  async revoke(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE auth_session SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [
      id,
      reason,
    ]);
  }

  /** Ends every live session of a user or display but `keep`; answers how many. */
  async revokeAllOf(kind: SessionPrincipalKind, principalId: string, reason: string, keep: string | null = null): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH revoked AS (
         UPDATE auth_session SET revoked_at = now(), revoked_reason = $3
          WHERE principal_kind = $1 AND principal_id = $2 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4) RETURNING id)
       SELECT id FROM revoked`,
      [kind, principalId, reason, keep],
    );
    return rows.length;
  }

  /** Drops sessions that ended more than a day ago (housekeeping). */
  async deleteEndedBefore(cutoff: Date): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH gone AS (DELETE FROM auth_session WHERE coalesce(revoked_at, expires_at) < $1 RETURNING id) SELECT id FROM gone`,
      [cutoff],
    );
    return rows.length;
  }
}
