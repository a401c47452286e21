import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FeedHealthView } from '@cityops/contracts';
import {
  CITY_FEEDS,
  DEFAULT_DEMO_SEED,
  DEMO_VITAL_SIGNS,
  DemoSeederService,
  generateCitySites,
  historyTicks,
  SIMULATOR_SOURCE,
  type CityFeed,
} from '@cityops/demo';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { login, startStack, type TestStack } from '../support/stack';

const FEED_KEYS = CITY_FEEDS.map((f) => f.feed.key);
const SEED = DEFAULT_DEMO_SEED;
const MINUTES = 10;
const HOURS = MINUTES / 60;
/** China has no daylight saving: local 02:00 is 18:00 UTC of the day before. */
const HOUR_MS = 3600_000;

/** The last 02:00 in Guangzhou before now: the metro is closed, the roads empty. */
function lastChinaTwoAm(): Date {
  const now = Date.now();
  const day = 24 * HOUR_MS;
  const local = now + 8 * HOUR_MS;
  let at = Math.floor(local / day) * day + 2 * HOUR_MS - 8 * HOUR_MS;
  if (at > now) at -= day;
  return new Date(at);
}

/** Readings the simulator would post for a feed over [from, to): every site and metric at every step. */
function expectedRows(cityFeed: CityFeed, from: Date, to: Date): number {
  const sites = cityFeed.sites(generateCitySites(SEED));
  const metrics = Object.keys(cityFeed.read(SEED, sites[0], from)).length;
  return sites.length * metrics * historyTicks(cityFeed.cadenceSeconds, from, to).length;
}

describe('the demo city’s history: the feeds’ past written at set-up', () => {
  let stack: TestStack;
  let app: INestApplicationContext;
  let seeder: DemoSeederService;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    app = await NestFactory.createApplicationContext(PrepareModule.forRoot(stack.config), { logger: false });
    seeder = app.get(DemoSeederService);
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  const rowsIn = async (from: Date, to: Date) =>
    (
      await stack.db.query<{ feed_key: string; n: number; keys: number }>(
        `SELECT feed_key, count(*)::int AS n, count(DISTINCT record_key)::int AS keys FROM observation
          WHERE feed_key = ANY($1) AND ts >= $2 AND ts < $3 GROUP BY feed_key ORDER BY feed_key`,
        [FEED_KEYS, from, to],
      )
    ).rows;

  it('writes every reading the simulator would have posted over the window, each once, tagged with its site’s grid', async () => {
    const to = lastChinaTwoAm();
    const from = new Date(to.getTime() - MINUTES * 60_000);
    const results = await seeder.ensureCityHistory(FEED_KEYS, HOURS, to);

    expect(results.map((r) => r.feed).sort()).toEqual([...FEED_KEYS].sort());
    for (const cityFeed of CITY_FEEDS) {
      const result = results.find((r) => r.feed === cityFeed.feed.key);
      expect(result).toEqual({ feed: cityFeed.feed.key, written: expectedRows(cityFeed, from, to), rejected: 0, skipped: false });
    }
    const stored = await rowsIn(new Date(0), new Date(Date.now() + HOUR_MS));
    // Nothing outside the window, and no key twice.
    expect(stored).toEqual(await rowsIn(from, to));
    expect(stored.map((s) => [s.feed_key, s.n, s.keys])).toEqual(
      CITY_FEEDS.map((f) => [f.feed.key, expectedRows(f, from, to), expectedRows(f, from, to)]).sort((a, b) =>
        String(a[0]).localeCompare(String(b[0])),
      ),
    );

    const sites = generateCitySites(SEED);
    const gridOf = new Map(
      Object.values(sites)
        .flat()
        .map((s) => [s.id, s.gridCode]),
    );
    const tagged = (
      await stack.db.query<{ entity: string; code: string | null; source: string; located: boolean; path: number }>(
        `SELECT DISTINCT o.entity, a.code, o.props->>'source' AS source, o.geom IS NOT NULL AS located, cardinality(o.area_path) AS path
           FROM observation o LEFT JOIN area a ON a.id = o.area_id WHERE o.feed_key = ANY($1)`,
        [FEED_KEYS],
      )
    ).rows;
    expect(tagged).toHaveLength(gridOf.size);
    expect(tagged.filter((t) => t.code !== gridOf.get(t.entity) || t.source !== SIMULATOR_SOURCE || !t.located || t.path !== 5)).toEqual(
      [],
    );
  });

  it('follows the simulator’s seeded rhythms: each stored value is the one the simulator computes for its site and instant', async () => {
    const to = lastChinaTwoAm();
    const sites = generateCitySites(SEED);
    for (const cityFeed of CITY_FEEDS) {
      const byId = new Map(cityFeed.sites(sites).map((s) => [s.id, s]));
      const sample = (
        await stack.db.query<{ entity: string; metric: string; value: number; ts: Date; record_key: string }>(
          `SELECT entity, metric, value, ts, record_key FROM observation WHERE feed_key = $1 AND ts < $2 ORDER BY record_key LIMIT 200`,
          [cityFeed.feed.key, to],
        )
      ).rows;
      expect(sample.length).toBeGreaterThan(0);
      const wrong = sample.filter((row) => {
        const site = byId.get(row.entity);
        const expected = site ? cityFeed.read(SEED, site, row.ts)[row.metric] : undefined;
        return row.value !== expected || row.record_key !== `${row.entity}:${row.metric}:${row.ts.getTime()}`;
      });
      expect(wrong).toEqual([]);
    }
    // 01:50–02:00 in Guangzhou: the metro is closed (no entries anywhere) and the air is night air.
    const metro = await stack.db.query<{ max: number }>(
      `SELECT max(value) AS max FROM observation WHERE feed_key = 'metro-flow' AND metric = 'entries'`,
    );
    expect(metro.rows[0].max).toBe(0);
  });

  it('writes nothing into a feed that holds observations in the window, also when two set-ups run at once', async () => {
    const to = lastChinaTwoAm();
    const first = await rowsIn(new Date(0), new Date(Date.now() + HOUR_MS));
    const again = await seeder.ensureCityHistory(FEED_KEYS, HOURS, to);
    expect(again.every((r) => r.skipped && r.written === 0)).toBe(true);
    expect(await rowsIn(new Date(0), new Date(Date.now() + HOUR_MS))).toEqual(first);

    // Another window, two set-ups at once: each feed is written by one of them, once.
    const later = new Date(to.getTime() + 6 * HOUR_MS);
    const [a, b] = await Promise.all([
      seeder.ensureCityHistory(FEED_KEYS, HOURS, later),
      seeder.ensureCityHistory(FEED_KEYS, HOURS, later),
    ]);
    for (const key of FEED_KEYS) {
      const pair = [a, b].map((run) => run.find((r) => r.feed === key));
      expect(pair.filter((r) => r?.skipped)).toHaveLength(1);
    }
    const laterFrom = new Date(later.getTime() - MINUTES * 60_000);
    expect((await rowsIn(laterFrom, later)).map((s) => [s.feed_key, s.n, s.keys])).toEqual(
      CITY_FEEDS.map((f) => [f.feed.key, expectedRows(f, laterFrom, later), expectedRows(f, laterFrom, later)]).sort((x, y) =>
        String(x[0]).localeCompare(String(y[0])),
      ),
    );
  });

  it('computes the vital signs over the readings written, at five-minute points, inputs before the composite that reads them', async () => {
    const to = lastChinaTwoAm();
    const from = new Date(to.getTime() - MINUTES * 60_000);
    expect(await seeder.computeVitalSignHistory(HOURS, to)).toBeGreaterThan(0);

    const areas = (await stack.db.query<{ id: number; level: string }>(`SELECT id, level FROM area WHERE level IN ('city', 'district')`))
      .rows;
    const stored = (
      await stack.db.query<{ key: string; areas: number; first: Date; last: Date }>(
        `SELECT indicator_key AS key, count(DISTINCT area_id)::int AS areas, min(ts) AS first, max(ts) AS last
           FROM indicator_value WHERE indicator_key = ANY($1) GROUP BY indicator_key ORDER BY indicator_key`,
        [DEMO_VITAL_SIGNS.map((d) => d.key)],
      )
    ).rows;
    // Every vital sign, the composite city index included, for the city and each district, from readings of the window.
    expect(stored.map((r) => r.key)).toEqual(DEMO_VITAL_SIGNS.map((d) => d.key).sort());
    for (const row of stored) {
      expect(row.areas).toBe(areas.length);
      expect(row.first.getTime()).toBeGreaterThanOrEqual(from.getTime() - HOUR_MS);
      expect(row.last.getTime()).toBeLessThan(to.getTime());
    }

    // The city's air quality at 02:00: the mean of each station's latest AQI over the 15 minutes before.
    const city = areas.find((a) => a.level === 'city');
    const expected = await stack.db.query<{ aqi: number }>(
      `SELECT avg(value) AS aqi FROM (
         SELECT DISTINCT ON (entity) value FROM observation
          WHERE feed_key = 'air-quality' AND metric = 'aqi' AND ts > $1::timestamptz - interval '900 seconds' AND ts <= $1
          ORDER BY entity, ts DESC) latest`,
      [to],
    );
    const atTwo = await stack.db.query<{ value: number }>(
      `SELECT value FROM indicator_value WHERE indicator_key = 'air.aqi' AND area_id = $1 ORDER BY ts DESC LIMIT 1`,
      [city?.id],
    );
    expect(atTwo.rows[0].value).toBeCloseTo(expected.rows[0].aqi, 6);
  });

  it('tells feed health the newest reading written', async () => {
    const token = await login(stack.url);
    const res = await fetch(`${stack.url}/api/feeds/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const health = (await res.json()) as FeedHealthView[];
    const newest = await stack.db.query<{ feed_key: string; last: Date }>(
      `SELECT feed_key, max(ts) AS last FROM observation WHERE feed_key = ANY($1) GROUP BY feed_key`,
      [FEED_KEYS],
    );
    for (const row of newest.rows) {
      expect(health.find((h) => h.feedKey === row.feed_key)?.lastRecordAt).toBe(row.last.toISOString());
    }
  });
});
