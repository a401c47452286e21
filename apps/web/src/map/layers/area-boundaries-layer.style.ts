import type { LineLayerSpec, SourceSpec } from '../layer-types';
import { px } from '../ui-scale';

export const AREA_TILES_SOURCE_ID = 'area-tiles';
/** Source layer inside `/api/tiles/areas/{z}/{x}/{y}.mvt`. */
export const AREA_TILES_SOURCE_LAYER = 'areas';

/** Absolute tile URL template (MapLibre resolves tile URLs in its worker, so no relative paths). */
export function areaTileUrls(origin: string): string[] {
  return [`${origin}/api/tiles/areas/{z}/{x}/{y}.mvt`];
}

export function areaTilesSource(origin: string): SourceSpec {
  return {
    type: 'vector',
    tiles: areaTileUrls(origin),
    minzoom: 0,
    maxzoom: 16, // overzoomed beyond
  };
}

/** Lowest boundary layer: fills that belong under the boundary lines go before it. */
export const AREA_BOUNDARY_BOTTOM_LAYER_ID = 'area-grid-line';

/** Thin, low-contrast boundaries: the offline "base map". Finest first, so coarser lines draw on top. */
export const AREA_BOUNDARY_LAYERS: readonly LineLayerSpec[] = [
  {
    id: AREA_BOUNDARY_BOTTOM_LAYER_ID,
    type: 'line',
    source: AREA_TILES_SOURCE_ID,
    'source-layer': AREA_TILES_SOURCE_LAYER,
    minzoom: 13,
    filter: ['==', ['get', 'level'], 'grid'],
    paint: { 'line-color': '#1f3350', 'line-width': px(0.5), 'line-opacity': 0.55 },
  },
  {
    id: 'area-community-line',
    type: 'line',
    source: AREA_TILES_SOURCE_ID,
    'source-layer': AREA_TILES_SOURCE_LAYER,
    minzoom: 12,
    filter: ['==', ['get', 'level'], 'community'],
    paint: { 'line-color': '#25405f', 'line-width': px(0.6), 'line-opacity': 0.6 },
  },
  {
    id: 'area-street-line',
    type: 'line',
    source: AREA_TILES_SOURCE_ID,
    'source-layer': AREA_TILES_SOURCE_LAYER,
    minzoom: 10,
    filter: ['==', ['get', 'level'], 'street'],
    paint: {
      'line-color': '#2d4d73',
      'line-width': ['interpolate', ['linear'], ['zoom'], 10, px(0.5), 14, px(1.2)],
      'line-opacity': 0.7,
    },
  },
  {
    id: 'area-city-line',
    type: 'line',
    source: AREA_TILES_SOURCE_ID,
    'source-layer': AREA_TILES_SOURCE_LAYER,
    filter: ['==', ['get', 'level'], 'city'],
    paint: { 'line-color': '#4a6f9c', 'line-width': px(2), 'line-opacity': 0.7 },
  },
];
