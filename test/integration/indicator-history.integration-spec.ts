import type { Client } from 'pg';
import { HISTORY_RESOLUTION_HEADER, type IndicatorHistoryPoint, type ProblemDetails } from '@cityops/contracts';
import { JobName, QueueService } from '@cityops/core';
import { IndicatorRollupService } from '@cityops/indicators';
import { IndicatorHistoryRepository } from '../../libs/indicators/src/indicator-history.repository';
import { eventually } from '../support/eventually';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const MINUTE = 60_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface RollupRow {
  bucket: string;
  avg: number;
  min: number;
  max: number;
  last: number;
  count: number;
}

describe('indicator history: raw values, 1-minute and 1-hour rollups, retention, /values?step=', () => {
  let stack: TestStack;
  let db: Client;
  let rollups: IndicatorRollupService;
  let admin: string;
  let scoped: string;
  let key: string;
  /** Two marathon segments: one inside the scoped user's district, one outside it. */
  let inside: number;
  let outside: number;
  /** A third segment that went quiet three days ago. */
  let quiet: number;
  /** The start of an hour three hours ago: the values below fill it and the next one. */
  const h0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const at = (ms: number) => new Date(h0 + ms).toISOString();
  const dayStart = (offset: number) => Math.floor(Date.now() / DAY) * DAY + offset * DAY;

  const store = async (areaId: number, values: [ts: string, value: number][]) => {
    for (const [ts, value] of values) {
      await db.query(`INSERT INTO indicator_value (indicator_key, area_id, ts, value) VALUES ($1, $2, $3, $4)`, [key, areaId, ts, value]);
    }
  };
  const rollupRows = async (table: 'indicator_value_1m' | 'indicator_value_1h', areaId: number, from: number, to: number) =>
    (
      await db.query<RollupRow>(
        `SELECT to_json(bucket) #>> '{}' AS bucket, avg, min, max, last, count FROM ${table}
          WHERE indicator_key = $1 AND area_id = $2 AND bucket >= $3 AND bucket < $4 ORDER BY bucket`,
        [key, areaId, new Date(from), new Date(to)],
      )
    ).rows.map((r) => ({ ...r, bucket: new Date(r.bucket).toISOString() }));
  const values = async (token: string, query: string) => {
    const res = await fetch(`${stack.url}/api/indicators/${key}/values?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body: unknown = await res.json();
    return { status: res.status, resolution: res.headers.get(HISTORY_RESOLUTION_HEADER), body };
  };
  const points = async (token: string, query: string) => {
    const answer = await values(token, query);
    expect(answer.status).toBe(200);
    return { resolution: answer.resolution, points: answer.body as IndicatorHistoryPoint[] };
  };

  beforeAll(async () => {
    // No worker: the test runs each rollup itself, so nothing moves between its steps.
    stack = await startStack({ workers: 0 });
    db = stack.db;
    rollups = stack.api!.get(IndicatorRollupService);
    admin = await login(stack.url);
    key = (await db.query<{ key: string }>(`SELECT key FROM indicator ORDER BY key LIMIT 1`)).rows[0].key;
    const district = (
      await db.query<{ code: string; inside: number; outside: number }>(
        `SELECT d.code,
                (SELECT min(s.id) FROM area s WHERE s.level = 'zone' AND s.id IN (SELECT cityops_scope_area_ids(ARRAY[d.id]))) AS inside,
                (SELECT min(s.id) FROM area s WHERE s.level = 'zone' AND s.id NOT IN (SELECT cityops_scope_area_ids(ARRAY[d.id]))) AS outside
           FROM area d WHERE d.level = 'district' ORDER BY d.code`,
      )
    ).rows.find((d) => d.inside !== null && d.outside !== null)!;
    inside = district.inside;
    outside = district.outside;
    quiet = (
      await db.query<{ id: number }>(`SELECT max(id) AS id FROM area WHERE level = 'zone' AND id <> ALL($1::int[])`, [[inside, outside]])
    ).rows[0].id;
    const user = await createUser(stack.url, admin, {
      username: 'history-district-analyst',
      roles: ['analyst'],
      scopes: [{ area: district.code }],
    });
    scoped = await login(stack.url, user.username, user.password);

    // History from before the first rollup: a day three days back (its own partition) and one five
    // days back (no partition: the default one), both older than the raw retention of a day.
    await db.query(`SELECT cityops_ensure_daily_partitions('indicator_value', 'ts', $1::date, 1)`, [
      new Date(dayStart(-3)).toISOString().slice(0, 10),
    ]);
    await store(inside, [
      [new Date(dayStart(-3) + 10 * HOUR + 5_000).toISOString(), 4],
      [new Date(dayStart(-3) + 10 * HOUR + 15_000).toISOString(), 6],
    ]);
    await store(inside, [[new Date(dayStart(-5) + 8 * HOUR + 1_000).toISOString(), 9]]);
    await store(quiet, [
      [new Date(dayStart(-3) + 12 * HOUR + 1_000).toISOString(), 0.5],
      [new Date(dayStart(-3) + 12 * HOUR + 2_000).toISOString(), 0.7],
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('rolls values up per minute and per hour with their average, extremes, newest value and count', async () => {
    await store(inside, [
      [at(10_000), 1],
      [at(20_000), 3],
      [at(50_000), 2],
      [at(MINUTE + 5_000), 10],
      [at(HOUR + 30_000), 7],
    ]);
    await store(outside, [[at(30_000), 100]]);

    const run = await rollups.rollup();
    // Five days of history caught up a day per step, each in its own transaction.
    expect(run.steps).toBeGreaterThanOrEqual(5);
    expect(run.busy).toBe(false);

    expect(await rollupRows('indicator_value_1m', inside, h0, h0 + 2 * HOUR)).toEqual([
      { bucket: at(0), avg: 2, min: 1, max: 3, last: 2, count: 3 },
      { bucket: at(MINUTE), avg: 10, min: 10, max: 10, last: 10, count: 1 },
      { bucket: at(HOUR), avg: 7, min: 7, max: 7, last: 7, count: 1 },
    ]);
    expect(await rollupRows('indicator_value_1h', inside, h0, h0 + 2 * HOUR)).toEqual([
      { bucket: at(0), avg: 4, min: 1, max: 10, last: 10, count: 4 },
      { bucket: at(HOUR), avg: 7, min: 7, max: 7, last: 7, count: 1 },
    ]);
    expect(await rollupRows('indicator_value_1h', outside, h0, h0 + HOUR)).toEqual([
      { bucket: at(0), avg: 100, min: 100, max: 100, last: 100, count: 1 },
    ]);
    // The days before the rollup existed are rolled up too.
    expect(await rollupRows('indicator_value_1h', inside, dayStart(-5), dayStart(-2))).toEqual([
      { bucket: new Date(dayStart(-5) + 8 * HOUR).toISOString(), avg: 9, min: 9, max: 9, last: 9, count: 1 },
      { bucket: new Date(dayStart(-3) + 10 * HOUR).toISOString(), avg: 5, min: 4, max: 6, last: 6, count: 2 },
    ]);
  });

  it('gives the same rows when it runs again (idempotent), changing nothing', async () => {
    const before = await rollupRows('indicator_value_1m', inside, h0, h0 + 2 * HOUR);
    const run = await rollups.rollup();
    expect(run).toMatchObject({ busy: false, minuteBuckets: 0, hourBuckets: 0 });
    expect(await rollupRows('indicator_value_1m', inside, h0, h0 + 2 * HOUR)).toEqual(before);
  });

  it('skips a run while another worker is rolling up, and rolls up once that one is done', async () => {
    // This connection plays the other worker, holding the rollup's lock in its transaction.
    await db.query('BEGIN');
    try {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('cityops:indicator.rollup'))`);
      expect(await rollups.rollup()).toMatchObject({ busy: true, steps: 0 });
    } finally {
      await db.query('COMMIT');
    }
    expect(await rollups.rollup()).toMatchObject({ busy: false, steps: 1 });
  });

  it('re-rolls a minute and its hour when a late value lands in them, or a stored value changes', async () => {
    await store(inside, [[at(40_000), 50]]);
    await db.query(`UPDATE indicator_value SET value = 12, computed_at = now() WHERE indicator_key = $1 AND area_id = $2 AND ts = $3`, [
      key,
      inside,
      at(MINUTE + 5_000),
    ]);
    const run = await rollups.rollup();
    expect(run.minuteBuckets).toBe(2);
    expect(run.hourBuckets).toBe(1);
    expect(await rollupRows('indicator_value_1m', inside, h0, h0 + 2 * MINUTE)).toEqual([
      // The late value is not the newest of its minute: `last` stays.
      { bucket: at(0), avg: 14, min: 1, max: 50, last: 2, count: 4 },
      { bucket: at(MINUTE), avg: 12, min: 12, max: 12, last: 12, count: 1 },
    ]);
    expect(await rollupRows('indicator_value_1h', inside, h0, h0 + HOUR)).toEqual([
      { bucket: at(0), avg: 68 / 5, min: 1, max: 50, last: 12, count: 5 },
    ]);
  });

  it('answers /values raw, in 1-minute or in 1-hour buckets, and says which', async () => {
    const range = `from=${at(0)}&to=${at(2 * HOUR)}&area=${inside}`;
    const raw = await points(admin, `${range}&step=raw`);
    expect(raw.resolution).toBe('raw');
    expect(raw.points.map((p) => [p.ts, p.value])).toEqual([
      [at(10_000), 1],
      [at(20_000), 3],
      [at(40_000), 50],
      [at(50_000), 2],
      [at(MINUTE + 5_000), 12],
      [at(HOUR + 30_000), 7],
    ]);

    const minutes = await points(admin, `${range}&step=1m`);
    expect(minutes.resolution).toBe('1m');
    expect(minutes.points).toEqual([
      { areaId: inside, ts: at(0), value: 14, numerator: null, denominator: null, min: 1, max: 50, last: 2, count: 4 },
      { areaId: inside, ts: at(MINUTE), value: 12, numerator: null, denominator: null, min: 12, max: 12, last: 12, count: 1 },
      { areaId: inside, ts: at(HOUR), value: 7, numerator: null, denominator: null, min: 7, max: 7, last: 7, count: 1 },
    ]);

    const hours = await points(admin, `${range}&step=1h`);
    expect(hours.resolution).toBe('1h');
    expect(hours.points.map((p) => [p.ts, p.count, p.max, p.last])).toEqual([
      [at(0), 5, 50, 12],
      [at(HOUR), 1, 7, 7],
    ]);
    expect(hours.points[0].value).toBeCloseTo(68 / 5, 10);

    // Buckets start inside the range: one starting before `from` is left out, one starting before `to` kept whole.
    const partial = await points(admin, `from=${at(30_000)}&to=${at(MINUTE + 1)}&area=${inside}&step=1m`);
    expect(partial.points.map((p) => [p.ts, p.count])).toEqual([[at(MINUTE), 1]]);
  });

  it('reads the minutes and hours the rollup has not reached yet from the raw values', async () => {
    const now = Date.now();
    const thisMinute = Math.floor(now / MINUTE) * MINUTE;
    await store(inside, [
      [new Date(thisMinute).toISOString(), 20],
      [new Date(thisMinute + 1).toISOString(), 40],
    ]);
    const minutes = await points(admin, `from=${new Date(thisMinute).toISOString()}&area=${inside}&step=1m`);
    expect(minutes.points).toEqual([
      expect.objectContaining({ ts: new Date(thisMinute).toISOString(), value: 30, min: 20, max: 40, last: 40, count: 2 }),
    ]);
    const thisHour = Math.floor(now / HOUR) * HOUR;
    const hours = await points(admin, `from=${new Date(thisHour).toISOString()}&area=${inside}&step=1h`);
    expect(hours.points).toEqual([expect.objectContaining({ ts: new Date(thisHour).toISOString(), max: 40, last: 40 })]);
  });

  it('chooses the resolution by the range with step=auto (the default)', async () => {
    expect((await points(admin, `from=${at(0)}&to=${at(2 * HOUR)}&area=${inside}`)).resolution).toBe('raw');
    expect((await points(admin, `from=${at(0)}&to=${at(2 * HOUR)}&area=${inside}&step=auto`)).resolution).toBe('raw');
    const day = await points(admin, `from=${new Date(Date.now() - DAY).toISOString()}&area=${inside}`);
    expect(day.resolution).toBe('1m');
    expect(day.points.find((p) => p.ts === at(0))).toMatchObject({ count: 4, max: 50 });
    const month = await points(admin, `from=${new Date(Date.now() - 30 * DAY).toISOString()}&area=${inside}`);
    expect(month.resolution).toBe('1h');
    expect(month.points.find((p) => p.ts === at(0))).toMatchObject({ count: 5, max: 50 });
  });

  it('answers each step with the scope’s areas only, and an area outside the scope as a missing one', async () => {
    const range = `from=${at(0)}&to=${at(2 * HOUR)}`;
    for (const step of ['raw', '1m', '1h', 'auto']) {
      const mine = await points(scoped, `${range}&step=${step}`);
      expect(mine.points.length).toBeGreaterThan(0);
      expect(mine.points.every((p) => p.areaId === inside)).toBe(true);
      const all = await points(admin, `${range}&step=${step}`);
      expect(all.points.some((p) => p.areaId === outside)).toBe(true);

      const hidden = await values(scoped, `${range}&step=${step}&area=${outside}`);
      const missing = await values(scoped, `${range}&step=${step}&area=2000000000`);
      expect(hidden.status).toBe(404);
      const { type, title, status } = hidden.body as ProblemDetails;
      const same = missing.body as ProblemDetails;
      expect({ type, title, status }).toEqual({ type: same.type, title: same.title, status: same.status });
    }
  });

  it('documents the step and the resolution header in the API description', async () => {
    const doc = (await (await fetch(`${stack.url}/api/docs-json`)).json()) as {
      paths: Record<string, { get: { parameters: { name: string }[]; responses: Record<string, { headers?: Record<string, unknown> }> } }>;
    };
    const route = doc.paths['/api/indicators/{key}/values'].get;
    expect(route.parameters.map((p) => p.name)).toContain('step');
    expect(route.responses['200'].headers).toHaveProperty([HISTORY_RESOLUTION_HEADER]);
  });

  it('refuses an unknown step with a 400 naming `step`, a range that ends before it starts naming `to`, and an unknown indicator with a 404', async () => {
    const bad = await values(admin, `step=5m`);
    expect(bad.status).toBe(400);
    expect((bad.body as ProblemDetails).errors).toEqual([{ path: 'step', message: expect.any(String) as string }]);
    const backwards = await values(admin, `from=${at(HOUR)}&to=${at(0)}`);
    expect(backwards.status).toBe(400);
    expect((backwards.body as ProblemDetails).errors).toEqual([{ path: 'to', message: 'must be later than from' }]);
    const res = await fetch(`${stack.url}/api/indicators/no.such.indicator/values?step=1h`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(404);
  });

  it('drops raw values past their retention, whole days at once, while the rollups keep their history', async () => {
    const oldPartition = `indicator_value_p${new Date(dayStart(-3)).toISOString().slice(0, 10).replace(/-/g, '')}`;
    const result = await rollups.maintain();
    expect(result.droppedPartitions).toContain(oldPartition);
    expect(result.deletedRows).toBeGreaterThanOrEqual(1);
    const oldRaw = async (areaId: number) =>
      (
        await db.query<{ ts: Date; value: number }>(
          `SELECT ts, value FROM indicator_value WHERE indicator_key = $1 AND area_id = $2 AND ts < $3 ORDER BY ts`,
          [key, areaId, new Date(dayStart(-1))],
        )
      ).rows.map((r) => [r.ts.toISOString(), r.value]);
    expect(await oldRaw(inside)).toEqual([]);
    // An area that went quiet keeps its newest value, whatever its age: its latest is still known.
    expect(await oldRaw(quiet)).toEqual([[new Date(dayStart(-3) + 12 * HOUR + 2_000).toISOString(), 0.7]]);
    // Within the raw retention nothing went.
    expect((await points(admin, `from=${at(0)}&to=${at(2 * HOUR)}&area=${inside}&step=raw`)).points).toHaveLength(6);
    // The old days are still there at 1 minute and 1 hour; auto answers them from the minutes.
    const oldHour = new Date(dayStart(-3) + 10 * HOUR).toISOString();
    const oldHourEnd = new Date(dayStart(-3) + 11 * HOUR).toISOString();
    const auto = await points(admin, `from=${oldHour}&to=${oldHourEnd}&area=${inside}`);
    expect(auto.resolution).toBe('1m');
    expect(auto.points).toEqual([expect.objectContaining({ ts: oldHour, value: 5, min: 4, max: 6, last: 6, count: 2 })]);
    const fiveDaysAgo = await points(
      admin,
      `from=${new Date(dayStart(-5)).toISOString()}&to=${new Date(dayStart(-4)).toISOString()}&area=${inside}&step=1h`,
    );
    expect(fiveDaysAgo.points.map((p) => [p.value, p.count])).toEqual([[9, 1]]);
    // Partitions for the coming days exist; running it again drops nothing more.
    const again = await rollups.maintain();
    expect(again).toEqual({ createdPartitions: 0, droppedPartitions: [], deletedRows: 0 });
    const today = (
      await db.query(`SELECT to_regclass($1) AS t`, [`indicator_value_p${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`])
    ).rows[0];
    expect(today.t).not.toBeNull();
  });

  it('drops 1-minute and 1-hour buckets past their own retention when it is set (hours are kept for ever by default)', async () => {
    const config = stack.config;
    const shorter = new IndicatorRollupService(stack.api!.get(IndicatorHistoryRepository), {
      ...config,
      indicatorHistory: { rawDays: 1, minuteDays: 2, hourDays: 4 },
    });
    const count = async (table: 'indicator_value_1m' | 'indicator_value_1h', from: number, to: number) =>
      (
        await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE indicator_key = $1 AND bucket >= $2 AND bucket < $3`, [
          key,
          new Date(from),
          new Date(to),
        ])
      ).rows[0].n;
    expect(await count('indicator_value_1h', dayStart(-5), dayStart(-4))).toBe(1);
    const result = await shorter.maintain();
    // The minutes of days −5 and −3 (the quiet area's too) and the hour of day −5.
    expect(result.deletedRows).toBe(4);
    expect(await count('indicator_value_1m', dayStart(-6), dayStart(-2))).toBe(0);
    expect(await count('indicator_value_1h', dayStart(-5), dayStart(-4))).toBe(0);
    expect(await count('indicator_value_1h', dayStart(-3), dayStart(-2))).toBe(2);
    expect(await count('indicator_value_1m', h0, h0 + 2 * HOUR)).toBeGreaterThan(0);
  });
});

describe('indicator history in the worker', () => {
  let stack: TestStack;
  afterAll(async () => {
    await stack?.stop();
  });

  it('rolls values up when the worker runs indicator.rollup from the queue', async () => {
    stack = await startStack({ workers: 1 });
    const key = (await stack.db.query<{ key: string }>(`SELECT key FROM indicator ORDER BY key LIMIT 1`)).rows[0].key;
    const area = (await stack.db.query<{ id: number }>(`SELECT min(id) AS id FROM area WHERE level = 'zone'`)).rows[0].id;
    const minute = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE);
    await stack.db.query(`INSERT INTO indicator_value (indicator_key, area_id, ts, value) VALUES ($1, $2, $3, 0.25), ($1, $2, $4, 0.75)`, [
      key,
      area,
      minute,
      new Date(minute.getTime() + 1000),
    ]);
    await stack.api!.get(QueueService).add(JobName.rollupIndicators, {});
    const row = await eventually(
      async () =>
        (
          await stack.db.query<{ avg: number; count: number }>(
            `SELECT avg, count FROM indicator_value_1m WHERE indicator_key = $1 AND area_id = $2 AND bucket = $3`,
            [key, area, minute],
          )
        ).rows[0],
      20000,
      'the minute rolled up by the worker',
    );
    expect(row).toEqual({ avg: 0.5, count: 2 });
  });
});
