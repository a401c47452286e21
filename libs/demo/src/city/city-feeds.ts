import type { FeedDefinition, IngestRecord } from '@cityops/contracts';
import { SIMULATOR_SOURCE, toChinaTime } from '../simulator/marathon-records';
import { airReading, craneReading, erReading, metroReading, rainGaugeReading, roadReading, waterloggingReading } from './city-readings';
import type { CitySite, DemoCitySites } from './city-sites';

/**
 * The demo city's department feeds: what each measures, who owns it, how often it posts and how
 * one post is made. Only this lib names them; the product reads them from the catalog.
 */
export interface CityFeed {
  feed: FeedDefinition;
  /** Seconds between posts; the feed's `expectedIntervalSeconds`. */
  cadenceSeconds: number;
  /** Every metric of every site of the feed at an instant. */
  readings(all: DemoCitySites, seed: number, at: Date): SiteReading[];
  /** The feed's sites, and what one of them reads at an instant (a history is written site by site). */
  sites(all: DemoCitySites): readonly CitySite[];
  read(seed: number, site: CitySite, at: Date): Record<string, number>;
}

export interface SiteReading {
  site: CitySite;
  values: Record<string, number>;
}

interface CityFeedSpec<S extends CitySite> {
  feed: FeedDefinition;
  cadenceSeconds: number;
  sites(all: DemoCitySites): readonly S[];
  read(seed: number, site: S, at: Date): Record<string, number>;
}

function cityFeed<S extends CitySite>(spec: CityFeedSpec<S>): CityFeed {
  return {
    feed: spec.feed,
    cadenceSeconds: spec.cadenceSeconds,
    readings: (all, seed, at) => spec.sites(all).map((site) => ({ site, values: spec.read(seed, site, at) })),
    sites: (all) => spec.sites(all),
    // Only ever called with a site of `sites(all)`, which are of the feed's own kind.
    read: (seed, site, at) => spec.read(seed, site as S, at),
  };
}

const DEMO = '演示数据 / Demo data';

function feed(definition: Omit<FeedDefinition, 'kind' | 'zoneSet' | 'connector'>): FeedDefinition {
  return { ...definition, kind: 'observation', zoneSet: null, connector: null };
}

export const AIR_QUALITY_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'air-quality',
    name: '空气质量自动监测',
    nameEn: 'Air quality monitoring',
    description: `${DEMO}：约50个空气质量自动监测站每分钟上报AQI与PM2.5（早高峰与夜间偏高，各区缓慢起伏）。About 50 monitoring stations report AQI and PM2.5 every minute (worse in the morning rush and at night, drifting slowly per district).`,
    departmentCode: 'ecology-environment',
    theme: 'environment',
    metrics: [
      { key: 'aqi', name: '空气质量指数', unit: 'AQI', min: 0, max: 500 },
      { key: 'pm25', name: 'PM2.5浓度', unit: 'µg/m³', min: 0, max: 1000 },
    ],
    expectedIntervalSeconds: 60,
    retentionDays: 7,
    ownerContact: '市生态环境局监测中心 (demo)',
  }),
  cadenceSeconds: 60,
  sites: (all) => all.airStations,
  read: (seed, site, at) => ({ ...airReading(seed, site, at) }),
});

export const ROAD_TRAFFIC_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'road-traffic',
    name: '道路实时车速',
    nameEn: 'Road link speeds',
    description: `${DEMO}：约300个路段每分钟上报平均车速与交通拥堵指数（0–10；早晚高峰7:30–9:30、17:30–19:30变慢，夜间畅通，偶有事故）。About 300 road links report speed and the congestion index (0–10) every minute: slow in the 7:30–9:30 and 17:30–19:30 rush, free at night, now and then an incident.`,
    departmentCode: 'transport',
    theme: 'traffic',
    metrics: [
      { key: 'speed', name: '平均车速', unit: 'km/h', min: 0, max: 200 },
      { key: 'tpi', name: '交通拥堵指数', unit: 'index', min: 0, max: 10 },
    ],
    expectedIntervalSeconds: 60,
    retentionDays: 3,
    ownerContact: '市交通运输局交通信息中心 (demo)',
  }),
  cadenceSeconds: 60,
  sites: (all) => all.roadLinks,
  read: (seed, site, at) => ({ ...roadReading(seed, site, at) }),
});

export const RAIN_GAUGE_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'rain-gauges',
    name: '雨量站降雨量',
    nameEn: 'Rain gauges',
    description: `${DEMO}：约40个雨量站每分钟上报该分钟降雨量（毫米）；偶有强对流雨团移过几个区，持续20–40分钟。About 40 gauges report each minute's rainfall (mm); now and then a storm cell drifts over a few districts for 20–40 minutes.`,
    departmentCode: 'water',
    theme: 'water',
    metrics: [{ key: 'rainfall', name: '分钟降雨量', unit: 'mm', min: 0, max: 100 }],
    expectedIntervalSeconds: 60,
    retentionDays: 7,
    ownerContact: '市水务局防汛调度中心 (demo)',
  }),
  cadenceSeconds: 60,
  sites: (all) => all.rainGauges,
  read: (seed, site, at) => rainGaugeReading(seed, site, at, 60),
});

export const WATERLOGGING_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'waterlogging',
    name: '易涝点积水深度',
    nameEn: 'Waterlogging depth',
    description: `${DEMO}：约80个易涝点每30秒上报积水深度（厘米）；暴雨时低洼点积水，雨停后逐渐退去。About 80 waterlogging points report water depth (cm) every 30 s; low points flood under a storm and drain after it.`,
    departmentCode: 'water',
    theme: 'water',
    metrics: [{ key: 'depth', name: '积水深度', unit: 'cm', min: 0, max: 300 }],
    expectedIntervalSeconds: 30,
    retentionDays: 3,
    ownerContact: '市水务局排水管理中心 (demo)',
  }),
  cadenceSeconds: 30,
  sites: (all) => all.waterloggingPoints,
  read: (seed, site, at) => waterloggingReading(seed, site, at),
});

export const TOWER_CRANE_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'tower-cranes',
    name: '塔吊安全监测',
    nameEn: 'Tower crane monitoring',
    description: `${DEMO}：约100个在建工地的塔吊每30秒上报吊重（额定载荷百分比）与臂端风速；作业时段起吊，偶有阵风。Tower cranes at about 100 building sites report load (% of rated) and wind at the jib every 30 s: lifts in working hours, gusts now and then.`,
    departmentCode: 'housing',
    theme: 'construction',
    metrics: [
      { key: 'load', name: '吊重比', unit: '%', min: 0, max: 150 },
      { key: 'wind', name: '风速', unit: 'm/s', min: 0, max: 75 },
    ],
    expectedIntervalSeconds: 30,
    retentionDays: 3,
    ownerContact: '市住房城乡建设局建筑安全监管 (demo)',
  }),
  cadenceSeconds: 30,
  sites: (all) => all.cranes,
  read: (seed, site, at) => ({ ...craneReading(seed, site, at) }),
});

export const METRO_FLOW_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'metro-flow',
    name: '地铁站进站客流',
    nameEn: 'Metro station entries',
    description: `${DEMO}：约60个地铁站每30秒上报近5分钟进站人次与满载率（%）；早晚高峰最多，23:30–6:00停运。About 60 metro stations report entries in the last 5 minutes and crowding (% of design flow) every 30 s: peaks in the rush hours, closed 23:30–6:00.`,
    departmentCode: 'metro',
    theme: 'public_services',
    metrics: [
      { key: 'entries', name: '5分钟进站人次', unit: 'entries/5min', min: 0, max: 20000 },
      { key: 'crowding', name: '满载率', unit: '%', min: 0, max: 400 },
    ],
    expectedIntervalSeconds: 30,
    retentionDays: 3,
    ownerContact: '广州地铁运营控制中心 (demo)',
  }),
  cadenceSeconds: 30,
  sites: (all) => all.metroStations,
  read: (seed, site, at) => ({ ...metroReading(seed, site, at) }),
});

export const ER_WAITING_FEED: CityFeed = cityFeed({
  feed: feed({
    key: 'er-waiting',
    name: '医院急诊候诊',
    nameEn: 'Emergency room waiting',
    description: `${DEMO}：约25家医院急诊每分钟上报候诊人数与近一小时候诊时间中位数（分钟）；晚间最忙。About 25 hospitals' emergency rooms report patients waiting and the median wait of the last hour (minutes) every minute; busiest in the evening.`,
    departmentCode: 'health',
    theme: 'health',
    metrics: [
      { key: 'waiting', name: '候诊人数', unit: 'patients', min: 0, max: 1000 },
      { key: 'wait_minutes', name: '候诊时间中位数', unit: 'min', min: 0, max: 1440 },
    ],
    expectedIntervalSeconds: 60,
    retentionDays: 7,
    ownerContact: '市卫生健康委医疗应急处 (demo)',
  }),
  cadenceSeconds: 60,
  sites: (all) => all.hospitals,
  read: (seed, site, at) => {
    const { waiting, waitMinutes } = erReading(seed, site, at);
    return { waiting, wait_minutes: waitMinutes };
  },
});

/** Every department feed of the demo city (the marathon is apart: it has its own course and loop). */
export const CITY_FEEDS: readonly CityFeed[] = [
  AIR_QUALITY_FEED,
  ROAD_TRAFFIC_FEED,
  RAIN_GAUGE_FEED,
  WATERLOGGING_FEED,
  TOWER_CRANE_FEED,
  METRO_FLOW_FEED,
  ER_WAITING_FEED,
];

/**
 * One post of a feed: a record per site and metric, located (so ingest tags its grid and every
 * area above it), with an id of site, metric and instant so a resent batch counts as duplicates.
 */
export function cityFeedRecords(cityFeed: CityFeed, sites: DemoCitySites, seed: number, at: Date): IngestRecord[] {
  const ts = toChinaTime(at);
  return cityFeed.readings(sites, seed, at).flatMap(({ site, values }) =>
    Object.entries(values).map(([metric, value]) => ({
      id: `${site.id}:${metric}:${at.getTime()}`,
      entity: site.id,
      metric,
      value,
      ts,
      location: site.location,
      props: { source: SIMULATOR_SOURCE, name: site.name },
    })),
  );
}
