/**
 * npm run bench:ingest — sustained ingest rate, against a baseline measured in the same run.
 *
 * - HTTP: batches of 1,000 located records (each tagged with its grid and ancestors) posted by
 *   several concurrent senders to the real API process, for a fixed number of records.
 * - Baseline: the very rows the API wrote, exported and written again with a raw `COPY` into the
 *   same partitioned table (with the same indexes): the database's own ceiling on this machine.
 * - API process peak RSS (VmHWM).
 * Targets (issue #3): ≥ 50,000 records/s over HTTP, ≥ 0.5 of raw COPY, RSS ≤ 400 MB.
 */
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NestFactory } from '@nestjs/core';
import mqtt from 'mqtt';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { AreaLocator } from '@cityops/geo';
import { PrepareModule } from '../apps/worker/src/prepare.module';
import { benchEnvironment, postgresCpuSeconds, processCpuSeconds, spawnApi, spawnWorker, step } from './support/bench-stack';

const TOTAL = Number(process.env.BENCH_RECORDS ?? 400_000);
const BATCH = 1000;
const SENDERS = Number(process.env.BENCH_SENDERS ?? 4);
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);

async function main(): Promise<void> {
  const { config, env, drop } = await benchEnvironment();
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  try {
    const centers = (
      await db.query<{ lon: number; lat: number }>(`SELECT ST_X(center) AS lon, ST_Y(center) AS lat FROM area WHERE level = 'grid'`)
    ).rows;
    // Experiment knob: measure what one index costs (never used for the reported figures).
    if (process.env.BENCH_DROP_INDEX) await db.query(`DROP INDEX ${process.env.BENCH_DROP_INDEX}`);
    step(`generating ${TOTAL} located records in batches of ${BATCH}`);
    const ts = new Date().toISOString();
    const bodies: string[] = [];
    for (let b = 0; b < TOTAL / BATCH; b++) {
      const records = [];
      for (let k = 0; k < BATCH; k++) {
        const c = centers[(b * BATCH + k) % centers.length];
        records.push({
          id: `b${b}-${k}`,
          entity: `sensor-${k % 300}`,
          metric: 'headcount',
          value: k % 400,
          ts,
          location: [c.lon + ((k % 7) - 3) * 1e-5, c.lat + ((k % 5) - 2) * 1e-5],
        });
      }
      bodies.push(JSON.stringify({ records }));
    }

    step('area tagging alone: PostGIS join per row vs the in-memory grid index, same points');
    const points = bodies.flatMap((b) => (JSON.parse(b) as { records: { location: [number, number] }[] }).records.map((r) => r.location));
    const pgStarted = performance.now();
    await db.query(
      `SELECT count(g.id) FROM unnest($1::float8[], $2::float8[]) AS p(lon, lat)
         LEFT JOIN LATERAL (SELECT id FROM area WHERE level = 'grid' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) LIMIT 1) g ON true`,
      [points.map((p) => p[0]), points.map((p) => p[1])],
    );
    const pgTagRate = points.length / ((performance.now() - pgStarted) / 1000);
    const geo = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: false, abortOnError: false });
    const locator = geo.get(AreaLocator);
    await locator.locateMany([[113.3, 23.1]]);
    const memStarted = performance.now();
    await locator.locateMany(points);
    const memTagRate = points.length / ((performance.now() - memStarted) / 1000);
    await geo.close();

    // Stateless API processes can run side by side; the default is one, as `npm start` runs.
    const apis = await Promise.all(Array.from({ length: API_PROCESSES }, () => spawnApi(env)));
    const api = apis[0];
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${env.SIMULATOR_TOKEN}` };
    // Warm-up batch (JIT, connection pool), not counted.
    await fetch(`${api.url}/api/feeds/marathon-crowd/records`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ records: [{ id: 'warm', metric: 'headcount', value: 1, ts, location: [113.32, 23.13] }] }),
    });

    step(`HTTP: ${SENDERS} concurrent senders`);
    let next = 0;
    let accepted = 0;
    // Where the CPU goes: backends of connections that close during the run take their time with
    // them, so the database figure is read while the API's pool is still open.
    const apiCpuBefore = apis.reduce((sum, a) => sum + processCpuSeconds(a.child.pid), 0);
    const pgCpuBefore = postgresCpuSeconds();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < bodies.length) {
          const n = next++;
          const body = bodies[n];
          const target = apis[n % apis.length];
          const res = await fetch(`${target.url}/api/feeds/marathon-crowd/records`, { method: 'POST', headers, body });
          const result = (await res.json()) as { accepted: number; rejected: number };
          if (res.status !== 200 || result.rejected)
            throw new Error(`ingest answered ${res.status} ${JSON.stringify(result).slice(0, 300)}`);
          accepted += result.accepted;
        }
      }),
    );
    const httpSeconds = (performance.now() - started) / 1000;
    const apiCpu = apis.reduce((sum, a) => sum + processCpuSeconds(a.child.pid), 0) - apiCpuBefore;
    const pgCpuAfter = postgresCpuSeconds();
    const pgCpu = pgCpuBefore !== null && pgCpuAfter !== null ? pgCpuAfter - pgCpuBefore : null;
    const rss = Math.max(...apis.map((a) => a.peakRssMb()));
    for (const a of apis) a.child.kill('SIGTERM');
    const tagged = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'b%' AND area_id IS NOT NULL`)
    ).rows[0].n;

    step('baseline: the same rows through a raw COPY into the same table');
    const dump = new PassThrough();
    const chunks: Buffer[] = [];
    dump.on('data', (c: Buffer) => chunks.push(c));
    await pipeline(db.query(copyTo(`COPY (SELECT * FROM observation WHERE record_key LIKE 'b%') TO STDOUT`)), dump);
    await db.query(`DELETE FROM observation WHERE record_key LIKE 'b%'`);
    await db.query(`VACUUM observation`);
    const copyPgBefore = postgresCpuSeconds();
    const copyStarted = performance.now();
    const sink = db.query(copyFrom(`COPY observation FROM STDIN`));
    await pipeline(Readable.from(chunks), sink);
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const copyPgAfter = postgresCpuSeconds();
    const copyPgCpu = copyPgBefore !== null && copyPgAfter !== null ? copyPgAfter - copyPgBefore : null;

    step('MQTT: the same number of records in messages of 1,000 to cityops/feeds/marathon-crowd/records');
    const mqttUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
    const worker = spawnWorker({ ...env, MQTT_URL: mqttUrl });
    const publisher = await mqtt.connectAsync(mqttUrl, { clientId: `cityops-bench-${process.pid}` });
    // Wait until the worker is subscribed: a probe record comes back in its results topic.
    await publisher.subscribeAsync('cityops/feeds/marathon-crowd/results');
    let results = 0;
    publisher.on('message', () => results++);
    for (let i = 0; results === 0 && i < 300; i++) {
      await publisher.publishAsync(
        'cityops/feeds/marathon-crowd/records',
        JSON.stringify([{ id: `probe-${i}`, metric: 'headcount', value: 1, ts, area: 'GZM-01' }]),
        { qos: 1 },
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    if (results === 0) throw new Error('the worker never answered on MQTT');
    results = 0;
    const mqttBodies = bodies.map((b) => b.replace(/"id":"b/g, '"id":"m'));
    const mqttStarted = performance.now();
    for (const body of mqttBodies) await publisher.publishAsync('cityops/feeds/marathon-crowd/records', body, { qos: 1 });
    while (results < mqttBodies.length) await new Promise((r) => setTimeout(r, 20));
    const mqttSeconds = (performance.now() - mqttStarted) / 1000;
    const mqttStored = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'm%'`)).rows[0].n;
    await publisher.endAsync();
    worker.kill('SIGTERM');
    await db.query(`DELETE FROM observation WHERE record_key LIKE 'm%' OR record_key LIKE 'probe-%'`);

    const httpRate = accepted / httpSeconds;
    const mqttRate = mqttStored / mqttSeconds;
    const copyRate = accepted / copySeconds;
    const line = (k: string, v: string) => console.log(`  ${k.padEnd(38)} ${v}`);
    console.log(
      `ingest benchmark (${accepted.toLocaleString('en')} records, batches of ${BATCH}, ${SENDERS} senders, ${API_PROCESSES} API process(es), ${tagged.toLocaleString('en')} area-tagged)`,
    );
    line(
      'HTTP API (validate, tag, write)',
      `${Math.round(httpRate).toLocaleString('en')} records/s  (${httpSeconds.toFixed(1)} s)   target ≥ 50,000`,
    );
    line(
      'MQTT (worker: validate, tag, write)',
      `${Math.round(mqttRate).toLocaleString('en')} records/s  (${mqttSeconds.toFixed(1)} s, ${mqttStored.toLocaleString('en')} stored)`,
    );
    line('baseline: raw COPY, same rows', `${Math.round(copyRate).toLocaleString('en')} records/s  (${copySeconds.toFixed(1)} s)`);
    line('ratio HTTP / COPY', `${(httpRate / copyRate).toFixed(2)}   target ≥ 0.5`);
    const perRecord = (seconds: number) => `${((seconds * 1e6) / accepted).toFixed(1)} µs CPU per record`;
    line('HTTP: API process(es)', perRecord(apiCpu));
    line('HTTP: PostgreSQL server', pgCpu === null ? 'n/a (server not on this machine)' : perRecord(pgCpu));
    line('COPY: PostgreSQL server', copyPgCpu === null ? 'n/a' : perRecord(copyPgCpu));
    line('API process peak RSS (largest)', `${rss.toFixed(0)} MB   target ≤ 400 MB`);
    line('tagging: PostGIS join per row', `${Math.round(pgTagRate).toLocaleString('en')} points/s`);
    line(
      'tagging: in-memory grid index',
      `${Math.round(memTagRate).toLocaleString('en')} points/s  (${(memTagRate / pgTagRate).toFixed(0)}× PostGIS; used by ingest)`,
    );
  } finally {
    await db.end();
    await drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
