import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

const PARTITION = /^observation_p(\d{4})(\d{2})(\d{2})$/;

/** A daily partition of `observation`. */
export interface ObservationPartition {
  name: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
}

/** The daily partitions of `observation`: created ahead, dropped or thinned out by retention. */
@Injectable()
export class StorageRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates the missing partitions for `days` days from `daysBack` days ago; answers how many were made. */
  async ensurePartitions(daysBack: number, days: number): Promise<number> {
    const rows: { created: number }[] = await this.db.query(
      `SELECT cityops_ensure_observation_partitions((now() AT TIME ZONE 'UTC')::date - $1::int, $2::int) AS created`,
      [daysBack, days],
    );
    return rows[0]?.created ?? 0;
  }

  /** The daily partitions, oldest first (the default partition is not one). */
  async partitions(): Promise<ObservationPartition[]> {
    const rows: { name: string }[] = await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'observation'::regclass ORDER BY c.relname`,
    );
    return rows.flatMap((r) => {
      const m = PARTITION.exec(r.name);
      return m ? [{ name: r.name, day: `${m[1]}-${m[2]}-${m[3]}` }] : [];
    });
  }

  async dropPartition(p: ObservationPartition): Promise<void> {
    await this.db.query(`DROP TABLE ${partitionName(p)}`);
  }

  /** Deletes the rows of these feeds from one partition; answers how many. */
  async deleteFeedsFrom(p: ObservationPartition, feedKeys: string[]): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM ${partitionName(p)} WHERE feed_key = ANY($1::text[]) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [feedKeys],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * The default partition only catches rows outside the created days (late or far-future data):
   * deletes those older than their feed's retention at `now`; answers how many.
   */
  async deleteExpiredFromDefault(now: Date): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM observation_default o USING feed f
                      WHERE f.key = o.feed_key AND o.ts < $1::timestamptz - make_interval(days => f.retention_days) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now],
    );
    return rows[0]?.n ?? 0;
  }
}

/** A partition's name goes into DDL unquoted, so only a name of our own pattern gets there. */
function partitionName(p: ObservationPartition): string {
  if (!PARTITION.test(p.name)) throw new Error(`not an observation partition: ${p.name}`);
  return p.name;
}
