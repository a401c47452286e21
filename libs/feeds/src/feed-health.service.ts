import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServerEvents, type FeedHealthStatus, type FeedHealthView } from '@cityops/contracts';
import { LivePublisher } from '@cityops/core';
import { FeedStatsRepository } from './feed-stats.repository';

interface HealthRow {
  key: string;
  kind: string;
  expected_interval_seconds: number | null;
  has_connector: boolean;
  last_run_at: Date | null;
  last_success_at: Date | null;
  last_error_at: Date | null;
  last_error: string | null;
  consecutive_failures: number | null;
  next_run_at: Date | null;
}

/** A feed is stale when nothing came for three expected intervals (and at least a minute). */
export function healthStatus(
  row: { last_ts: Date | null } & Pick<HealthRow, 'expected_interval_seconds' | 'consecutive_failures'>,
  rejectedShare: number,
  now: number,
): FeedHealthStatus {
  if ((row.consecutive_failures ?? 0) >= 3 || rejectedShare > 0.5) return 'failing';
  if (!row.last_ts) return 'silent';
  if (row.expected_interval_seconds) {
    const late = (now - row.last_ts.getTime()) / 1000;
    if (late > Math.max(3 * row.expected_interval_seconds, 60)) return 'stale';
  }
  return 'ok';
}

@Injectable()
export class FeedHealthService {
  constructor(
    private readonly db: DataSource,
    private readonly live: LivePublisher,
    private readonly stats: FeedStatsRepository,
  ) {}

  /** Every feed's rate, lateness and rejected share: counts from Redis, definitions from the catalog. */
  async current(): Promise<FeedHealthView[]> {
    const rows: HealthRow[] = await this.db.query(
      `SELECT f.key, f.kind, f.expected_interval_seconds, f.connector IS NOT NULL AS has_connector,
              c.last_run_at, c.last_success_at, c.last_error_at, c.last_error, c.consecutive_failures, c.next_run_at
         FROM feed f LEFT JOIN connector_state c ON c.feed_key = f.key
        ORDER BY f.key`,
    );
    const now = Date.now();
    const stats = await this.stats.read(
      rows.map((r) => r.key),
      now,
    );
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    const views: FeedHealthView[] = [];
    for (const r of rows) {
      const s = stats.get(r.key)!;
      const lastTs = s.lastTs ?? (await this.lastFromDatabase(r.key, r.kind));
      const last = lastTs === null ? null : new Date(lastTs);
      const total = s.acceptedLastHour + s.rejectedLastHour;
      const rejectedShare = total ? s.rejectedLastHour / total : 0;
      views.push({
        feedKey: r.key,
        status: healthStatus({ ...r, last_ts: last }, rejectedShare, now),
        recordsPerMinute: Math.round((s.acceptedLast5Min / 5) * 10) / 10,
        lastRecordAt: iso(last),
        lagSeconds: last && r.expected_interval_seconds ? Math.round((now - last.getTime()) / 1000 - r.expected_interval_seconds) : null,
        expectedIntervalSeconds: r.expected_interval_seconds,
        rejectedShare: Math.round(rejectedShare * 1000) / 1000,
        connector: r.has_connector
          ? {
              lastRunAt: iso(r.last_run_at),
              lastSuccessAt: iso(r.last_success_at),
              lastErrorAt: iso(r.last_error_at),
              lastError: r.last_error,
              consecutiveFailures: r.consecutive_failures ?? 0,
              nextRunAt: iso(r.next_run_at),
            }
          : null,
        checkedAt: new Date(now).toISOString(),
      });
    }
    return views;
  }

  /**
   * When Redis knows nothing of a feed (it keeps nothing on disk), the newest record is looked up
   * once in the recent partitions and remembered.
   */
  private async lastFromDatabase(feedKey: string, kind: string): Promise<number | null> {
    const rows: { last: Date | null }[] =
      kind === 'entity'
        ? await this.db.query(`SELECT max(recorded_at) AS last FROM entity_history WHERE feed_key = $1`, [feedKey])
        : await this.db.query(`SELECT max(ts) AS last FROM observation WHERE feed_key = $1 AND ts > now() - interval '2 days'`, [feedKey]);
    const last = rows[0]?.last?.getTime() ?? null;
    if (last !== null) await this.stats.noteLast(feedKey, last);
    return last;
  }

  /** Computes and pushes `feed.health` to the `feeds` channel (the wall shows stale feeds quietly). */
  async publish(): Promise<FeedHealthView[]> {
    const feeds = await this.current();
    this.live.publish('feeds', ServerEvents.feedHealth, { feeds });
    return feeds;
  }
}
