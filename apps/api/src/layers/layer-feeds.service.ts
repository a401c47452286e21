import { Injectable } from '@nestjs/common';
import type { FeedDefinition } from '@cityops/contracts';
import { FeedCatalogService } from '@cityops/feeds';

/** How long the feed catalog is answered from memory. */
const MAX_AGE_MS = 10_000;
/** A key not in the catalog reads it again, but not more often than this (a burst of bad keys must not become a burst of queries). */
const MISS_REFRESH_MS = 1_000;

/**
 * The feed catalog as the tile route needs it: every tile request names a feed, and a query per
 * tile would cost more than the cached tile. A feed just created is found on the first request
 * that misses it; a feed deleted stays known here for at most MAX_AGE_MS (its tiles are empty).
 */
@Injectable()
export class LayerFeeds {
  private feeds = new Map<string, FeedDefinition>();
  private readAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly catalog: FeedCatalogService) {}

  async find(key: string): Promise<FeedDefinition | undefined> {
    const now = Date.now();
    if (now - this.readAt > MAX_AGE_MS || (!this.feeds.has(key) && now - this.readAt > MISS_REFRESH_MS)) await this.reload();
    return this.feeds.get(key);
  }

  /** Every feed, read fresh (the catalog route is rare). */
  async all(): Promise<FeedDefinition[]> {
    await this.reload();
    return [...this.feeds.values()];
  }

  private reload(): Promise<void> {
    // Concurrent misses share one read.
    this.loading ??= this.catalog
      .list()
      .then((feeds) => {
        this.feeds = new Map(feeds.map((f) => [f.key, f]));
        this.readAt = Date.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
