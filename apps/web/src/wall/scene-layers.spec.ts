import { describe, expect, it } from '@jest/globals';
import type { LayerView } from '@cityops/contracts';
import { resolveSceneLayers } from './scene-layers';

const heat = (key: string): LayerView => ({
  key,
  name: key,
  nameEn: null,
  kind: 'vector',
  theme: 'water',
  themeName: '水务',
  themeNameEn: 'Water',
  tiles: `/api/tiles/${key}/{z}/{x}/{y}.mvt`,
  sourceLayer: 'heat',
  minzoom: 0,
  maxzoom: 16,
  featuresUrl: null,
  legend: { symbol: 'heatmap', color: '#ff0000', property: 'count', unit: null },
});

describe('a scene’s layers against the catalog', () => {
  const catalog = [heat('areas-street'), heat('heat-rain~rainfall'), heat('heat-water~depth')];

  it('keeps the scene’s order (bottom first), not the catalog’s', () => {
    const { layers, missing } = resolveSceneLayers(['heat-water~depth', 'heat-rain~rainfall'], catalog);
    expect(layers.map((l) => l.key)).toEqual(['heat-water~depth', 'heat-rain~rainfall']);
    expect(missing).toEqual([]);
  });

  it('names the keys the catalog lacks and draws the rest', () => {
    const { layers, missing } = resolveSceneLayers(['entities-gone', 'areas-street', 'heat-none~x'], catalog);
    expect(layers.map((l) => l.key)).toEqual(['areas-street']);
    expect(missing).toEqual(['entities-gone', 'heat-none~x']);
  });

  it('draws a key named twice once, where it first appears', () => {
    const { layers } = resolveSceneLayers(['areas-street', 'heat-rain~rainfall', 'areas-street'], catalog);
    expect(layers.map((l) => l.key)).toEqual(['areas-street', 'heat-rain~rainfall']);
  });

  it('draws nothing for a scene without layers or before a catalog', () => {
    expect(resolveSceneLayers([], catalog)).toEqual({ layers: [], missing: [] });
    expect(resolveSceneLayers(['areas-street'], [])).toEqual({ layers: [], missing: ['areas-street'] });
  });
});
