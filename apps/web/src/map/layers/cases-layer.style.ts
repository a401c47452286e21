import type { CaseState } from '@cityops/contracts';
import type { CircleLayerSpec } from '../layer-types';

export const CASES_SOURCE_ID = 'cases';
export const CASES_CIRCLE_LAYER_ID = 'cases-circle';

/** The ids a cases layer draws with: one source, the points, the supervision rings under them and the overdue marks above. */
export interface CasesLayerIds {
  source: string;
  circle: string;
  ring: string;
  overdue: string;
}

/** The /cases page's ids (its tests and its click handler know `cases-circle`). */
export const CASES_PAGE_IDS: CasesLayerIds = {
  source: CASES_SOURCE_ID,
  circle: CASES_CIRCLE_LAYER_ID,
  ring: `${CASES_CIRCLE_LAYER_ID}:ring`,
  overdue: `${CASES_CIRCLE_LAYER_ID}:overdue`,
};

/** A cases layer's ids from its source id (the catalog's `catalog:cases`): the points keep the source's id, as other catalog layers do. */
export const casesLayerIds = (source: string): CasesLayerIds => ({
  source,
  circle: source,
  ring: `${source}:ring`,
  overdue: `${source}:overdue`,
});

/** Bottom first: rings, points, overdue marks. */
export const casesLayerOrder = (ids: CasesLayerIds): string[] => [ids.ring, ids.circle, ids.overdue];

/**
 * 督办 levels 1 community … 4 command centre: the higher the level, the hotter and wider the ring
 * (the legends show the same colours).
 */
export const SUPERVISION_COLORS: Record<1 | 2 | 3 | 4, string> = {
  1: '#ffd84d',
  2: '#ff9f1c',
  3: '#ff4d4d',
  4: '#ff3df2',
};
/** The mark of a case whose stage is past its deadline. */
export const OVERDUE_COLOR = '#ff2d2d';

const selected = ['boolean', ['get', 'selected'], false];

/** Cases as points coloured by their state (`state` property), the selected one larger with a white ring. */
export function casesCircleLayer(
  colors: Record<CaseState, string>,
  ids: CasesLayerIds = CASES_PAGE_IDS,
  sourceLayer?: string,
): CircleLayerSpec {
  return {
    id: ids.circle,
    type: 'circle',
    source: ids.source,
    ...(sourceLayer ? { 'source-layer': sourceLayer } : {}),
    paint: {
      'circle-color': ['match', ['get', 'state'], ...Object.entries(colors).flat(), '#8a94a6'] as unknown as string,
      'circle-radius': [
        'interpolate',
        ['linear'],
        ['zoom'],
        8,
        ['case', selected, 8, 5],
        14,
        ['case', selected, 13, 9],
      ] as unknown as number,
      'circle-stroke-color': ['case', selected, '#ffffff', '#05080f'] as unknown as string,
      'circle-stroke-width': ['case', selected, 3, 1.5] as unknown as number,
    },
  };
}

/** A ring around a supervised case (`supervisionLevel` 1–4), coloured and widened by level; nothing for the others. */
export function casesRingLayer(ids: CasesLayerIds = CASES_PAGE_IDS, sourceLayer?: string): CircleLayerSpec {
  const level = ['get', 'supervisionLevel'];
  return {
    id: ids.ring,
    type: 'circle',
    source: ids.source,
    ...(sourceLayer ? { 'source-layer': sourceLayer } : {}),
    filter: ['>', ['coalesce', level, 0], 0] as unknown as CircleLayerSpec['filter'],
    paint: {
      'circle-color': 'rgba(0, 0, 0, 0)',
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['+', 7, level], 14, ['+', 12, ['*', 1.5, level]]] as unknown as number,
      'circle-stroke-color': [
        'match',
        level,
        1,
        SUPERVISION_COLORS[1],
        2,
        SUPERVISION_COLORS[2],
        3,
        SUPERVISION_COLORS[3],
        SUPERVISION_COLORS[4],
      ] as unknown as string,
      'circle-stroke-width': ['+', 1.5, ['*', 0.75, level]] as unknown as number,
    },
  };
}

/** Which points are overdue: by their `overdue` flag (GeoJSON points), or by `due` against the clock (vector tiles). */
export type OverdueFilter = CircleLayerSpec['filter'];

export const OVERDUE_BY_FLAG = ['==', ['get', 'overdue'], true] as unknown as OverdueFilter;

/**
 * The tiles' points are overdue when their stage fell due (`due`, epoch seconds) before `nowSeconds`:
 * the tiles hold no clock, the map applies it (and moves it on).
 */
export const overdueByDue = (nowSeconds: number): OverdueFilter =>
  ['all', ['has', 'due'], ['<', ['to-number', ['get', 'due']], nowSeconds]] as unknown as OverdueFilter;

/** A small red dot at the upper right of an overdue case. */
export function casesOverdueLayer(
  ids: CasesLayerIds = CASES_PAGE_IDS,
  overdue: OverdueFilter = OVERDUE_BY_FLAG,
  sourceLayer?: string,
): CircleLayerSpec {
  return {
    id: ids.overdue,
    type: 'circle',
    source: ids.source,
    ...(sourceLayer ? { 'source-layer': sourceLayer } : {}),
    filter: overdue,
    paint: {
      'circle-color': OVERDUE_COLOR,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 14, 4] as unknown as number,
      'circle-translate': [5, -5],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1,
    },
  };
}
