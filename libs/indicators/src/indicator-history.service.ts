import { Inject, Injectable } from '@nestjs/common';
import type { HistoryResolution, IndicatorHistoryPoint, IndicatorHistoryQuery } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { AreaService, type ScopeRoots } from '@cityops/geo';
import { bucketCeil, BUCKET_MS, chooseResolution } from './history-resolution';
import { IndicatorHistoryRepository } from './indicator-history.repository';
import { IndicatorNotFoundError } from './indicator.exception';

export interface IndicatorHistory {
  resolution: HistoryResolution;
  points: IndicatorHistoryPoint[];
}

/** An indicator's values over time, at the resolution asked for or the one that suits the range. */
@Injectable()
export class IndicatorHistoryService {
  constructor(
    private readonly history: IndicatorHistoryRepository,
    private readonly areas: AreaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Points of the scope's areas in [from, to) (default: the hour before now). An area asked for by
   * id must exist and lie in the scope: otherwise 404, the same answer for both, so the scope does
   * not tell what exists. Buckets are those starting in the range, each whole.
   */
  async values(key: string, query: IndicatorHistoryQuery, scope: ScopeRoots = null, now = new Date()): Promise<IndicatorHistory> {
    if (!(await this.history.indicatorExists(key))) throw new IndicatorNotFoundError(key);
    if (query.area !== undefined) await this.areas.get(query.area, false, scope);
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3600_000);
    const resolution = chooseResolution(query.step, from, to, now, this.config.indicatorHistory);
    if (resolution === 'raw') {
      return { resolution, points: await this.history.raw(key, query.area, from, to, query.limit, scope) };
    }
    const width = BUCKET_MS[resolution];
    const points = await this.history.buckets(
      resolution,
      key,
      query.area,
      bucketCeil(from, width),
      bucketCeil(to, width),
      query.limit,
      scope,
    );
    return { resolution, points };
  }

  /**
   * Each area's stored values in [from, to], oldest first: what a consumer replays through its own
   * rules (the alerts derived from a computed history). Every area, no scope: for the server's own
   * use, not an endpoint.
   */
  async series(key: string, window: { from: Date; to: Date }): Promise<Map<number, { ts: Date; value: number }[]>> {
    const byArea = new Map<number, { ts: Date; value: number }[]>();
    for (const { areaId, ts, value } of await this.history.series(key, window.from, window.to)) {
      let points = byArea.get(areaId);
      if (!points) byArea.set(areaId, (points = []));
      points.push({ ts, value });
    }
    return byArea;
  }
}
