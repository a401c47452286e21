import type { FillLayerSpec, LineLayerSpec } from '../layer-types';
import { px } from '../ui-scale';

export const DISTRICTS_SOURCE_ID = 'districts';

export const DISTRICTS_FILL_LAYER: FillLayerSpec = {
  id: 'district-fill',
  type: 'fill',
  source: DISTRICTS_SOURCE_ID,
  paint: {
    'fill-color': '#0f2340',
    'fill-opacity': 0.35,
  },
};

export const DISTRICTS_LINE_LAYER: LineLayerSpec = {
  id: 'district-line',
  type: 'line',
  source: DISTRICTS_SOURCE_ID,
  layout: { 'line-join': 'round' },
  paint: {
    'line-color': '#5d8fd0',
    'line-width': ['interpolate', ['linear'], ['zoom'], 8, px(1), 12, px(1.8), 15, px(2.5)],
    'line-opacity': 0.8,
  },
};
