import type { FeedDefinition, IndicatorWriteInput, SceneDefinition } from '@cityops/contracts';
import { MARATHON_ZONE_SET_KEY } from './marathon-course';

/**
 * The marathon scenario: its zone set (the course, generated with the demo city), the feed the
 * simulator posts to, the vital sign computed from it and the wall scene that shows it. Only
 * this lib names them; the product reads them from the catalog and the scene table.
 */
export const MARATHON_ZONE_SET = {
  key: MARATHON_ZONE_SET_KEY,
  name: '广州马拉松赛道',
  nameEn: 'Guangzhou Marathon course',
  description: '演示数据：赛道按约2公里分段，每段有安全容量（人）。Demo data: the course in ~2 km segments, each with a crowd capacity.',
};

export const MARATHON_FEED: FeedDefinition = {
  key: 'marathon-crowd',
  name: '马拉松赛道分段人数',
  nameEn: 'Marathon segment headcounts',
  description:
    "演示数据：赛事计数系统每3秒推送各赛道分段的在段人数。Demo data: the race counting system pushes each segment's headcount every 3 s.",
  departmentCode: 'public-security',
  theme: 'crowd',
  kind: 'observation',
  metrics: [{ key: 'headcount', name: '在段人数', unit: 'persons', min: 0, max: 100000 }],
  expectedIntervalSeconds: 5,
  retentionDays: 90,
  ownerContact: '赛事指挥部 race command (demo)',
  zoneSet: MARATHON_ZONE_SET_KEY,
  connector: null,
};

export const SEGMENT_LOAD_INDICATOR: IndicatorWriteInput = {
  key: 'marathon.segment_load',
  name: '赛道分段负荷',
  nameEn: 'Course segment load',
  theme: 'major_events',
  description: '最新人数 ÷ 安全容量。',
  descriptionEn: 'Latest headcount ÷ crowd capacity, per segment.',
  unit: 'ratio',
  format: { decimals: 0, percent: true },
  grouping: { zoneSet: MARATHON_ZONE_SET_KEY },
  // Each segment's counter reports every 3 s; a reading older than 10 minutes no longer counts.
  source: {
    kind: 'aggregate',
    feed: MARATHON_FEED.key,
    metric: 'headcount',
    windowSeconds: 600,
    perEntity: 'latest',
    across: 'sum',
    normalise: 'per_capacity',
  },
  thresholds: {
    levels: [
      { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
      { level: 'critical', op: '>=', value: 1.0 },
    ],
  },
  enabled: true,
};

export const MARATHON_SCENE_KEY = 'gz-marathon';

/** The wall's marathon: the course coloured by segment load, in the words of a race command. */
export const MARATHON_SCENE: SceneDefinition = {
  kind: 'event',
  name: '广州马拉松 · 实时人流',
  nameEn: 'Guangzhou Marathon · Live crowd',
  zoneSet: MARATHON_ZONE_SET_KEY,
  indicatorKey: SEGMENT_LOAD_INDICATOR.key,
  feedKey: MARATHON_FEED.key,
  totalLabel: '在跑人数',
  totalLabelEn: 'Runners on course',
  totalUnit: '人',
  totalUnitEn: null,
  zoneLabel: '路段',
  zoneLabelEn: 'segments',
  zoneUnit: '段',
  zoneUnitEn: null,
  focusAreaId: null,
  layers: [],
  kpis: [],
  cameras: null,
  cases: null,
  bounds: null,
  position: 0,
  enabled: true,
};

/** The city's video surveillance: one camera per entity, checked as a camera at ingest. */
export const CAMERAS_FEED: FeedDefinition = {
  key: 'cameras',
  name: '视频监控点位',
  nameEn: 'Video surveillance cameras',
  description:
    '演示数据：全市约1万路视频监控（枪机、球机、执法记录仪），每段赛道沿线3–6路；画面为示意图。Demo data: about 10,000 cameras across the city, 3–6 along each course segment; their frames are placeholders.',
  departmentCode: 'public-security',
  theme: 'public-safety',
  kind: 'entity',
  entityProfile: 'camera',
  // The course cameras' video analytics count the people in view (a prop of each state the simulator pushes).
  metrics: [{ key: 'peopleInView', name: '画面内人数', unit: '人', min: 0 }],
  // A camera's state changes when it goes down or is moved, not on a clock.
  expectedIntervalSeconds: null,
  retentionDays: 30,
  ownerContact: '市公安局视频图像信息中心 (demo)',
  zoneSet: null,
  connector: null,
};
