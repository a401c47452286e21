import type { CaseState } from '@cityops/contracts';
import type { CircleLayerSpec } from '../layer-types';

export const CASES_SOURCE_ID = 'cases';
export const CASES_CIRCLE_LAYER_ID = 'cases-circle';

/** Cases as points coloured by their state (`state` property), the selected one larger with a white ring. */
export function casesCircleLayer(colors: Record<CaseState, string>): CircleLayerSpec {
  return {
    id: CASES_CIRCLE_LAYER_ID,
    type: 'circle',
    source: CASES_SOURCE_ID,
    paint: {
      'circle-color': ['match', ['get', 'state'], ...Object.entries(colors).flat(), '#8a94a6'] as unknown as string,
      'circle-radius': [
        'interpolate',
        ['linear'],
        ['zoom'],
        8,
        ['case', ['boolean', ['get', 'selected'], false], 8, 5],
        14,
        ['case', ['boolean', ['get', 'selected'], false], 13, 9],
      ] as unknown as number,
      'circle-stroke-color': ['case', ['boolean', ['get', 'selected'], false], '#ffffff', '#05080f'] as unknown as string,
      'circle-stroke-width': ['case', ['boolean', ['get', 'selected'], false], 3, 1.5] as unknown as number,
    },
  };
}
