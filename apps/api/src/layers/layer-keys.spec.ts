import { entityLayerKey, heatLayerKey, parseLayerKey } from './layer-keys';

describe('parseLayerKey', () => {
  it.each([
    ['areas', { kind: 'areas' }],
    ['cases', { kind: 'cases' }],
    ['areas-district', { kind: 'area-level', level: 'district', minzoom: 0 }],
    ['areas-grid', { kind: 'area-level', level: 'grid', minzoom: 12 }],
    [entityLayerKey('cameras'), { kind: 'entities', feedKey: 'cameras' }],
    [entityLayerKey('fire.hydrants-v2'), { kind: 'entities', feedKey: 'fire.hydrants-v2' }],
    [heatLayerKey('air-quality', 'pm2.5'), { kind: 'heat', feedKey: 'air-quality', metric: 'pm2.5' }],
  ])('reads %s', (key, ref) => {
    expect(parseLayerKey(key)).toEqual(ref);
  });

  it.each([
    '',
    'areas-',
    'areas-city-hall',
    'areas-zone',
    'entities-',
    'heat-feed',
    'heat-~m',
    'heat-a~b~c',
    'roads',
    'cases-open',
    'case',
  ])('names no layer with %j', (key) => {
    expect(parseLayerKey(key)).toBeNull();
  });
});
