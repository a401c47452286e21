import { ingestRecordSchema } from '@cityops/contracts';
import { DEFAULT_DEMO_SEED } from '../seeded-random';
import {
  CITY_FEEDS,
  cityFeedRecords,
  METRO_FLOW_FEED,
  ROAD_TRAFFIC_FEED,
  AIR_QUALITY_FEED,
  ER_WAITING_FEED,
  TOWER_CRANE_FEED,
  type CityFeed,
} from './city-feeds';
import { congestionIndex, pm25Aqi } from './city-readings';
import { generateCitySites } from './city-sites';
import { chinaClock } from './city-time';
import { stormsBetween } from './city-weather';

const seed = DEFAULT_DEMO_SEED;
const sites = generateCitySites(seed);
/** A Guangzhou wall-clock time: `cst('2026-11-23T08:30')`. 23 Nov 2026 is a Monday. */
const cst = (local: string): Date => new Date(`${local}:00+08:00`);
const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];

const average = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Mean of one metric over the feed's sites, optionally of one district. */
function mean(feed: CityFeed, metric: string, at: Date, district?: string): number {
  return average(
    feed
      .readings(sites, seed, at)
      .filter((r) => !district || r.site.districtCode === district)
      .map((r) => r.values[metric]),
  );
}

/** Mean of one metric per district. */
function meanByDistrict(feed: CityFeed, metric: string, at: Date): Map<string, number> {
  const values = new Map<string, number[]>();
  for (const r of feed.readings(sites, seed, at))
    values.set(r.site.districtCode, [...(values.get(r.site.districtCode) ?? []), r.values[metric]]);
  return new Map([...values].map(([district, list]) => [district, average(list)]));
}

const meanOverDays = (feed: CityFeed, metric: string, time: string): number =>
  DAYS.reduce((sum, day) => sum + mean(feed, metric, cst(`${day}T${time}`)), 0) / DAYS.length;

describe('the clock of Guangzhou', () => {
  it.each([
    ['2026-11-23T00:30:00Z', 8.5, 1, false],
    ['2026-11-22T16:00:00Z', 0, 1, false],
    ['2026-11-22T15:59:00Z', 23 + 59 / 60, 0, true],
    ['2026-11-28T02:00:00Z', 10, 6, true],
  ])('reads %s as hour %d, weekday %i (weekend %s)', (iso, hour, weekday, weekend) => {
    const clock = chinaClock(new Date(iso));
    expect(clock.hour).toBeCloseTo(hour, 6);
    expect(clock.weekday).toBe(weekday);
    expect(clock.weekend).toBe(weekend);
  });
});

describe('daily rhythms', () => {
  it('slows every district in the weekday rush hours, below its midday and night speeds; the city is fastest at night', () => {
    for (const day of DAYS) {
      const [mornings, evenings, middays, nights] = ['08:30', '18:30', '14:00', '03:00'].map((time) =>
        meanByDistrict(ROAD_TRAFFIC_FEED, 'speed', cst(`${day}T${time}`)),
      );
      for (const [district, morning] of mornings) {
        const [evening, midday, night] = [evenings, middays, nights].map((m) => m.get(district)!);
        expect({ day, district, morningSlowerThanMidday: morning < midday, eveningSlowerThanMidday: evening < midday }).toEqual({
          day,
          district,
          morningSlowerThanMidday: true,
          eveningSlowerThanMidday: true,
        });
        expect(morning).toBeLessThan(night);
        expect(evening).toBeLessThan(night);
      }
      expect(average([...middays.values()])).toBeLessThan(average([...nights.values()]));
    }
  });

  it('makes the downtown rush congested and the night smooth (congestion index)', () => {
    expect(meanOverDays(ROAD_TRAFFIC_FEED, 'tpi', '08:30')).toBeGreaterThan(1.5);
    expect(meanOverDays(ROAD_TRAFFIC_FEED, 'tpi', '03:00')).toBeLessThan(0.5);
    // Tianhe's rush is worse than Conghua's.
    const rushes = DAYS.map((day) => meanByDistrict(ROAD_TRAFFIC_FEED, 'tpi', cst(`${day}T08:30`)));
    const rush = (district: string) => average(rushes.map((m) => m.get(district)!));
    expect(rush('440106')).toBeGreaterThan(rush('440117'));
  });

  it('keeps weekend mornings freer than weekday mornings', () => {
    expect(mean(ROAD_TRAFFIC_FEED, 'speed', cst('2026-11-28T08:30'))).toBeGreaterThan(
      mean(ROAD_TRAFFIC_FEED, 'speed', cst('2026-11-27T08:30')),
    );
  });

  it.each(['23:40', '00:30', '03:00', '05:45'])('has no metro entries at %s, when the metro is closed', (time) => {
    const readings = METRO_FLOW_FEED.readings(sites, seed, cst(`2026-11-24T${time}`));
    expect(readings.every((r) => r.values.entries === 0 && r.values.crowding === 0)).toBe(true);
  });

  it('fills the metro most in the rush hours', () => {
    const [morning, evening, midday, lateEvening] = ['08:15', '18:15', '14:00', '22:30'].map((t) =>
      meanOverDays(METRO_FLOW_FEED, 'entries', t),
    );
    expect(morning).toBeGreaterThan(1.5 * midday);
    expect(evening).toBeGreaterThan(1.5 * midday);
    expect(midday).toBeGreaterThan(lateEvening);
    expect(lateEvening).toBeGreaterThan(0);
  });

  it('makes the air worse in the morning than in the afternoon', () => {
    expect(meanOverDays(AIR_QUALITY_FEED, 'aqi', '08:30')).toBeGreaterThan(meanOverDays(AIR_QUALITY_FEED, 'aqi', '14:30'));
  });

  it('drifts the air slowly per district: neighbouring minutes are close, hours apart are not', () => {
    const district = '440106';
    const a = mean(AIR_QUALITY_FEED, 'pm25', cst('2026-11-24T11:00'), district);
    const b = mean(AIR_QUALITY_FEED, 'pm25', cst('2026-11-24T11:01'), district);
    expect(Math.abs(a - b) / a).toBeLessThan(0.05);
    const hourly = Array.from({ length: 48 }, (_, h) =>
      mean(AIR_QUALITY_FEED, 'pm25', new Date(cst('2026-11-23T00:00').getTime() + h * 3600_000), district),
    );
    expect(Math.max(...hourly) / Math.min(...hourly)).toBeGreaterThan(1.5);
  });

  it('makes emergency rooms busiest in the evening', () => {
    const evening = meanOverDays(ER_WAITING_FEED, 'wait_minutes', '20:30');
    expect(evening).toBeGreaterThan(meanOverDays(ER_WAITING_FEED, 'wait_minutes', '04:00'));
    expect(evening).toBeGreaterThan(meanOverDays(ER_WAITING_FEED, 'wait_minutes', '14:30'));
  });

  it.each([
    ['at 3 am', '2026-11-24T03:00'],
    ['in the lunch break', '2026-11-24T12:45'],
    ['on a Sunday', '2026-11-29T10:00'],
  ])('leaves every crane idle %s (the hook alone reads a few per cent)', (_when, local) => {
    const loads = TOWER_CRANE_FEED.readings(sites, seed, cst(local)).map((r) => r.values.load);
    expect(Math.max(...loads)).toBeLessThan(5);
  });

  it('lifts loads in working hours', () => {
    const loads = TOWER_CRANE_FEED.readings(sites, seed, cst('2026-11-24T10:00')).map((r) => r.values.load);
    expect(loads.filter((l) => l > 20).length).toBeGreaterThan(20);
  });
});

describe('records', () => {
  /** Every three hours of a day, and the middle of a storm. */
  const storm = stormsBetween(seed, cst('2026-11-23T00:00'), cst('2026-11-26T00:00'))[0];
  const instants = [
    ...Array.from({ length: 8 }, (_, i) => new Date(cst('2026-11-24T01:30').getTime() + i * 3 * 3600_000)),
    new Date((storm.startsAt.getTime() + storm.endsAt.getTime()) / 2),
  ];

  it.each(CITY_FEEDS.map((f) => [f.feed.key, f] as const))(
    '%s: every value is inside its metric range and every record is valid',
    (_key, feed) => {
      const metrics = new Map(feed.feed.metrics.map((m) => [m.key, m]));
      for (const at of instants) {
        const records = cityFeedRecords(feed, sites, seed, at);
        expect(records).toHaveLength(feed.readings(sites, seed, at).length * feed.feed.metrics.length);
        for (const record of records) {
          expect(ingestRecordSchema.parse(record)).toEqual(record);
          const metric = metrics.get(record.metric);
          expect(metric).toBeDefined();
          expect(Number.isFinite(record.value)).toBe(true);
          expect(record.value).toBeGreaterThanOrEqual(metric!.min!);
          expect(record.value).toBeLessThanOrEqual(metric!.max!);
        }
      }
    },
  );

  it('are the same for the same seed and instant, and differ for another seed', () => {
    const at = cst('2026-11-24T08:30');
    for (const feed of CITY_FEEDS) {
      expect(cityFeedRecords(feed, sites, seed, at)).toEqual(cityFeedRecords(feed, sites, seed, at));
    }
    const other = generateCitySites(seed + 1);
    expect(cityFeedRecords(AIR_QUALITY_FEED, other, seed + 1, at).map((r) => r.value)).not.toEqual(
      cityFeedRecords(AIR_QUALITY_FEED, sites, seed, at).map((r) => r.value),
    );
  });

  it('carry the entity, its location, a per-instant id and China time', () => {
    const at = new Date('2026-11-24T00:30:00.000Z');
    const [first] = cityFeedRecords(AIR_QUALITY_FEED, sites, seed, at);
    expect(first).toEqual({
      id: `aq-440103-01:aqi:${at.getTime()}`,
      entity: 'aq-440103-01',
      metric: 'aqi',
      value: AIR_QUALITY_FEED.readings(sites, seed, at)[0].values.aqi,
      ts: '2026-11-24T08:30:00.000+08:00',
      location: sites.airStations[0].location,
      props: { source: 'demo-simulator', name: '荔湾区空气质量监测站01' },
    });
  });

  it('keep one post of every feed together at about 1,000 records (sane for a 2-core machine)', () => {
    const at = cst('2026-11-24T08:30');
    const perMinute = CITY_FEEDS.reduce((sum, f) => sum + (cityFeedRecords(f, sites, seed, at).length * 60) / f.cadenceSeconds, 0);
    // ≈ 700 records every 30 s.
    expect(perMinute).toBeGreaterThan(1200);
    expect(perMinute).toBeLessThan(1600);
  });
});

describe('scales', () => {
  it.each([
    [0, 0],
    [35, 50],
    [55, 75],
    [75, 100],
    [150, 200],
    [600, 500],
  ])('PM2.5 %d µg/m³ is AQI %d', (pm25, aqi) => {
    expect(pm25Aqi(pm25)).toBeCloseTo(aqi, 6);
  });

  it.each([
    [1.1, 0],
    [1, 0],
    [0.7, 2],
    [0.6, 3],
    [0.5, 4],
    [0.35, 6],
    [0.2, 8],
    [0, 10],
  ])('speed at %d of free flow is congestion index %d', (ratio, index) => {
    expect(congestionIndex(ratio)).toBeCloseTo(index, 6);
  });
});
