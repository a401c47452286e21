import type { SourceSpec } from '../layer-types';
import type { AnyLayerSpec } from './catalog-layer.style';

export const CHOROPLETH_SOURCE_ID = 'choropleth';
export const CHOROPLETH_FILL_ID = 'choropleth:fill';
export const CHOROPLETH_LINE_ID = 'choropleth:line';
export const CHOROPLETH_ALERT_ID = 'choropleth:alert';
export const CHOROPLETH_EXTRUSION_ID = 'choropleth:extrusion';
export const CHOROPLETH_LAYER_IDS = [CHOROPLETH_FILL_ID, CHOROPLETH_EXTRUSION_ID, CHOROPLETH_LINE_ID, CHOROPLETH_ALERT_ID] as const;
/** Drawn under the catalog's layers; the alert outline goes above them all (`CHOROPLETH_ALERT_ID`). */
export const CHOROPLETH_BASE_LAYER_IDS = [CHOROPLETH_FILL_ID, CHOROPLETH_EXTRUSION_ID, CHOROPLETH_LINE_ID] as const;

/** An area without a value (or no indicator chosen). */
export const NO_VALUE_COLOR = '#5b6675';
/** Height of the tallest area when the map is pitched (metres; the city is some 60 km across). */
export const EXTRUSION_MAX_METRES = 6000;

/** `areas-<level>` tiles, feature ids promoted from the `id` property so each area can hold its value as feature state. */
export function choroplethSource(level: string, origin: string): SourceSpec {
  return {
    type: 'vector',
    tiles: [`${origin}/api/tiles/areas-${level}/{z}/{x}/{y}.mvt`],
    minzoom: 0,
    maxzoom: 16,
    promoteId: 'id',
  };
}

/**
 * The choropleth's map layers. Colour, height and alert come from feature state (`color`,
 * `height` 0–1, `alert` 1–3) that the layer component sets per area from the values; the
 * extrusion is shown only while the map is pitched.
 */
export function choroplethLayers(level: string): AnyLayerSpec[] {
  const common = { source: CHOROPLETH_SOURCE_ID, 'source-layer': `areas-${level}` } as const;
  const color = ['to-color', ['coalesce', ['feature-state', 'color'], NO_VALUE_COLOR]] as unknown as string;
  return [
    {
      id: CHOROPLETH_FILL_ID,
      type: 'fill',
      ...common,
      // Lighter when zoomed in, where one area fills the screen and what lies in it must show through.
      paint: {
        'fill-color': color,
        'fill-opacity': [
          'interpolate',
          ['linear'],
          ['zoom'],
          11,
          ['case', ['==', ['feature-state', 'color'], null], 0.12, 0.62],
          15,
          ['case', ['==', ['feature-state', 'color'], null], 0.06, 0.28],
        ],
      },
    },
    {
      id: CHOROPLETH_EXTRUSION_ID,
      type: 'fill-extrusion',
      ...common,
      layout: { visibility: 'none' },
      paint: {
        'fill-extrusion-color': color,
        'fill-extrusion-height': ['*', ['coalesce', ['feature-state', 'height'], 0], EXTRUSION_MAX_METRES],
        'fill-extrusion-opacity': 0.85,
      },
    },
    {
      id: CHOROPLETH_LINE_ID,
      type: 'line',
      ...common,
      paint: { 'line-color': '#9fc3ff', 'line-width': 1, 'line-opacity': 0.7 },
    },
    {
      id: CHOROPLETH_ALERT_ID,
      type: 'line',
      ...common,
      paint: {
        'line-color': ['match', ['coalesce', ['feature-state', 'alert'], 0], 3, '#ff3b30', 2, '#ffb020', 1, '#e8d44d', 'rgba(0,0,0,0)'],
        'line-width': ['case', ['>', ['coalesce', ['feature-state', 'alert'], 0], 0], 3, 0],
      },
    },
  ];
}
