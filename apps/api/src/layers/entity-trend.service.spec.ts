import type { IndicatorDefinition } from '@cityops/indicators';
import { thresholdsFor } from './entity-trend.service';

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
