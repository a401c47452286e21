import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FeedDefinition } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { AreaLocator } from '@cityops/geo';
import { FeedStatsRepository } from './feed-stats.repository';
import { FeedUpdates } from './feed-updates.service';
import { FeedNotFoundError } from './feed.exception';
import { FeedRepository } from './feed.repository';
import { observationLineHead, observationLineTail } from './observation-copy';
import { ObservationRepository } from './observation.repository';
import { StorageService } from './storage.service';

/** One reading of a trusted source's history: located, with an id of its own, like a simulator's record. */
export interface BackfillReading {
  id: string;
  entity: string | null;
  metric: string;
  value: number;
  /** Epoch milliseconds. */
  ts: number;
  /** [lon, lat] */
  location: readonly [number, number];
  /** Readings of one site should share one props object: its JSON is then made once. */
  props: Record<string, unknown> | null;
}

export interface BackfillResult {
  feed: string;
  /** Rows written; 0 when the feed already held observations in the window. */
  written: number;
  /** Readings left out because they break the feed's definition (unknown metric, value out of range, outside the window or the city). */
  rejected: number;
  /** True when the feed already held observations in the window, so nothing was written. */
  skipped: boolean;
}

const DAY_MS = 86400_000;
/** Sites remembered at once; a source with more distinct locations and props only costs more time. */
const MAX_TAILS = 10_000;

/** Props are told apart by identity: a source gives all readings of a site one props object (else only the cache misses). */
const propsIds = new WeakMap<object, number>();
let nextPropsId = 0;
function tailKey(r: BackfillReading): string {
  let id = 0;
  if (r.props) {
    id = propsIds.get(r.props) ?? ++nextPropsId;
    propsIds.set(r.props, id);
  }
  return `${r.location[0]} ${r.location[1]} ${id}`;
}
/** Feed health counts records per minute over the last hour or two: the backfill's last two hours are counted as if they had arrived then. */
const COUNTED_MS = 2 * 3600_000;

/**
 * A feed's history in bulk, from a trusted internal source (the demo's day of readings at
 * set-up): written with COPY in one transaction per feed, and only into a feed that holds no
 * observation in the window, so a second run writes nothing. Keeps what ingest keeps: every
 * row checked against the feed's metrics, ranges and the city's bounds, tagged with its grid and
 * every area above it, the daily partitions created first, feed health's counts and newest time,
 * and the feed's listeners (its indicators) told once at the end.
 */
@Injectable()
export class ObservationBackfillService {
  private readonly logger = new Logger(ObservationBackfillService.name);

  constructor(
    private readonly feeds: FeedRepository,
    private readonly observations: ObservationRepository,
    private readonly storage: StorageService,
    private readonly locator: AreaLocator,
    private readonly stats: FeedStatsRepository,
    private readonly updates: FeedUpdates,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes the readings of [from, to) that `batches` yields, unless the feed already holds an
   * observation in that window. Batches are pulled only as fast as PostgreSQL takes the rows.
   */
  async backfill(
    feedKey: string,
    window: { from: Date; to: Date },
    batches: Iterable<BackfillReading[]> | AsyncIterable<BackfillReading[]>,
  ): Promise<BackfillResult> {
    const feed = await this.feeds.find(feedKey);
    if (!feed) throw new FeedNotFoundError(feedKey);
    const daysBack = Math.max(1, Math.ceil((Date.now() - window.from.getTime()) / DAY_MS) + 1);
    await this.storage.ensurePartitions(daysBack);

    // The grid index is loaded before the transaction waits for its connection: loading parses
    // every grid and holds this process for a moment, long enough on a busy machine for a
    // connection awaited meanwhile to time out.
    await this.locator.locateMany([]);

    const counted = new Map<number, number>();
    let rejected = 0;
    let newest: number | null = null;
    const lines = this.copyText(feed, window, batches, {
      reject: () => rejected++,
      written: (ts) => {
        if (newest === null || ts > newest) newest = ts;
        if (ts >= Date.now() - COUNTED_MS) {
          const minute = Math.floor(ts / 60_000);
          counted.set(minute, (counted.get(minute) ?? 0) + 1);
        }
      },
    });
    const written = await this.observations.transaction(async (m) => {
      if (!(await this.observations.lockAndCheckEmpty(m, feed.key, window.from, window.to))) return null;
      return this.observations.copyLines(m, lines);
    });
    if (written === null) return { feed: feed.key, written: 0, rejected: 0, skipped: true };

    for (const [minute, n] of counted) await this.stats.record(feed.key, n, 0, null, minute * 60_000);
    if (newest !== null) await this.stats.noteLast(feed.key, newest);
    if (rejected > 0) this.logger.warn({ feed: feed.key, rejected }, 'backfilled readings left out: they break the feed’s definition');
    if (written > 0) await this.updates.feedUpdated(feed.key);
    return { feed: feed.key, written, rejected, skipped: false };
  }

  /** The feeds among `feedKeys` that hold no observation in the window: those a backfill would write. */
  emptyFeeds(feedKeys: readonly string[], window: { from: Date; to: Date }): Promise<string[]> {
    return this.observations.emptyFeeds(feedKeys, window.from, window.to);
  }

  /** The batches as COPY text, one chunk per batch: checked, tagged with their grids. */
  private async *copyText(
    feed: FeedDefinition,
    window: { from: Date; to: Date },
    batches: Iterable<BackfillReading[]> | AsyncIterable<BackfillReading[]>,
    tally: { reject(): void; written(ts: number): void },
  ): AsyncGenerator<string> {
    const metrics = new Map(feed.metrics.map((m) => [m.key, m]));
    const [minLon, minLat, maxLon, maxLat] = this.config.cityBounds;
    const from = window.from.getTime();
    const to = window.to.getTime();
    const tails = new Map<string, string>();
    for await (const batch of batches) {
      const kept = batch.filter((r) => {
        const metric = metrics.get(r.metric);
        const [lon, lat] = r.location;
        const ok =
          metric !== undefined &&
          Number.isFinite(r.value) &&
          (metric.min === undefined || r.value >= metric.min) &&
          (metric.max === undefined || r.value <= metric.max) &&
          r.ts >= from &&
          r.ts < to &&
          lon >= minLon &&
          lon <= maxLon &&
          lat >= minLat &&
          lat <= maxLat;
        if (!ok) tally.reject();
        return ok;
      });
      // The area, point and props of a site are the same on every row: made once per location and props.
      if (tails.size > MAX_TAILS) tails.clear();
      const missing = new Map<string, BackfillReading>();
      for (const r of kept) {
        const key = tailKey(r);
        if (!tails.has(key) && !missing.has(key)) missing.set(key, r);
      }
      const fresh = [...missing.values()];
      const grids = await this.locator.locateMany(fresh.map((r): [number, number] => [r.location[0], r.location[1]]));
      fresh.forEach((r, i) => {
        const [lon, lat] = r.location;
        tails.set(tailKey(r), observationLineTail(grids[i]?.areaId ?? null, grids[i]?.path ?? [], lon, lat, r.props));
      });
      let text = '';
      for (const r of kept) {
        const tail = tails.get(tailKey(r));
        text += `${observationLineHead(feed.key, r.id, new Date(r.ts).toISOString(), r.metric, r.value, r.entity)}\t${tail}\n`;
        tally.written(r.ts);
      }
      if (text) yield text;
    }
  }
}
