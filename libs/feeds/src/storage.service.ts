import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

const PARTITION = /^observation_p(\d{4})(\d{2})(\d{2})$/;

/**
 * Observations live in daily partitions: created ahead of time, and dropped whole once every
 * feed's retention has passed them. A feed with a shorter retention than others has its old rows
 * deleted from the partitions that must stay for the others.
 */
@Injectable()
export class StorageService {
  private readonly logger = new Logger(StorageService.name);

  constructor(private readonly db: DataSource) {}

  async ensurePartitions(daysBack = 1, daysAhead = 7): Promise<number> {
    const rows: { created: number }[] = await this.db.query(
      `SELECT cityops_ensure_observation_partitions((now() AT TIME ZONE 'UTC')::date - $1::int, $1::int + $2::int + 1) AS created`,
      [daysBack, daysAhead],
    );
    const created = rows[0]?.created ?? 0;
    if (created) this.logger.log({ created }, 'observation partitions created');
    return created;
  }

  async partitions(): Promise<{ name: string; day: string }[]> {
    const rows: { name: string }[] = await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'observation'::regclass ORDER BY c.relname`,
    );
    return rows.flatMap((r) => {
      const m = PARTITION.exec(r.name);
      return m ? [{ name: r.name, day: `${m[1]}-${m[2]}-${m[3]}` }] : [];
    });
  }

  /** Applies every feed's retention; answers what was dropped and deleted. */
  async applyRetention(now = new Date()): Promise<{ droppedPartitions: string[]; deletedRows: number }> {
    const feeds: { key: string; retention_days: number }[] = await this.db.query(`SELECT key, retention_days FROM feed`);
    const longest = Math.max(1, ...feeds.map((f) => f.retention_days));
    const dayMs = 86400_000;
    const droppedPartitions: string[] = [];
    let deletedRows = 0;
    for (const p of await this.partitions()) {
      const end = Date.parse(`${p.day}T00:00:00Z`) + dayMs;
      const ageDays = (now.getTime() - end) / dayMs;
      if (ageDays >= longest) {
        await this.db.query(`DROP TABLE ${p.name}`);
        droppedPartitions.push(p.name);
        continue;
      }
      const expired = feeds.filter((f) => ageDays >= f.retention_days).map((f) => f.key);
      if (expired.length) {
        const result: { n: number }[] = await this.db.query(
          `WITH gone AS (DELETE FROM ${p.name} WHERE feed_key = ANY($1::text[]) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
          [expired],
        );
        deletedRows += result[0]?.n ?? 0;
      }
    }
    // The default partition only catches rows outside the created days (late or far-future data).
    const fromDefault: { n: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM observation_default o USING feed f
                      WHERE f.key = o.feed_key AND o.ts < $1::timestamptz - make_interval(days => f.retention_days) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now],
    );
    deletedRows += fromDefault[0]?.n ?? 0;
    if (droppedPartitions.length || deletedRows) this.logger.log({ droppedPartitions, deletedRows }, 'retention applied');
    return { droppedPartitions, deletedRows };
  }
}
