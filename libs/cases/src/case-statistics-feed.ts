import { CASE_PANEL_INDICATORS, type FeedDefinition, type IndicatorWriteInput } from '@cityops/contracts';

/**
 * The cases' own numbers as a feed, so that the vital signs, alerts, the map and the wall read
 * them like any department's data: every few minutes, one record per street and metric (open,
 * overdue and supervised cases now, cases filed in the last 24 hours). Product reference data,
 * ensured by `cli.js prepare` with its indicators.
 */
export const CASE_STATISTICS_FEED: FeedDefinition = {
  key: 'case-statistics',
  name: '网格化案件统计',
  nameEn: 'Case statistics',
  description:
    '由平台根据案件库每5分钟按街道计算：在办、超期、督办中案件数及近24小时新增。Computed by the platform from its cases every 5 minutes, per street.',
  departmentCode: null,
  theme: 'urban_management',
  kind: 'observation',
  metrics: [
    { key: 'open', name: '在办案件', unit: 'cases', min: 0, max: 10_000_000 },
    { key: 'overdue', name: '超期案件', unit: 'cases', min: 0, max: 10_000_000 },
    { key: 'supervised', name: '督办中案件', unit: 'cases', min: 0, max: 10_000_000 },
    { key: 'filed_24h', name: '近24小时新增', unit: 'cases', min: 0, max: 10_000_000 },
  ],
  expectedIntervalSeconds: 300,
  retentionDays: 30,
  ownerContact: null,
  zoneSet: null,
  connector: null,
};

const levels = { levels: ['city', 'district', 'street'] as ('city' | 'district' | 'street')[] };
/** The latest count of each street, summed over the area: a street's record is older than two rounds only if the job stopped. */
const latestSum = (metric: string) =>
  ({ kind: 'aggregate', feed: CASE_STATISTICS_FEED.key, metric, windowSeconds: 900, perEntity: 'latest', across: 'sum' }) as const;

export const CASE_INDICATORS: readonly IndicatorWriteInput[] = [
  {
    key: CASE_PANEL_INDICATORS.open,
    name: '每万人在办案件',
    nameEn: 'Open cases per 10,000 residents',
    theme: 'urban_management',
    unit: 'per 10k',
    format: { decimals: 1, percent: false },
    description: '在办（未结案、未作废、未合并、未撤销）案件数 ÷ 常住人口（万人）。',
    descriptionEn: 'Cases not closed, invalid, merged or cancelled, per 10,000 residents.',
    grouping: levels,
    source: { ...latestSum('open'), normalise: 'per_10k_residents' },
    thresholds: null,
    evaluateEverySeconds: null,
    enabled: true,
  },
  {
    key: CASE_PANEL_INDICATORS.overdue,
    name: '超期案件',
    nameEn: 'Overdue cases',
    theme: 'urban_management',
    unit: 'cases',
    format: { decimals: 0, percent: false },
    description: '当前环节已超过期限（受理或办结时限，按工作日历）的案件数。',
    descriptionEn: 'Cases whose current stage is past its deadline (accept or resolve, in working time).',
    grouping: levels,
    source: latestSum('overdue'),
    thresholds: null,
    evaluateEverySeconds: null,
    enabled: true,
  },
  {
    key: CASE_PANEL_INDICATORS.supervised,
    name: '督办中案件',
    nameEn: 'Cases under supervision',
    theme: 'urban_management',
    unit: 'cases',
    format: { decimals: 0, percent: false },
    description: '超期后逐级督办（社区、街道、区、指挥中心）且尚未办结的案件数。',
    descriptionEn: 'Overdue cases escalated up the hierarchy (督办) and not yet done.',
    grouping: levels,
    source: latestSum('supervised'),
    thresholds: null,
    evaluateEverySeconds: null,
    enabled: true,
  },
  {
    key: 'cases.filed_24h',
    name: '近24小时新增案件',
    nameEn: 'Cases filed in 24 hours',
    theme: 'urban_management',
    unit: 'cases',
    format: { decimals: 0, percent: false },
    description: '近24小时上报的案件数（各来源）。',
    descriptionEn: 'Cases filed in the last 24 hours, from every source.',
    grouping: levels,
    source: latestSum('filed_24h'),
    thresholds: null,
    evaluateEverySeconds: null,
    enabled: true,
  },
];
