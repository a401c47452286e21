import { Injectable } from '@nestjs/common';
import { ServerEvents, type FeedHealthStatus, type FeedHealthView } from '@cityops/contracts';
import { type LivePlace, LivePublisher } from '@cityops/core';
import { AreaDirectory, AreaService, type ScopeRoots } from '@cityops/geo';
import { EntityRepository } from './entity.repository';
import { FeedStatsRepository } from './feed-stats.repository';
import { FeedRepository, type FeedHealthRow } from './feed.repository';
import { ObservationRepository } from './observation.repository';

/** A feed is stale when nothing came for three expected intervals (and at least a minute). */
export function healthStatus(
  row: { lastTs: Date | null } & Pick<FeedHealthRow, 'expectedIntervalSeconds' | 'consecutiveFailures'>,
  rejectedShare: number,
  now: number,
): FeedHealthStatus {
  if ((row.consecutiveFailures ?? 0) >= 3 || rejectedShare > 0.5) return 'failing';
  if (!row.lastTs) return 'silent';
  if (row.expectedIntervalSeconds) {
    const late = (now - row.lastTs.getTime()) / 1000;
    if (late > Math.max(3 * row.expectedIntervalSeconds, 60)) return 'stale';
  }
  return 'ok';
}

@Injectable()
export class FeedHealthService {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly observations: ObservationRepository,
    private readonly entities: EntityRepository,
    private readonly live: LivePublisher,
    private readonly stats: FeedStatsRepository,
    private readonly areaService: AreaService,
    private readonly areas: AreaDirectory,
  ) {}

  /**
   * Each feed's rate, lateness and rejected share: counts from Redis, definitions from the catalog.
   *
   * Which feeds a caller sees: a city-wide caller every feed. A scoped caller (a district's wall or
   * commander) sees the feeds its screens depend on, decided from the catalog alone so that it
   * costs nothing per record: a feed without a zone set serves the whole city, so any scope that
   * holds an area sees it; a feed of a zone set (an event) only where one of its zones lies in the
   * scope (a district a race course runs through sees the race's feed); and a department's people
   * see its own feeds whatever their scope. Health carries no records, only how a feed is doing.
   */
  async current(scope: ScopeRoots = null, department: string | null = null): Promise<FeedHealthView[]> {
    const reader = scope ? { anyArea: scope.length > 0, zoneSets: await this.areaService.zoneSetsInScope(scope), department } : null;
    const rows = await this.feeds.healthRows(reader);
    return this.views(rows);
  }

  private async views(rows: FeedHealthRow[]): Promise<FeedHealthView[]> {
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
        name: r.name,
        nameEn: r.nameEn,
        status: healthStatus({ ...r, lastTs: last }, rejectedShare, now),
        recordsPerMinute: Math.round((s.acceptedLast5Min / 5) * 10) / 10,
        lastRecordAt: iso(last),
        lagSeconds: last && r.expectedIntervalSeconds ? Math.round((now - last.getTime()) / 1000 - r.expectedIntervalSeconds) : null,
        expectedIntervalSeconds: r.expectedIntervalSeconds,
        rejectedShare: Math.round(rejectedShare * 1000) / 1000,
        connector: r.hasConnector
          ? {
              lastRunAt: iso(r.lastRunAt),
              lastSuccessAt: iso(r.lastSuccessAt),
              lastErrorAt: iso(r.lastErrorAt),
              lastError: r.lastError,
              consecutiveFailures: r.consecutiveFailures ?? 0,
              nextRunAt: iso(r.nextRunAt),
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
    const newest = kind === 'entity' ? await this.entities.newestArrival(feedKey) : await this.observations.newestRecentTs(feedKey);
    const last = newest?.getTime() ?? null;
    if (last !== null) await this.stats.noteLast(feedKey, last);
    return last;
  }

  /**
   * Computes and pushes `feed.health` to the `feeds` channel (the wall shows stale feeds quietly),
   * each scoped listener getting the feeds `current` would show it.
   */
  async publish(): Promise<FeedHealthView[]> {
    const rows = await this.feeds.healthRows();
    const feeds = await this.views(rows);
    const places = await Promise.all(
      rows.map(async (r): Promise<LivePlace> => ({
        areaIds: r.zoneSet ? (await this.areas.zoneSetAreas(r.zoneSet)).map((a) => a.id) : null,
        department: r.departmentCode,
      })),
    );
    this.live.publishScoped({ channel: 'feeds', event: ServerEvents.feedHealth, payload: { feeds }, list: { key: 'feeds', places } });
    return feeds;
  }
}
