import { Injectable } from '@nestjs/common';
import type { ScopeRoots } from '@cityops/geo';
import type { AreaAggregate, ObservationAggregate } from './observation-aggregate';
import { ObservationRepository, type LatestValue } from './observation.repository';

export type { AreaAggregate, ObservationAggregate } from './observation-aggregate';
export type { LatestValue } from './observation.repository';

/** What other domains may read of the observations feeds store (indicators compute from these). */
@Injectable()
export class ObservationQueryService {
  constructor(private readonly observations: ObservationRepository) {}

  /** The newest value of a feed's metric in each of the areas, keyed by area id; areas without one are absent. */
  async latestPerArea(feedKey: string, metric: string, areaIds: number[]): Promise<Map<number, LatestValue>> {
    const values = await this.observations.latestPerArea(feedKey, metric, areaIds);
    return new Map(values.map((v) => [v.areaId, v]));
  }

  /** A metric's located readings with `from <= ts < to`, binned per cell of a vector tile, of the scope only. */
  heatTile(
    feedKey: string,
    metric: string,
    window: { from: Date; to: Date },
    tile: { z: number; x: number; y: number },
    scope: ScopeRoots = null,
  ): Promise<Buffer> {
    return this.observations.heatTile(feedKey, metric, window, tile, scope);
  }

  /** The feeds among `feedKeys` with a located reading since `since`. */
  locatedFeeds(feedKeys: readonly string[], since: Date): Promise<string[]> {
    return this.observations.locatedFeeds(feedKeys, since);
  }

  /**
   * A feed's metric in each of the areas at each point: per entity over the window, then across
   * the entities of each area, in one statement. Areas without readings are absent.
   */
  aggregatePerArea(q: ObservationAggregate): Promise<AreaAggregate[]> {
    return this.observations.aggregatePerArea(q);
  }
}
