import type { FeedDefinition } from '@cityops/contracts';
import { entitySeriesBucketSeconds } from '@cityops/feeds';
import type { IndicatorDefinition } from '@cityops/indicators';
import { seriesMetrics, thresholdsFor } from './entity-trend.service';

const levels = [{ level: 'warning' as const, op: '>=' as const, value: 150 }];

function indicator(key: string, source: Record<string, unknown>, extra: Record<string, unknown> = {}): IndicatorDefinition {
  return {
    key,
    name: key,
    nameEn: null,
    enabled: true,
    thresholds: { levels },
    source: { kind: 'aggregate', feed: 'air', metric: 'aqi', windowSeconds: 600, perEntity: 'latest', across: 'max', ...source },
    ...extra,
  } as unknown as IndicatorDefinition;
}

describe('thresholds drawn on an entity’s trend', () => {
  it.each([
    ['the latest reading, highest per area', indicator('a', {}), true],
    ['an average per entity and area', indicator('b', { perEntity: 'avg', across: 'avg' }), true],
    ['a sum across entities (another scale)', indicator('c', { across: 'sum' }), false],
    ['a count per entity', indicator('d', { perEntity: 'count' }), false],
    ['a value per capacity', indicator('e', { normalise: 'per_capacity' }), false],
    ['another metric', indicator('f', { metric: 'pm25' }), false],
    ['another feed', indicator('g', { feed: 'water' }), false],
    ['a disabled indicator', indicator('h', {}, { enabled: false }), false],
    ['an indicator without thresholds', indicator('i', {}, { thresholds: null }), false],
    ['a composite', indicator('j', {}, { source: { kind: 'composite', formula: '{a}' } }), false],
  ])('%s applies: %s', (_, definition, applies) => {
    expect(thresholdsFor('air', 'aqi', [definition])).toEqual(
      applies ? [{ indicator: definition.key, name: definition.key, nameEn: null, levels }] : [],
    );
  });
});

describe('the series of an entity’s trend', () => {
  const feed = {
    key: 'air',
    kind: 'entity',
    metrics: [
      { key: 'aqi', name: '空气质量指数', unit: 'AQI', min: 0, max: 500 },
      { key: 'level', name: '水位', unit: 'm', min: 0, max: 10 },
    ],
  } as unknown as FeedDefinition;
  const bucket = (metric: string, ts: string, avg: number) => ({ metric, ts, avg, min: avg, max: avg, count: 1 });

  it('lists the readings first with their thresholds, then the props (declared ones first), named by the feed’s metric of that key and without thresholds', () => {
    const metrics = seriesMetrics(
      feed,
      {
        rows: [bucket('aqi', '2026-11-30T08:00:00Z', 80), bucket('aqi', '2026-11-30T08:10:00Z', 90)],
        propRows: [
          bucket('battery', '2026-11-30T08:00:00Z', 80),
          bucket('level', '2026-11-30T08:00:00Z', 2.5),
          bucket('speed', '2026-11-30T08:00:00Z', 40),
        ],
      },
      [indicator('a', {}), indicator('b', { metric: 'level' })],
    );
    expect(metrics.map((m) => [m.metric.key, m.source, m.thresholds.length, m.points.length])).toEqual([
      ['aqi', 'reading', 1, 2],
      ['level', 'prop', 0, 1],
      ['battery', 'prop', 0, 1],
      ['speed', 'prop', 0, 1],
    ]);
    expect(metrics[1].metric).toEqual({ key: 'level', name: '水位', unit: 'm', min: 0, max: 10 });
    expect(metrics[3].metric).toEqual({ key: 'speed', name: null, unit: null, min: null, max: null });
    expect(metrics[1].points).toEqual([{ ts: '2026-11-30T08:00:00Z', avg: 2.5, min: 2.5, max: 2.5, count: 1 }]);
  });

  it('leaves out a prop that shares its key with a reading metric: the readings are the measurement', () => {
    const metrics = seriesMetrics(
      feed,
      { rows: [bucket('aqi', '2026-11-30T08:00:00Z', 80)], propRows: [bucket('aqi', '2026-11-30T08:00:00Z', 1)] },
      [],
    );
    expect(metrics.map((m) => [m.metric.key, m.source, m.points[0].avg])).toEqual([['aqi', 'reading', 80]]);
  });

  it.each([
    [24, 144, 600],
    [24, 500, 180],
    [1, 500, 60],
    [2, 4, 1800],
    [168, 7, 86400],
  ])('buckets %i hours in at most %i points of %i seconds (whole minutes, at least one)', (hours, points, seconds) => {
    expect(entitySeriesBucketSeconds({ hours, points })).toBe(seconds);
  });
});
