import type { LiveLayerView } from '@cityops/contracts';
import { type AnyLayerSpec, catalogSourceId } from './catalog-layer.style';

/** The map layers of a live layer: its entities as circles, with a ring that stays visible on any base map. */
export const liveLayerIds = (layer: Pick<LiveLayerView, 'key'>) => [catalogSourceId(layer.key)];

/** Low to high within the metric's valid range. */
const RAMP = ['#19d3a2', '#f2d15c', '#f08a3e', '#e4572e'] as const;

/**
 * The circle colour: for a reading feed whose first metric has a valid range, the entity's newest
 * value of it on a ramp over that range (grey while it has none); else the layer's colour, with
 * entities' `status` offline grey and fault red as on the vector entity layers.
 */
export function liveCircleColor(layer: Pick<LiveLayerView, 'legend' | 'metrics'>): unknown {
  const metric = layer.metrics[0];
  const min = metric?.min ?? null;
  const max = metric?.max ?? null;
  if (metric && min !== null && max !== null && max > min) {
    const value = ['get', `value:${metric.key}`];
    const span = max - min;
    return [
      'case',
      ['!', ['has', `value:${metric.key}`]],
      '#8a94a6',
      ['interpolate', ['linear'], value, ...RAMP.flatMap((color, i) => [min + (span * i) / (RAMP.length - 1), color])],
    ];
  }
  return ['match', ['get', 'status'], 'offline', '#8a94a6', 'fault', '#ff3b30', layer.legend.color];
}

export function liveLayerSpecs(layer: LiveLayerView): AnyLayerSpec[] {
  const id = catalogSourceId(layer.key);
  return [
    {
      id,
      type: 'circle',
      source: id,
      paint: {
        'circle-color': liveCircleColor(layer) as string,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 12, 6, 16, 9],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
  ];
}
