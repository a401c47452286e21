import { NestFactory } from '@nestjs/core';
import type { IndicatorDefinitionView, IndicatorValuesEvent } from '@cityops/contracts';
import {
  CITY_FEEDS,
  DEMO_VITAL_SIGNS,
  cityFeedRecords,
  DEFAULT_DEMO_SEED,
  DemoSeederService,
  demoFeedSecret,
  generateCitySites,
  SIMULATOR_TOKEN_NAME,
  startCitySimulator,
  type SimulatorLogger,
} from '@cityops/demo';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { eventually } from '../support/eventually';
import { feedToken, login, startStack, type TestStack } from '../support/stack';

const FEED_KEYS = CITY_FEEDS.map((f) => f.feed.key);

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) =>
    void lines.push({ level, fields: fields as Record<string, unknown>, message });
  const logger: SimulatorLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('the demo city: department feeds seeded and simulated through the real ingest', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // A worker turns the posted records into the city's vital signs.
    stack = await startStack({ workers: 1 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('registers every department feed under its department with one simulator key each, and running the seeder again changes nothing', async () => {
    const snapshot = async () =>
      (
        await stack.db.query<{ feed_key: string; id: string; secret_hash: string }>(
          `SELECT feed_key, id::text, secret_hash FROM feed_key WHERE name = $1 AND revoked_at IS NULL AND feed_key = ANY($2) ORDER BY feed_key`,
          [SIMULATOR_TOKEN_NAME, FEED_KEYS],
        )
      ).rows;
    // The run's template database was prepared once (as `cli.js prepare` does); prepare this copy twice more.
    const before = await snapshot();
    for (let run = 0; run < 2; run++) {
      const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(stack.config), { logger: false });
      try {
        expect(await app.get(DemoSeederService).seed()).toEqual({
          areasLoaded: 0,
          casePeople: [],
          marathon: true,
          cityFeeds: FEED_KEYS,
          camerasLoaded: 0,
          historyWritten: 0,
          vitalSignValues: 0,
          vitalSignAlerts: 0,
          wallScenes: [],
          caseRoutingRules: 0,
        });
      } finally {
        await app.close();
      }
    }
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.map((k) => k.feed_key)).toEqual([...FEED_KEYS].sort());

    const feeds = (
      await stack.db.query<{ key: string; department_code: string; expected_interval_seconds: number; description: string }>(
        `SELECT key, department_code, expected_interval_seconds, description FROM feed WHERE key = ANY($1) ORDER BY key`,
        [FEED_KEYS],
      )
    ).rows;
    expect(feeds.map((f) => [f.key, f.department_code, f.expected_interval_seconds])).toEqual(
      CITY_FEEDS.map((f) => [f.feed.key, f.feed.departmentCode, f.cadenceSeconds]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    for (const feed of feeds) expect(feed.description).toContain('演示数据 / Demo data');
  });

  it('leaves the department feeds out when SIMULATOR_CITY_ENABLED is false', async () => {
    const config = { ...stack.config, simulator: { ...stack.config.simulator, cityEnabled: false } };
    const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: false });
    try {
      expect(await app.get(DemoSeederService).seed()).toEqual({
        areasLoaded: 0,
        casePeople: [],
        marathon: true,
        cityFeeds: [],
        camerasLoaded: 0,
        historyWritten: 0,
        vitalSignValues: 0,
        vitalSignAlerts: 0,
        wallScenes: [],
        caseRoutingRules: 0,
      });
    } finally {
      await app.close();
    }
  });

  it('accepts one simulator round of every feed with no rejection, each record tagged with its site’s grid', async () => {
    const { logger, lines } = recordingLogger();
    const simulator = startCitySimulator({ apiUrl: stack.url, simulatorToken: feedToken, logger });
    let posted: typeof lines;
    try {
      posted = await eventually(
        () => {
          const done = lines.filter((l) => l.level === 'debug' && String(l.message).startsWith('posted '));
          return new Set(done.map((l) => l.fields.feed)).size === FEED_KEYS.length ? done : null;
        },
        30_000,
        'one accepted post per feed',
      );
    } finally {
      await simulator.stop();
    }
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    for (const key of FEED_KEYS) {
      const first = posted.find((l) => l.fields.feed === key)!;
      expect({ key, ...first.fields }).toMatchObject({ key, rejected: 0, duplicates: 0, accepted: first.fields.records });
    }

    const sites = generateCitySites(DEFAULT_DEMO_SEED);
    const gridOf = new Map(
      Object.values(sites)
        .flat()
        .map((s) => [s.id, s.gridCode]),
    );
    const tagged = (
      await stack.db.query<{ entity: string; code: string | null }>(
        `SELECT DISTINCT o.entity, a.code FROM observation o LEFT JOIN area a ON a.id = o.area_id WHERE o.feed_key = ANY($1)`,
        [FEED_KEYS],
      )
    ).rows;
    expect(tagged).toHaveLength(gridOf.size);
    expect(tagged.filter((t) => t.code !== gridOf.get(t.entity))).toEqual([]);
    const rejected = await stack.db.query(`SELECT 1 FROM rejected_record WHERE feed_key = ANY($1)`, [FEED_KEYS]);
    expect(rejected.rowCount).toBe(0);
  });

  it('lets a feed’s simulator key push to its own feed only', async () => {
    const [air, metro] = [CITY_FEEDS[0], CITY_FEEDS[5]];
    const records = cityFeedRecords(air, generateCitySites(DEFAULT_DEMO_SEED), DEFAULT_DEMO_SEED, new Date()).slice(0, 2);
    const post = (feedKey: string, token: string) =>
      fetch(`${stack.url}/api/feeds/${feedKey}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ records }),
      });
    expect((await post(air.feed.key, demoFeedSecret(feedToken, air.feed.key))).status).toBe(200);
    expect((await post(air.feed.key, demoFeedSecret(feedToken, metro.feed.key))).status).toBe(403);
    // SIMULATOR_TOKEN itself is the marathon's key, not the city feeds'.
    expect([401, 403]).toContain((await post(air.feed.key, feedToken)).status);
  });

  it('seeds the city’s vital signs, and one simulator round gives the 城市运行指数 a value for the city and every district', async () => {
    const token = await login(stack.url);
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    const defined = new Set((await get<IndicatorDefinitionView[]>('/api/indicators')).map((d) => d.key));
    expect(DEMO_VITAL_SIGNS.map((d) => d.key).filter((k) => !defined.has(k))).toEqual([]);

    const { logger } = recordingLogger();
    const simulator = startCitySimulator({ apiUrl: stack.url, simulatorToken: feedToken, logger });
    try {
      const districts = (await stack.db.query<{ code: string }>(`SELECT code FROM area WHERE level = 'district'`)).rows.map((r) => r.code);
      const index = await eventually(
        async () => {
          const latest = await get<IndicatorValuesEvent>('/api/indicators/city.vital_index/latest');
          const codes = new Set(latest.values.map((v) => v.areaCode));
          return districts.every((c) => codes.has(c)) && latest.values.length === districts.length + 1 ? latest : null;
        },
        60_000,
        'the city index for the city and every district',
      );
      for (const v of index.values) {
        expect(v.value).toBeGreaterThanOrEqual(0);
        expect(v.value).toBeLessThanOrEqual(100);
      }
      const aqi = await get<IndicatorValuesEvent>('/api/indicators/air.aqi/latest');
      expect(aqi.values.length).toBe(districts.length + 1);
    } finally {
      await simulator.stop();
    }
  });
});
