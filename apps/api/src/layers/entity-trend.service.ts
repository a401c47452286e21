import { Injectable } from '@nestjs/common';
import type { EntitySeries, EntitySeriesQuery, EntitySeriesThreshold, FeedDefinition } from '@cityops/contracts';
import { LiveLayerService, type EntitySeriesRows } from '@cityops/feeds';
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

type SeriesMetric = EntitySeries['metrics'][number];

/**
 * The series of an entity: its readings per metric, then (an entity feed's entity) its numeric
 * props, those the feed declares as metrics first, each named and ranged by the feed's metric of
 * that key when it declares one. A prop that
 * shares its key with a reading metric is left out: the readings are the measurement. Props carry
 * no thresholds: indicators aggregate readings only, so none reads a prop on its scale.
 */
export function seriesMetrics(
  feed: FeedDefinition,
  { rows, propRows }: Pick<EntitySeriesRows, 'rows' | 'propRows'>,
  indicators: readonly IndicatorDefinition[],
): SeriesMetric[] {
  const described = (key: string) => {
    const m = feed.metrics.find((candidate) => candidate.key === key);
    return { key, name: m?.name ?? null, unit: m?.unit ?? null, min: m?.min ?? null, max: m?.max ?? null };
  };
  const points = (from: EntitySeriesRows['rows'], key: string) =>
    from.filter((r) => r.metric === key).map(({ ts, avg, min, max, count }) => ({ ts, avg, min, max, count }));
  const readingKeys = [...new Set(rows.map((r) => r.metric))];
  // The props the feed declares as metrics first (what its owner means to measure), then the others by key.
  const declared = feed.metrics.map((m) => m.key);
  const rank = (key: string) => (declared.includes(key) ? declared.indexOf(key) : declared.length);
  const propKeys = [...new Set(propRows.map((r) => r.metric))]
    .filter((key) => !readingKeys.includes(key))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return [
    ...readingKeys.map((key) => ({
      metric: described(key),
      source: 'reading' as const,
      thresholds: thresholdsFor(feed.key, key, indicators),
      points: points(rows, key),
    })),
    ...propKeys.map((key) => ({ metric: described(key), source: 'prop' as const, thresholds: [], points: points(propRows, key) })),
  ];
}

/** An entity's day for the map's popup: its readings per metric with the metric's range and the thresholds that apply, and its numeric props. */
@Injectable()
export class EntityTrendService {
  constructor(
    private readonly liveLayers: LiveLayerService,
    private readonly indicators: IndicatorService,
  ) {}

  async series(feedKey: string, entityId: string, query: EntitySeriesQuery, scope: ScopeRoots): Promise<EntitySeries> {
    const found = await this.liveLayers.series(feedKey, entityId, query, scope);
    const { feed, from, to, bucketSeconds } = found;
    const metrics = seriesMetrics(feed, found, await this.indicators.list());
    return { feed: feed.key, entity: entityId, from: from.toISOString(), to: to.toISOString(), bucketSeconds, metrics };
  }
}
