import { CASES_LAYER_KEY, type PlaylistDefinition, type SceneDefinition } from '@cityops/contracts';
import { RAIN_GAUGE_FEED, WATERLOGGING_FEED } from './city/city-feeds';
import { CAMERAS_FEED, MARATHON_SCENE_KEY } from './demo-catalog';
import {
  CITY_VITAL_INDEX_INDICATOR,
  RAIN_HOURLY_INDICATOR,
  TRAFFIC_CONGESTION_INDICATOR,
  WATERLOGGING_DEPTH_INDICATOR,
} from './vital-signs';

/**
 * The demo wall's rotation: the city at a glance, the marathon, flood prevention and one
 * district, each a scene built from the catalog like a deployment would configure its own.
 */
export const OVERVIEW_SCENE_KEY = 'gz-overview';
export const FLOOD_SCENE_KEY = 'gz-flood';
export const DISTRICT_SCENE_KEY = 'gz-tianhe';
/** The district the demo's district scene frames: 天河 (the marathon runs through it). */
export const DEMO_DISTRICT_CODE = '440106';

const NO_EVENT = {
  zoneSet: null,
  indicatorKey: null,
  feedKey: null,
  totalLabel: null,
  totalLabelEn: null,
  totalUnit: null,
  totalUnitEn: null,
  zoneLabel: null,
  zoneLabelEn: null,
  zoneUnit: null,
  zoneUnitEn: null,
} as const;

export function overviewScene(cityId: number): SceneDefinition {
  return {
    ...NO_EVENT,
    kind: 'overview',
    name: '城市运行总览',
    nameEn: 'City overview',
    focusAreaId: null,
    // The open cases on the map (CASES_LAYER_KEY), supervised ones ringed, beside the cases panel.
    layers: [CASES_LAYER_KEY],
    kpis: [
      { indicatorKey: CITY_VITAL_INDEX_INDICATOR.key, areaId: cityId, label: '城市运行指数', labelEn: 'City vital index' },
      { indicatorKey: TRAFFIC_CONGESTION_INDICATOR.key, areaId: cityId, label: '交通拥堵指数', labelEn: 'Congestion' },
    ],
    cameras: null,
    // Open, overdue and supervised cases of the city, 企业呼 promise kept by district, and 督办 notices as they come.
    cases: { areaId: null },
    bounds: null,
    position: 10,
    enabled: true,
  };
}

export function floodScene(cityId: number): SceneDefinition {
  return {
    ...NO_EVENT,
    kind: 'theme',
    name: '防汛 · 积水与降雨',
    nameEn: 'Flood prevention · Standing water and rain',
    focusAreaId: null,
    layers: [`heat-${RAIN_GAUGE_FEED.feed.key}~rainfall`, `heat-${WATERLOGGING_FEED.feed.key}~depth`],
    kpis: [
      { indicatorKey: RAIN_HOURLY_INDICATOR.key, areaId: cityId, label: '小时降雨量', labelEn: 'Rain, last hour' },
      { indicatorKey: WATERLOGGING_DEPTH_INDICATOR.key, areaId: cityId, label: '最大积水深度', labelEn: 'Deepest water' },
    ],
    // The city's street cameras beside the rain and the water (the demo has no cameras at the waterlogging points).
    cameras: { feedKey: CAMERAS_FEED.key, areaId: null, count: 4 },
    cases: null,
    bounds: null,
    position: 20,
    enabled: true,
  };
}

export function districtScene(districtId: number, withCityFeeds: boolean): SceneDefinition {
  return {
    ...NO_EVENT,
    kind: 'district',
    name: '天河区 · 区域态势',
    nameEn: 'Tianhe District',
    focusAreaId: districtId,
    layers: ['areas-street'],
    kpis: withCityFeeds
      ? [
          { indicatorKey: CITY_VITAL_INDEX_INDICATOR.key, areaId: districtId, label: '区运行指数', labelEn: 'District vital index' },
          { indicatorKey: WATERLOGGING_DEPTH_INDICATOR.key, areaId: districtId, label: '最大积水深度', labelEn: 'Deepest water' },
        ]
      : [],
    cameras: { feedKey: CAMERAS_FEED.key, areaId: districtId, count: 4 },
    cases: null,
    bounds: null,
    position: 30,
    enabled: true,
  };
}

/** The scenes present, in the rotation's order, each for a minute (the marathon for two). */
export function demoPlaylist(sceneKeys: ReadonlySet<string>): PlaylistDefinition {
  const stops = [
    { scene: OVERVIEW_SCENE_KEY, dwellSeconds: 60 },
    { scene: MARATHON_SCENE_KEY, dwellSeconds: 120 },
    { scene: FLOOD_SCENE_KEY, dwellSeconds: 60 },
    { scene: DISTRICT_SCENE_KEY, dwellSeconds: 60 },
  ];
  return {
    name: '演示轮播 Demo rotation',
    entries: stops.filter((s) => sceneKeys.has(s.scene)),
    displayId: null,
    interruptOnCritical: true,
    holdSeconds: null,
  };
}
