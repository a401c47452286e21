import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LinePaint } from './layer-types';

/**
 * The wall's type scales with the viewport (1 at 1920×1080, 2 at 3840×2160); map line widths
 * follow through this global-state property, so lines keep their weight on a 4K wall.
 */
export const UI_SCALE_STATE = 'uiScale';

type NumberExpression = Extract<NonNullable<LinePaint['line-width']>, readonly unknown[]>;

/** `n` CSS pixels at 1080p, scaled with the wall. */
export function px(n: number): NumberExpression {
  return ['*', n, ['coalesce', ['global-state', UI_SCALE_STATE], 1]] as NumberExpression;
}

/** Current scale: root font size over the 16 px it has at 1920×1080. */
export function currentUiScale(): number {
  const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(rootPx) && rootPx > 0 ? Math.max(0.5, rootPx / 16) : 1;
}

/** The scale the map was given (see MapView). */
export function uiScaleOf(map: MapLibreMap): number {
  const value: unknown = map.getGlobalState()[UI_SCALE_STATE];
  return typeof value === 'number' && value > 0 ? value : 1;
}
