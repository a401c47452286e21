import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '@cityops/contracts';

/** A connector feed with what the scheduler needs to decide whether it has a pending run. */
export interface ConnectorScheduleRow {
  feedKey: string;
  connector: Pick<ConnectorConfig, 'intervalSeconds' | 'timeoutSeconds'>;
  /** Epoch milliseconds, or null. */
  nextRunAt: number | null;
  lastRunAt: number | null;
  feedUpdatedAt: number;
}

/**
 * `next_run_at` doubles as the token of a feed's one pending run: it is only ever written with
 * millisecond values computed here, and moved with compare-and-set, so that of two workers
 * racing for a feed exactly one wins and enqueues the job.
 */
const NEXT_RUN_MS = `floor(extract(epoch FROM next_run_at) * 1000)::float8`;

const iso = (ms: number) => new Date(ms).toISOString();

const positive = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

@Injectable()
export class ConnectorStateRepository {
  constructor(private readonly db: DataSource) {}

  // Run times come from the database clock, like feed.updated_at they are compared with.

  /** A successful run: the failure streak ends. */
  async recordSuccess(feedKey: string, accepted: number): Promise<void> {
    await this.db.query(
      `INSERT INTO connector_state (feed_key, last_run_at, last_success_at, last_accepted, consecutive_failures)
       VALUES ($1, now(), now(), $2, 0)
       ON CONFLICT (feed_key) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, last_success_at = EXCLUDED.last_success_at,
         last_accepted = EXCLUDED.last_accepted, consecutive_failures = 0`,
      [feedKey, accepted],
    );
  }

  /** A failed run; answers the length of the failure streak, this one included. */
  async recordFailure(feedKey: string, error: string): Promise<number> {
    const rows: { consecutive_failures: number }[] = await this.db.query(
      `INSERT INTO connector_state (feed_key, last_run_at, last_error_at, last_error, consecutive_failures)
       VALUES ($1, now(), now(), $2, 1)
       ON CONFLICT (feed_key) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, last_error_at = EXCLUDED.last_error_at,
         last_error = EXCLUDED.last_error, consecutive_failures = connector_state.consecutive_failures + 1
       RETURNING consecutive_failures`,
      [feedKey, error],
    );
    return rows[0]?.consecutive_failures ?? 1;
  }

  /** Whether the run planned for `runAt` is still the feed's pending run (not superseded). */
  async isPendingRun(feedKey: string, runAt: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM connector_state WHERE feed_key = $1 AND ${NEXT_RUN_MS} = $2`, [
      feedKey,
      runAt,
    ]);
    return rows.length > 0;
  }

  /**
   * Moves the pending run from `from` to `to` (null: no further run) if `from` is still the
   * pending one (or, with `from` null, if there is none yet). Answers whether this caller won.
   */
  async movePendingRun(feedKey: string, from: number | null, to: number | null): Promise<boolean> {
    const rows: unknown[] =
      from === null
        ? await this.db.query(
            `INSERT INTO connector_state (feed_key, next_run_at) VALUES ($1, $2)
             ON CONFLICT (feed_key) DO UPDATE SET next_run_at = EXCLUDED.next_run_at WHERE connector_state.next_run_at IS NULL
             RETURNING 1`,
            [feedKey, to === null ? null : iso(to)],
          )
        : await this.db.query(`UPDATE connector_state SET next_run_at = $3 WHERE feed_key = $1 AND ${NEXT_RUN_MS} = $2 RETURNING 1`, [
            feedKey,
            from,
            to === null ? null : iso(to),
          ]);
    return rows.length > 0;
  }

  /** Every feed with a connector, with its schedule state. */
  async connectorFeeds(): Promise<ConnectorScheduleRow[]> {
    const rows: {
      key: string;
      connector: { intervalSeconds?: unknown; timeoutSeconds?: unknown };
      next_run_ms: number | null;
      last_run_ms: number | null;
      updated_ms: number;
    }[] = await this.db.query(
      `SELECT f.key, f.connector,
              floor(extract(epoch FROM c.next_run_at) * 1000)::float8 AS next_run_ms,
              floor(extract(epoch FROM c.last_run_at) * 1000)::float8 AS last_run_ms,
              floor(extract(epoch FROM f.updated_at) * 1000)::float8 AS updated_ms
         FROM feed f LEFT JOIN connector_state c ON c.feed_key = f.key
        WHERE f.connector IS NOT NULL AND f.connector <> 'null'::jsonb
        ORDER BY f.key`,
    );
    return rows.map((r) => ({
      feedKey: r.key,
      // Defaults for a connector written straight into the database; its run reports what is wrong.
      connector: { intervalSeconds: positive(r.connector.intervalSeconds, 300), timeoutSeconds: positive(r.connector.timeoutSeconds, 20) },
      nextRunAt: r.next_run_ms,
      lastRunAt: r.last_run_ms,
      feedUpdatedAt: r.updated_ms,
    }));
  }
}
