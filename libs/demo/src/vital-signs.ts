import type { IndicatorWrite, ThresholdOperator, ThresholdSpec } from '@cityops/contracts';
import {
  AIR_QUALITY_FEED,
  ER_WAITING_FEED,
  METRO_FLOW_FEED,
  RAIN_GAUGE_FEED,
  ROAD_TRAFFIC_FEED,
  TOWER_CRANE_FEED,
  WATERLOGGING_FEED,
} from './city/city-feeds';

/** A demo vital sign: an indicator definition as the engine takes it, every field given. */
export type DemoIndicatorDefinition = IndicatorWrite;

/** City and districts: the wall's two levels for the demo city. */
const CITY_AND_DISTRICTS: DemoIndicatorDefinition['grouping'] = { levels: ['city', 'district'] };
const DEMO = '演示数据。';

/** Levels notice/warning/critical in one direction, each clearing `clearBy` back on the safe side. */
function levels(op: ThresholdOperator, values: readonly [number, number, number], clearBy: number): ThresholdSpec['levels'] {
  const safe = op === '>=' || op === '>' ? -clearBy : clearBy;
  return (['notice', 'warning', 'critical'] as const).map((level, i) => ({ level, op, value: values[i], clear: values[i] + safe }));
}

function spec(parts: Partial<ThresholdSpec> & Pick<ThresholdSpec, 'levels'>): ThresholdSpec {
  return { pendingSeconds: 0, keepFiringSeconds: 0, ...parts };
}

/** An area whose stations have all gone quiet for this long is shown stale rather than calm. */
const STALE_AFTER_SECONDS = 600;

export const AIR_AQI_INDICATOR: DemoIndicatorDefinition = {
  key: 'air.aqi',
  name: '空气质量指数',
  nameEn: 'Air quality index',
  theme: 'environment',
  unit: 'AQI',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区监测站最新AQI的平均值；100轻度污染，150中度污染，200重度污染。`,
  descriptionEn: 'Demo data. Average of the latest AQI of the stations in the area; 100 light, 150 moderate, 200 heavy pollution.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: AIR_QUALITY_FEED.feed.key, metric: 'aqi', windowSeconds: 900, perEntity: 'latest', across: 'avg' },
  thresholds: spec({
    levels: levels('>=', [100, 150, 200], 10),
    pendingSeconds: 120,
    noData: { afterSeconds: STALE_AFTER_SECONDS, policy: 'stale' },
  }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const AIR_PM25_INDICATOR: DemoIndicatorDefinition = {
  key: 'air.pm25',
  name: 'PM2.5浓度',
  nameEn: 'PM2.5',
  theme: 'environment',
  unit: 'µg/m³',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区监测站最新PM2.5浓度的平均值（75/115/150为AQI 100/150/200的分界）。`,
  descriptionEn: 'Demo data. Average of the latest PM2.5 of the stations in the area (75/115/150 are the AQI 100/150/200 breakpoints).',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: AIR_QUALITY_FEED.feed.key, metric: 'pm25', windowSeconds: 900, perEntity: 'latest', across: 'avg' },
  thresholds: spec({ levels: levels('>=', [75, 115, 150], 5), pendingSeconds: 120 }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const TRAFFIC_CONGESTION_INDICATOR: DemoIndicatorDefinition = {
  key: 'traffic.congestion',
  name: '交通拥堵指数',
  nameEn: 'Congestion index',
  theme: 'traffic',
  unit: null,
  format: { decimals: 1, percent: false },
  description: `${DEMO}各区路段最新交通拥堵指数（0–10）的平均值：4以上轻度拥堵，6以上中度拥堵，8以上严重拥堵。`,
  descriptionEn:
    'Demo data. Average of the latest congestion index (0–10) of the road links in the area: 4+ light, 6+ moderate, 8+ heavy congestion.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: ROAD_TRAFFIC_FEED.feed.key, metric: 'tpi', windowSeconds: 300, perEntity: 'latest', across: 'avg' },
  thresholds: spec({
    levels: levels('>=', [4, 6, 8], 0.3),
    pendingSeconds: 120,
    noData: { afterSeconds: STALE_AFTER_SECONDS, policy: 'stale' },
  }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const TRAFFIC_SPEED_INDICATOR: DemoIndicatorDefinition = {
  key: 'traffic.speed',
  name: '路网平均车速',
  nameEn: 'Average road speed',
  theme: 'traffic',
  unit: 'km/h',
  format: { decimals: 1, percent: false },
  description: `${DEMO}各区路段最新车速的平均值（告警看交通拥堵指数）。`,
  descriptionEn: 'Demo data. Average of the latest speed of the road links in the area (the congestion index is the one that alerts).',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: ROAD_TRAFFIC_FEED.feed.key, metric: 'speed', windowSeconds: 300, perEntity: 'latest', across: 'avg' },
  // The congestion index alerts for traffic; the same slowdown need not alert twice.
  thresholds: null,
  evaluateEverySeconds: null,
  enabled: true,
};

export const RAIN_HOURLY_INDICATOR: DemoIndicatorDefinition = {
  key: 'rain.hourly',
  name: '小时降雨量',
  nameEn: 'Rainfall, last hour',
  theme: 'water',
  unit: 'mm',
  format: { decimals: 1, percent: false },
  description: `${DEMO}各区雨量站近1小时累计降雨量的最大值；20毫米以上为短时强降水。`,
  descriptionEn: 'Demo data. Largest 1-hour rainfall of the gauges in the area; 20 mm and more is a short-duration heavy rain.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: RAIN_GAUGE_FEED.feed.key, metric: 'rainfall', windowSeconds: 3600, perEntity: 'sum', across: 'max' },
  thresholds: spec({ levels: levels('>=', [10, 20, 50], 2) }),
  // The hour's sum shrinks as old rain leaves the window, new records or not.
  evaluateEverySeconds: 60,
  enabled: true,
};

export const WATERLOGGING_DEPTH_INDICATOR: DemoIndicatorDefinition = {
  key: 'waterlogging.depth',
  name: '最大积水深度',
  nameEn: 'Deepest standing water',
  theme: 'water',
  unit: 'cm',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区易涝点最新积水深度的最大值；15厘米预警，30厘米严重（须持续60秒）。`,
  descriptionEn:
    'Demo data. Deepest latest water depth of the waterlogging points in the area; 15 cm warning, 30 cm critical (held for 60 s).',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: WATERLOGGING_FEED.feed.key, metric: 'depth', windowSeconds: 300, perEntity: 'latest', across: 'max' },
  thresholds: spec({
    levels: [
      { level: 'warning', op: '>=', value: 15, clear: 10 },
      { level: 'critical', op: '>=', value: 30, clear: 25 },
    ],
    pendingSeconds: 60,
    noData: { afterSeconds: STALE_AFTER_SECONDS, policy: 'stale' },
  }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const CRANE_LOAD_INDICATOR: DemoIndicatorDefinition = {
  key: 'crane.load',
  name: '塔吊最大吊重比',
  nameEn: 'Highest crane load',
  theme: 'construction',
  unit: '%',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区塔吊最新吊重（额定载荷百分比）的最大值；90%提示，100%预警，110%力矩限制器动作。`,
  descriptionEn:
    'Demo data. Highest latest load (% of rated) of the tower cranes in the area; 90 % notice, 100 % warning, 110 % the limiter trips.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: TOWER_CRANE_FEED.feed.key, metric: 'load', windowSeconds: 180, perEntity: 'latest', across: 'max' },
  thresholds: spec({ levels: levels('>=', [90, 100, 110], 5), keepFiringSeconds: 60 }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const CRANE_WIND_INDICATOR: DemoIndicatorDefinition = {
  key: 'crane.wind',
  name: '塔吊最大风速',
  nameEn: 'Highest wind at cranes',
  theme: 'construction',
  unit: 'm/s',
  format: { decimals: 1, percent: false },
  description: `${DEMO}各区塔吊臂端最新风速的最大值；6级风（10.8 m/s）提示，7级（13.9）预警，8级（17.2）停止作业。`,
  descriptionEn:
    'Demo data. Highest latest wind at the jibs in the area; Beaufort 6 (10.8 m/s) notice, 7 (13.9) warning, 8 (17.2) stop work.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: TOWER_CRANE_FEED.feed.key, metric: 'wind', windowSeconds: 180, perEntity: 'latest', across: 'max' },
  thresholds: spec({ levels: levels('>=', [10.8, 13.9, 17.2], 1), pendingSeconds: 30 }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const METRO_ENTRIES_INDICATOR: DemoIndicatorDefinition = {
  key: 'metro.entries',
  name: '地铁进站客流',
  nameEn: 'Metro entries',
  theme: 'public_services',
  unit: '人次/5分钟',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区地铁站近5分钟进站人次之和。`,
  descriptionEn: 'Demo data. Sum of the latest 5-minute entries of the metro stations in the area.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: METRO_FLOW_FEED.feed.key, metric: 'entries', windowSeconds: 180, perEntity: 'latest', across: 'sum' },
  thresholds: null,
  evaluateEverySeconds: null,
  enabled: true,
};

export const METRO_CROWDING_INDICATOR: DemoIndicatorDefinition = {
  key: 'metro.crowding',
  name: '地铁站最大满载率',
  nameEn: 'Most crowded metro station',
  theme: 'public_services',
  unit: '%',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区地铁站最新满载率（进站人次÷设计客流）的最大值；80%提示，100%预警，120%需限流。`,
  descriptionEn:
    'Demo data. Highest latest crowding (entries ÷ design flow) of the metro stations in the area; 80 % notice, 100 % warning, 120 % crowd control.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: METRO_FLOW_FEED.feed.key, metric: 'crowding', windowSeconds: 180, perEntity: 'latest', across: 'max' },
  thresholds: spec({ levels: levels('>=', [80, 100, 120], 5), pendingSeconds: 60 }),
  evaluateEverySeconds: null,
  enabled: true,
};

export const ER_WAITING_INDICATOR: DemoIndicatorDefinition = {
  key: 'er.waiting',
  name: '急诊候诊人数',
  nameEn: 'Patients waiting in emergency rooms',
  theme: 'health',
  unit: '人',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区医院急诊最新候诊人数之和。`,
  descriptionEn: 'Demo data. Sum of the latest patients waiting in the emergency rooms of the area.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'aggregate', feed: ER_WAITING_FEED.feed.key, metric: 'waiting', windowSeconds: 300, perEntity: 'latest', across: 'sum' },
  thresholds: null,
  evaluateEverySeconds: null,
  enabled: true,
};

export const ER_WAIT_INDICATOR: DemoIndicatorDefinition = {
  key: 'er.wait_minutes',
  name: '急诊最长候诊时间',
  nameEn: 'Longest emergency-room wait',
  theme: 'health',
  unit: '分钟',
  format: { decimals: 0, percent: false },
  description: `${DEMO}各区医院急诊候诊时间中位数的最大值；60分钟提示，90分钟预警，120分钟严重。`,
  descriptionEn: 'Demo data. Longest median wait of the emergency rooms in the area; 60 min notice, 90 min warning, 120 min critical.',
  grouping: CITY_AND_DISTRICTS,
  source: {
    kind: 'aggregate',
    feed: ER_WAITING_FEED.feed.key,
    metric: 'wait_minutes',
    windowSeconds: 300,
    perEntity: 'latest',
    across: 'max',
  },
  thresholds: spec({ levels: levels('>=', [60, 90, 120], 5), pendingSeconds: 300 }),
  evaluateEverySeconds: null,
  enabled: true,
};

/**
 * 城市运行指数: 100 is a calm city. Each theme's headline maps to a 0–100 score through the
 * thresholds above (`score` is piecewise linear through (value, score) points), weighted; an
 * area without a feed's sites (or before its data) scores that theme as calm.
 */
export const CITY_VITAL_INDEX_FORMULA = [
  'round(',
  '  0.2 * coalesce(score({air.aqi}, 50, 100, 100, 75, 150, 50, 200, 25, 300, 0), 100)',
  '+ 0.2 * coalesce(score({traffic.congestion}, 2, 100, 4, 75, 6, 50, 8, 25, 10, 0), 100)',
  '+ 0.2 * min(coalesce(score({waterlogging.depth}, 0, 100, 15, 60, 30, 25, 60, 0), 100),',
  '            coalesce(score({rain.hourly}, 0, 100, 20, 75, 50, 40, 100, 0), 100))',
  '+ 0.1 * min(coalesce(score({crane.wind}, 8, 100, 13.9, 60, 17.2, 30, 25, 0), 100),',
  '            coalesce(score({crane.load}, 80, 100, 100, 60, 110, 30, 120, 0), 100))',
  '+ 0.15 * coalesce(score({metro.crowding}, 60, 100, 80, 80, 100, 50, 120, 20, 150, 0), 100)',
  '+ 0.15 * coalesce(score({er.wait_minutes}, 30, 100, 60, 75, 90, 50, 120, 25, 240, 0), 100)',
  ', 0)',
].join('\n');

export const CITY_VITAL_INDEX_INDICATOR: DemoIndicatorDefinition = {
  key: 'city.vital_index',
  name: '城市运行指数',
  nameEn: 'City vital index',
  theme: 'overview',
  unit: null,
  format: { decimals: 0, percent: false },
  description: `${DEMO}0–100，100为平稳：空气20%、交通20%、内涝与降雨20%、塔吊10%、地铁15%、急诊15%，各项按其阈值换算为分数。`,
  descriptionEn:
    'Demo data. 0–100, 100 is calm: air 20 %, traffic 20 %, flooding and rain 20 %, cranes 10 %, metro 15 %, emergency rooms 15 %, each scored against its thresholds.',
  grouping: CITY_AND_DISTRICTS,
  source: { kind: 'composite', formula: CITY_VITAL_INDEX_FORMULA },
  thresholds: spec({
    levels: [
      { level: 'notice', op: '<=', value: 75, clear: 78 },
      { level: 'warning', op: '<=', value: 60, clear: 63 },
      { level: 'critical', op: '<=', value: 40, clear: 43 },
    ],
    pendingSeconds: 60,
  }),
  evaluateEverySeconds: null,
  enabled: true,
};

/**
 * Every vital sign of the demo city, inputs before the composite that reads them, seeded with
 * its department feeds. The marathon's comes with its course (demo-catalog); feed freshness is
 * the system's own (feed health), so it has no definition here.
 */
export const DEMO_VITAL_SIGNS: readonly DemoIndicatorDefinition[] = [
  AIR_AQI_INDICATOR,
  AIR_PM25_INDICATOR,
  TRAFFIC_CONGESTION_INDICATOR,
  TRAFFIC_SPEED_INDICATOR,
  RAIN_HOURLY_INDICATOR,
  WATERLOGGING_DEPTH_INDICATOR,
  CRANE_LOAD_INDICATOR,
  CRANE_WIND_INDICATOR,
  METRO_ENTRIES_INDICATOR,
  METRO_CROWDING_INDICATOR,
  ER_WAITING_INDICATOR,
  ER_WAIT_INDICATOR,
  CITY_VITAL_INDEX_INDICATOR,
];
