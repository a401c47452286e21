import { Injectable } from '@nestjs/common';
import { RedisService } from '@cityops/core';

const BUCKET_TTL_SECONDS = 2 * 3600;

export interface FeedStats {
  /** Newest record time seen, epoch ms, or null when Redis has none (e.g. after a Redis restart). */
  lastTs: number | null;
  acceptedLast5Min: number;
  acceptedLastHour: number;
  rejectedLastHour: number;
}

/**
 * Ingest counts per feed and minute, kept in Redis by whichever process ingests. Health reads
 * them instead of counting an hour of observations in PostgreSQL every few seconds, which at
 * tens of thousands of records a second would be the most expensive query of the system.
 */
@Injectable()
export class FeedStatsRepository {
  constructor(private readonly redis: RedisService) {}

  private bucket(feedKey: string, minute: number): string {
    return this.redis.key('feedstats', feedKey, String(minute));
  }

  private get lastKey(): string {
    return this.redis.key('feedstats', 'last');
  }

  async record(feedKey: string, accepted: number, rejected: number, newestTs: number | null, now = Date.now()): Promise<void> {
    const key = this.bucket(feedKey, Math.floor(now / 60000));
    const p = this.redis.client.pipeline();
    if (accepted) p.hincrby(key, 'a', accepted);
    if (rejected) p.hincrby(key, 'r', rejected);
    p.expire(key, BUCKET_TTL_SECONDS);
    if (newestTs !== null) p.zadd(this.lastKey, 'GT', newestTs, feedKey);
    await p.exec();
  }

  async noteLast(feedKey: string, ts: number): Promise<void> {
    await this.redis.client.zadd(this.lastKey, 'GT', ts, feedKey);
  }

  async read(feedKeys: string[], now = Date.now()): Promise<Map<string, FeedStats>> {
    const minute = Math.floor(now / 60000);
    const p = this.redis.client.pipeline();
    for (const feed of feedKeys) {
      p.zscore(this.lastKey, feed);
      for (let m = 0; m < 60; m++) p.hmget(this.bucket(feed, minute - m), 'a', 'r');
    }
    const replies = (await p.exec()) ?? [];
    const stats = new Map<string, FeedStats>();
    feedKeys.forEach((feed, f) => {
      const base = f * 61;
      const last = replies[base]?.[1] as string | null;
      let a5 = 0;
      let a60 = 0;
      let r60 = 0;
      for (let m = 0; m < 60; m++) {
        const [a, r] = (replies[base + 1 + m]?.[1] as (string | null)[] | undefined) ?? [null, null];
        const accepted = Number(a ?? 0);
        if (m < 5) a5 += accepted;
        a60 += accepted;
        r60 += Number(r ?? 0);
      }
      stats.set(feed, { lastTs: last === null ? null : Number(last), acceptedLast5Min: a5, acceptedLastHour: a60, rejectedLastHour: r60 });
    });
    return stats;
  }
}
