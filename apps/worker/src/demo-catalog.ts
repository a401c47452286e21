import type { FeedDefinition } from '@cityops/contracts';
import type { IndicatorDefinition } from '@cityops/indicators';

/** The marathon scenario's feed and vital sign; loaded with the demo city. */
export const MARATHON_ZONE_SET = {
  key: 'gz-marathon',
  name: '广州马拉松赛道',
  nameEn: 'Guangzhou Marathon course',
  description: '演示数据：赛道按约2公里分段，每段有安全容量（人）。Demo data: the course in ~2 km segments, each with a crowd capacity.',
};

/**
 * The kinds of department that pour data into a Guangzhou-style city operations centre. Real
 * departments, no invented feeds: only the marathon feed below has (simulated) data.
 */
export const DEPARTMENTS: { code: string; name: string; nameEn: string }[] = [
  { code: 'public-security', name: '公安', nameEn: 'Public Security' },
  { code: 'transport', name: '交通运输', nameEn: 'Transport' },
  { code: 'ecology-environment', name: '生态环境', nameEn: 'Ecology and Environment' },
  { code: 'water', name: '水务', nameEn: 'Water Affairs' },
  { code: 'urban-management', name: '城市管理和综合执法', nameEn: 'Urban Management' },
  { code: 'emergency', name: '应急管理', nameEn: 'Emergency Management' },
  { code: 'health', name: '卫生健康', nameEn: 'Health' },
  { code: 'housing', name: '住房和城乡建设', nameEn: 'Housing and Urban-Rural Development' },
  { code: 'meteorology', name: '气象', nameEn: 'Meteorology' },
  { code: 'market-regulation', name: '市场监督管理', nameEn: 'Market Regulation' },
  { code: 'education', name: '教育', nameEn: 'Education' },
  { code: 'planning', name: '规划和自然资源', nameEn: 'Planning and Natural Resources' },
  { code: 'civil-affairs', name: '民政', nameEn: 'Civil Affairs' },
  { code: 'human-resources', name: '人力资源和社会保障', nameEn: 'Human Resources and Social Security' },
  { code: 'culture-tourism', name: '文化广电旅游', nameEn: 'Culture, Radio, TV and Tourism' },
  { code: 'sports', name: '体育', nameEn: 'Sports' },
  { code: 'commerce', name: '商务', nameEn: 'Commerce' },
  { code: 'industry-it', name: '工业和信息化', nameEn: 'Industry and Information Technology' },
  { code: 'agriculture', name: '农业农村', nameEn: 'Agriculture and Rural Affairs' },
  { code: 'forestry-gardens', name: '林业和园林', nameEn: 'Forestry and Gardens' },
  { code: 'fire-rescue', name: '消防救援', nameEn: 'Fire and Rescue' },
  { code: 'government-data', name: '政务服务数据管理', nameEn: 'Government Services and Data Management' },
  { code: 'metro', name: '地铁集团', nameEn: 'Metro' },
  { code: 'power-supply', name: '供电局', nameEn: 'Power Supply' },
];

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
  zoneSet: 'gz-marathon',
  connector: null,
};

export const SEGMENT_LOAD_INDICATOR: IndicatorDefinition = {
  key: 'marathon.segment_load',
  name: '赛道分段负荷',
  nameEn: 'Course segment load',
  description: '最新人数 ÷ 安全容量。Latest headcount ÷ crowd capacity, per segment.',
  unit: 'ratio',
  kind: 'latest_ratio_to_capacity',
  params: { feed: 'marathon-crowd', metric: 'headcount', zoneSet: 'gz-marathon' },
  sourceFeeds: ['marathon-crowd'],
  thresholds: { warning: 0.8, critical: 1.0, clear: 0.75 },
  enabled: true,
};
