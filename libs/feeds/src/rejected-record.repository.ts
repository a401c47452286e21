import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RejectedRecord } from '@cityops/contracts';
import { storableRaw, storableText } from './record-validator';

/** A record that failed validation: its place in the request, what was sent, and why. */
export interface RejectedRow {
  index: number;
  raw: unknown;
  reason: string;
}

/** Rejected records, kept with their reason and source until they are replayed. */
@Injectable()
export class RejectedRecordRepository {
  constructor(private readonly db: DataSource) {}

  async insert(manager: EntityManager, feedKey: string, source: string, batchId: string, rows: RejectedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO rejected_record (feed_key, source, batch_id, record_index, raw, reason)
       SELECT $1, $2, $3, r.idx, coalesce(r.raw, 'null'::jsonb), r.reason
         FROM jsonb_to_recordset($4::jsonb) AS r(idx int, raw jsonb, reason text)
       ON CONFLICT (batch_id, record_index) DO NOTHING`,
      [
        feedKey,
        source,
        batchId,
        // A reason may quote what was sent; both are made storable, so keeping them never fails the batch.
        JSON.stringify(rows.map((r) => ({ idx: r.index, raw: storableRaw(r.raw ?? null), reason: storableText(r.reason) }))),
      ],
    );
  }

  /** Kept rejected records not yet replayed, oldest first. */
  async pending(feedKey: string, limit: number): Promise<{ id: string; raw: unknown }[]> {
    return this.db.query(`SELECT id::text, raw FROM rejected_record WHERE feed_key = $1 AND replayed_at IS NULL ORDER BY id LIMIT $2`, [
      feedKey,
      limit,
    ]);
  }

  async markReplayed(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE rejected_record SET replayed_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async updateReasons(manager: EntityManager, updates: { id: string; reason: string }[]): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE rejected_record r SET reason = u.reason
         FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, reason text) WHERE r.id = u.id`,
      [JSON.stringify(updates)],
    );
  }

  /**
   * A feed's rejected records, newest first. A rejected record was never placed (its location may
   * be missing or the very reason it was refused), so it belongs to no area: city-wide callers
   * (`allFeeds`) read every feed's, a scoped caller only those of the feeds its department owns.
   */
  async list(feedKey: string, limit: number, reader: { allFeeds: boolean; department: string | null }): Promise<RejectedRecord[]> {
    return this.db.query(
      `SELECT id::text, source, batch_id AS "batchId", record_index AS "index", raw, reason,
              received_at AS "receivedAt", replayed_at AS "replayedAt"
         FROM rejected_record
        WHERE feed_key = $1
          AND ($3::boolean OR EXISTS (SELECT 1 FROM feed f WHERE f.key = $1 AND f.department_code = $4::text))
        ORDER BY received_at DESC, id DESC LIMIT $2`,
      [feedKey, limit, reader.allFeeds, reader.department],
    );
  }
}
