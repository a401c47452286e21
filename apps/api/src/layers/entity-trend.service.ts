import { Injectable } from '@nestjs/common';
import type { EntitySeries, EntitySeriesQuery, EntitySeriesThreshold } from '@cityops/contracts';
import { LiveLayerService } from '@cityops/feeds';
import type { ScopeRoots } from '@cityops/geo';
import { IndicatorService, type IndicatorDefinition } from '@cityops/indicators';

/** Per-entity and across-entity statistics that keep a reading's scale (a sum, a count or a rate would not). */
const SAME_SCALE_PER_ENTITY = new Set(['latest', 'avg', 'min', 'max', 'p95']);
const SAME_SCALE_ACROSS = new Set(['avg', 'min', 'max', 'p95']);

/**
 * The thresholds that read on a metric's own scale: those of enabled indicators aggregating the
 * feed's metric by a statistic that keeps the scale and without normalising it.
 */
export function thresholdsFor(feedKey: string, metric: string, indicators: readonly IndicatorDefinition[]): EntitySeriesThreshold[] {
  return indicators.flatMap((d) => {
    const s = d.source;
    if (!d.enabled || !d.thresholds || s.kind !== 'aggregate' || s.feed !== feedKey || s.metric !== metric) return [];
    if (s.normalise || !SAME_SCALE_PER_ENTITY.has(s.perEntity) || !SAME_SCALE_ACROSS.has(s.across)) return [];
    return [{ indicator: d.key, name: d.name, nameEn: d.nameEn ?? null, levels: d.thresholds.levels }];
  });
}

/** An entity's day for the map's popup: its readings per metric with the metric's range and the thresholds that apply. */
@Injectable()
export class EntityTrendService {
  constructor(
    private readonly liveLayers: LiveLayerService,
    private readonly indicators: IndicatorService,
  ) {}

  async series(feedKey: string, entityId: string, query: EntitySeriesQuery, scope: ScopeRoots): Promise<EntitySeries> {
    const { feed, from, to, bucketSeconds, rows } = await this.liveLayers.series(feedKey, entityId, query, scope);
    const definitions = await this.indicators.list();
    const metrics = [...new Set(rows.map((r) => r.metric))].map((key) => {
      const m = feed.metrics.find((candidate) => candidate.key === key);
      return {
        metric: { key, name: m?.name ?? null, unit: m?.unit ?? null, min: m?.min ?? null, max: m?.max ?? null },
        thresholds: thresholdsFor(feed.key, key, definitions),
        points: rows.filter((r) => r.metric === key).map(({ ts, avg, min, max, count }) => ({ ts, avg, min, max, count })),
      };
    });
    return { feed: feed.key, entity: entityId, from: from.toISOString(), to: to.toISOString(), bucketSeconds, metrics };
  }
}
