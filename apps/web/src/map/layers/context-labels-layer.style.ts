import { LABEL_FONT_STACK } from '@cityops/contracts';
import type { Lang } from '../../i18n';
import type { CircleLayerSpec, SymbolLayerSpec } from '../layer-types';
import { px } from '../ui-scale';

export const AREA_LABELS_SOURCE_ID = 'context-area-labels';
export const COURSE_LABELS_SOURCE_ID = 'context-course-labels';

export const DISTRICT_LABEL_LAYER_ID = 'context-district-label';
export const STREET_LABEL_LAYER_ID = 'context-street-label';
export const SEGMENT_NUMBER_LAYER_ID = 'context-segment-number';
export const COURSE_END_MARKER_LAYER_ID = 'context-course-end-marker';
export const COURSE_END_LABEL_LAYER_ID = 'context-course-end-label';

/** Street names appear from this zoom (below it they would crowd the districts' names). */
export const STREET_LABEL_MIN_ZOOM = 11;

type TextField = NonNullable<NonNullable<SymbolLayerSpec['layout']>['text-field']>;

/** The area's name in the page's language; an area without an English name keeps its Chinese one. */
export function areaNameField(lang: Lang): TextField {
  return lang === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name']] : ['get', 'name'];
}

/** The start / finish marker's word, carried on the feature in both languages. */
export function courseEndField(lang: Lang): TextField {
  return ['get', lang === 'en' ? 'labelEn' : 'labelZh'];
}

const FONT = [...LABEL_FONT_STACK];

export function districtLabelLayer(lang: Lang): SymbolLayerSpec {
  return {
    id: DISTRICT_LABEL_LAYER_ID,
    type: 'symbol',
    source: AREA_LABELS_SOURCE_ID,
    filter: ['==', ['get', 'level'], 'district'],
    layout: {
      'text-field': areaNameField(lang),
      'text-font': FONT,
      'text-size': px(16),
      'text-max-width': 8,
      'text-padding': 4,
    },
    paint: { 'text-color': '#b9cdea', 'text-halo-color': '#060c17', 'text-halo-width': px(1.6), 'text-opacity': 0.9 },
  };
}

export function streetLabelLayer(lang: Lang): SymbolLayerSpec {
  return {
    id: STREET_LABEL_LAYER_ID,
    type: 'symbol',
    source: AREA_LABELS_SOURCE_ID,
    minzoom: STREET_LABEL_MIN_ZOOM,
    filter: ['==', ['get', 'level'], 'street'],
    layout: {
      'text-field': areaNameField(lang),
      'text-font': FONT,
      'text-size': px(12),
      'text-max-width': 7,
      'text-padding': 2,
    },
    paint: { 'text-color': '#7f93b3', 'text-halo-color': '#060c17', 'text-halo-width': px(1.2) },
  };
}

/** The zone's number (`seq`) on its label point, always drawn (a course has a few dozen at most). */
export const SEGMENT_NUMBER_LAYER: SymbolLayerSpec = {
  id: SEGMENT_NUMBER_LAYER_ID,
  type: 'symbol',
  source: COURSE_LABELS_SOURCE_ID,
  filter: ['==', ['get', 'kind'], 'segment'],
  layout: {
    'text-field': ['to-string', ['get', 'seq']],
    'text-font': FONT,
    'text-size': px(14),
    'text-allow-overlap': true,
    'text-ignore-placement': true,
  },
  paint: { 'text-color': '#ffffff', 'text-halo-color': '#0b1526', 'text-halo-width': px(2) },
};

const END_COLOR: NonNullable<NonNullable<CircleLayerSpec['paint']>['circle-color']> = [
  'match',
  ['get', 'kind'],
  'start',
  '#35c46a',
  '#f2f4f8',
];

export const COURSE_END_MARKER_LAYER: CircleLayerSpec = {
  id: COURSE_END_MARKER_LAYER_ID,
  type: 'circle',
  source: COURSE_LABELS_SOURCE_ID,
  filter: ['in', ['get', 'kind'], ['literal', ['start', 'finish']]],
  paint: {
    'circle-radius': px(7),
    'circle-color': END_COLOR,
    'circle-stroke-color': '#060c17',
    'circle-stroke-width': px(2),
  },
};

export function courseEndLabelLayer(lang: Lang): SymbolLayerSpec {
  return {
    id: COURSE_END_LABEL_LAYER_ID,
    type: 'symbol',
    source: COURSE_LABELS_SOURCE_ID,
    filter: ['in', ['get', 'kind'], ['literal', ['start', 'finish']]],
    layout: {
      'text-field': courseEndField(lang),
      'text-font': FONT,
      'text-size': px(14),
      'text-anchor': 'left',
      'text-offset': [0.9, 0],
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': END_COLOR, 'text-halo-color': '#060c17', 'text-halo-width': px(2) },
  };
}
