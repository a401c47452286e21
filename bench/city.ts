/**
 * npm run bench:city — the demo city at Guangzhou's scale loaded into an empty database, as
 * `cli.js prepare` does at the first start, with baselines measured in the same run.
 *
 * 1. Set-up, step by step into a fresh database: the migrations; the product's and the demo's
 *    set-up with the city (areas generated and loaded, the marathon, the feeds, 10,000 cameras);
 *    then the day of observations of the seven department feeds (DemoSeederService's history, as
 *    prepare writes it: COPY, two feeds at a time), the vital signs over it and the alerts those
 *    imply. Target (issue #9): all of it under two minutes.
 * 2. Baselines for the same rows: exported with COPY TO, then (a) a bare COPY into a plain table
 *    without indexes or partitions (moving the bytes), (b) a raw COPY, one stream, into the emptied
 *    observation table with its partitions and indexes (the database's own cost of storing them).
 * 3. The live demo's round on this data: each demo vital sign recomputed and its alerts evaluated
 *    once (as the worker's jobs do), and one indicator grouped by grid over every grid of the city.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { AlertsModule, AlertService } from '@cityops/alerts';
import { CoreModule, type AppConfig } from '@cityops/core';
import { buildDemoCity, CITY_FEEDS, DEFAULT_DEMO_SEED, DEMO_VITAL_SIGNS, DemoSeederService } from '@cityops/demo';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IndicatorService, IndicatorsModule } from '@cityops/indicators';
import { migrateDatabase } from '../apps/worker/src/database-setup';
import { PrepareModule } from '../apps/worker/src/prepare.module';
import { PrepareService } from '../apps/worker/src/prepare.service';
import { benchConfig, step } from './support/bench-stack';

const HOURS = Number(process.env.BENCH_CITY_HOURS ?? 24);
const TARGET_SECONDS = 120;
const COLUMNS = 'feed_key, record_key, ts, metric, value, entity, area_id, area_path, geom, props';

const int = (n: number) => Math.round(n).toLocaleString('en');
const line = (k: string, v: string) => console.log(`  ${k.padEnd(52)} ${v}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function main(): Promise<void> {
  const { config, drop } = benchConfig();
  const file = join(tmpdir(), `cityops-bench-city-${process.pid}.copy`);
  try {
    step(`set-up into the empty database ${new URL(config.databaseUrl).pathname.slice(1)}`);
    const [, migrateMs] = await timed(() => migrateDatabase(config));

    const [, generateMs] = await timed(() => Promise.resolve(buildDemoCity(DEFAULT_DEMO_SEED)));
    step('the city: prepare without the history (areas, marathon, feeds, cameras)');
    const prepConfig: AppConfig = { ...config, demoHistoryHours: 0 };
    const prep = await NestFactory.createApplicationContext(PrepareModule.forRoot(prepConfig), { logger: false, abortOnError: false });
    let cityMs: number;
    let historyMs: number;
    let historyRows: number;
    let vitalMs: number;
    let vitalValues: number;
    let alertMs: number;
    let derivedAlerts: number;
    try {
      const [prepared, ms] = await timed(() => prep.get(PrepareService).run());
      cityMs = ms;
      const cityFeeds = prepared.demo?.cityFeeds ?? [];
      step(`the history: ${HOURS} h of ${cityFeeds.length} department feeds`);
      const [results, hms] = await timed(() => prep.get(DemoSeederService).ensureCityHistory(cityFeeds, HOURS));
      historyMs = hms;
      historyRows = results.reduce((n, r) => n + r.written, 0);
      step('the vital signs over that day');
      const historyEnd = new Date();
      [vitalValues, vitalMs] = await timed(() => prep.get(DemoSeederService).computeVitalSignHistory(HOURS, historyEnd));
      step('the alerts those values imply');
      [derivedAlerts, alertMs] = await timed(() => prep.get(DemoSeederService).deriveVitalSignAlerts(HOURS, historyEnd));
    } finally {
      await prep.close();
    }

    const db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    try {
      const levels = (
        await db.query<{ level: string; n: number }>(
          `SELECT level, count(*)::int AS n FROM area GROUP BY level
            ORDER BY array_position(ARRAY['city', 'district', 'street', 'community', 'grid', 'zone'], level)`,
        )
      ).rows;
      const cameras = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM entity WHERE feed_key = 'cameras'`)).rows[0].n;
      const feedKeys = CITY_FEEDS.map((f) => f.feed.key);

      step('baseline: the same rows exported, then COPY into a plain table and into the emptied observation table');
      await pipeline(
        db.query(copyTo(`COPY (SELECT ${COLUMNS} FROM observation WHERE feed_key = ANY('{${feedKeys.join(',')}}')) TO STDOUT`)),
        createWriteStream(file),
      );
      await db.query(`CREATE TABLE bench_plain (LIKE observation INCLUDING DEFAULTS)`);
      const copyInto = async (table: string) => {
        const sink = db.query(copyFrom(`COPY ${table} (${COLUMNS}) FROM STDIN`));
        await pipeline(createReadStream(file), sink);
        return sink.rowCount;
      };
      const [plainRows, plainMs] = await timed(() => copyInto('bench_plain'));
      await db.query(`DROP TABLE bench_plain`);
      await db.query(`TRUNCATE observation`);
      const [rawRows, rawMs] = await timed(() => copyInto('observation'));

      step('the live demo’s round on this data');
      const round = await demoRound(config);

      const setupMs = migrateMs + cityMs + historyMs + vitalMs + alertMs;
      console.log(`\nbench:city — the demo city at Guangzhou's scale into an empty database (${HOURS} h of history)`);
      line('areas', levels.map((l) => `${l.level} ${int(l.n)}`).join(', '));
      line('cameras', int(cameras));
      line('migrations', seconds(migrateMs));
      line('the city (areas, marathon, feeds, cameras)', `${seconds(cityMs)}  (generating the areas alone: ${seconds(generateMs)})`);
      line(
        'the day of observations (COPY, two feeds at a time)',
        `${seconds(historyMs)}  ${int(historyRows)} rows, ${int(historyRows / (historyMs / 1000))} rows/s`,
      );
      line('the vital signs over that day (5-minute points)', `${seconds(vitalMs)}  ${int(vitalValues)} values`);
      line('the alerts over that day (derived from those values)', `${seconds(alertMs)}  ${int(derivedAlerts)} alerts`);
      line(
        'total set-up',
        `${seconds(setupMs)}   target < ${TARGET_SECONDS} s: ${setupMs / 1000 < TARGET_SECONDS && historyRows >= 1_000_000 ? 'PASS' : 'MISS'}`,
      );
      line(
        'baseline: bare COPY into a plain table (no index)',
        `${seconds(plainMs)}  ${int(plainRows)} rows, ${int(plainRows / (plainMs / 1000))} rows/s`,
      );
      line(
        'baseline: raw COPY into observation, one stream',
        `${seconds(rawMs)}  ${int(rawRows)} rows, ${int(rawRows / (rawMs / 1000))} rows/s`,
      );
      line('ratio history / bare COPY', `${(historyMs / plainMs).toFixed(2)}×`);
      line('ratio history / raw COPY into observation', `${(historyMs / rawMs).toFixed(2)}×`);
      line(`demo vital signs, one round (${round.indicators})`, `${seconds(round.vitalMs)}  (${int(round.vitalValues)} area values)`);
      line(`one indicator by grid (${int(round.gridValues)} grids with a value)`, `${seconds(round.gridMs)} recompute + alert evaluation`);
    } finally {
      await db.end();
    }
  } finally {
    rmSync(file, { force: true });
    await drop();
  }
}

/** Each demo vital sign recomputed and evaluated once, in the order the engine accepts them; then one grid-level indicator. */
async function demoRound(config: AppConfig) {
  class BenchCityModule {}
  const app = await NestFactory.createApplicationContext(
    { module: BenchCityModule, imports: [CoreModule.forRoot(config), GeoModule, FeedsModule, IndicatorsModule, AlertsModule] },
    { logger: false, abortOnError: false },
  );
  try {
    const indicators = app.get(IndicatorService);
    const alerts = app.get(AlertService);
    const run = async (key: string) => {
      const event = await indicators.recompute(key);
      await alerts.evaluate(event.indicatorKey, event.thresholds, event.values);
      return event.values.length;
    };
    let vitalValues = 0;
    const [, vitalMs] = await timed(async () => {
      for (const d of DEMO_VITAL_SIGNS) vitalValues += await run(d.key);
    });
    await indicators.upsert({
      key: 'bench.grid_speed',
      name: '网格平均车速 (bench)',
      theme: 'traffic',
      grouping: { levels: ['grid'] },
      source: { kind: 'aggregate', feed: 'road-traffic', metric: 'speed', windowSeconds: 600, perEntity: 'latest', across: 'avg' },
      thresholds: { levels: [{ level: 'warning', op: '<=', value: 10 }] },
      enabled: true,
    });
    const [gridValues, gridMs] = await timed(() => run('bench.grid_speed'));
    return { indicators: DEMO_VITAL_SIGNS.length, vitalMs, vitalValues, gridMs, gridValues };
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
