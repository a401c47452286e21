import type { LoadThresholds as IndicatorThresholds } from '../../live/load-thresholds';
import { LOAD_COLORS } from '../../theme';
import type { ColorExpression, FillLayerSpec, LineLayerSpec } from '../layer-types';
import { px } from '../ui-scale';

export const COURSE_SOURCE_ID = 'course-segments';
export const COURSE_FILL_LAYER_ID = 'course-segment-fill';
export const COURSE_LINE_LAYER_ID = 'course-segment-line';
export const COURSE_PULSE_LAYER_ID = 'course-segment-critical-pulse';

/** Green / amber / red by load, grey without data: one data-driven expression, no per-feature work. */
export function loadColorExpression(thresholds: IndicatorThresholds): ColorExpression {
  // Features carry `load` (headcount ÷ capacity) only when there is a value for the segment.
  return [
    'case',
    ['==', ['typeof', ['get', 'load']], 'number'],
    ['step', ['get', 'load'], LOAD_COLORS.normal, thresholds.warning, LOAD_COLORS.warning, thresholds.critical, LOAD_COLORS.critical],
    LOAD_COLORS.noData,
  ];
}

export function criticalFilter(thresholds: IndicatorThresholds): NonNullable<LineLayerSpec['filter']> {
  return ['all', ['==', ['typeof', ['get', 'load']], 'number'], ['>=', ['get', 'load'], thresholds.critical]];
}

export function courseFillLayer(thresholds: IndicatorThresholds): FillLayerSpec {
  return {
    id: COURSE_FILL_LAYER_ID,
    type: 'fill',
    source: COURSE_SOURCE_ID,
    paint: {
      'fill-color': loadColorExpression(thresholds),
      'fill-opacity': 0.6,
    },
  };
}

export function courseLineLayer(thresholds: IndicatorThresholds): LineLayerSpec {
  return {
    id: COURSE_LINE_LAYER_ID,
    type: 'line',
    source: COURSE_SOURCE_ID,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: {
      'line-color': loadColorExpression(thresholds),
      'line-width': ['interpolate', ['linear'], ['zoom'], 10, px(2), 14, px(4)],
      'line-opacity': 0.95,
    },
  };
}

/**
 * Pulse of the critical segments: two paint states (widths in 1080p pixels, multiplied by the
 * wall's UI scale), the layer's paint transitions animate between them.
 */
export const PULSE_ON = { width: 12, opacity: 0.9 } as const;
export const PULSE_OFF = { width: 3, opacity: 0 } as const;
export const PULSE_HALF_PERIOD_MS = 700;

export function coursePulseLayer(thresholds: IndicatorThresholds, uiScale: number): LineLayerSpec {
  return {
    id: COURSE_PULSE_LAYER_ID,
    type: 'line',
    source: COURSE_SOURCE_ID,
    filter: criticalFilter(thresholds),
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: {
      'line-color': '#ff5a4f',
      'line-width': PULSE_OFF.width * uiScale,
      'line-opacity': PULSE_OFF.opacity,
      'line-blur': 2 * uiScale,
      'line-width-transition': { duration: PULSE_HALF_PERIOD_MS, delay: 0 },
      'line-opacity-transition': { duration: PULSE_HALF_PERIOD_MS, delay: 0 },
    },
  };
}
