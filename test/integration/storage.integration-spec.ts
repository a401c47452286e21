import type { Client } from 'pg';
import type { FeedHealthEvent } from '@cityops/contracts';
import { FeedHealthService, ObservationQueryService, StorageService } from '@cityops/feeds';
import { connectLive, waitFor } from '../support/live-client';
import { feedToken, kioskLogin, startStack, type TestStack } from '../support/stack';

describe('storage: daily partitions, retention per feed, index paths, feed health', () => {
  let stack: TestStack;
  let db: Client;
  let storage: StorageService;
  const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    storage = stack.api!.get(StorageService);
    db = stack.db;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a partition per day ahead of time, idempotently', async () => {
    await storage.ensurePartitions(1, 7);
    const days = (await storage.partitions()).map((p) => p.day);
    for (let d = -1; d <= 7; d++) expect(days).toContain(day(d));
    expect(await storage.ensurePartitions(1, 7)).toBe(0);
    // A row for today lands in today's partition, not the default one.
    await db.query(
      `INSERT INTO observation (feed_key, record_key, ts, metric, value) VALUES ('marathon-crowd', 'p-today', now(), 'headcount', 1)`,
    );
    const where = await db.query(`SELECT tableoid::regclass::text AS part FROM observation WHERE record_key = 'p-today'`);
    expect(where.rows[0].part).toBe(`observation_p${day(0).replace(/-/g, '')}`);
  });

  it('moves rows that sat in the default partition into a day created later', async () => {
    await db.query(
      `INSERT INTO observation (feed_key, record_key, ts, metric, value) VALUES ('marathon-crowd', 'p-old', '2026-01-15T10:00:00Z', 'headcount', 1)`,
    );
    expect((await db.query(`SELECT tableoid::regclass::text AS part FROM observation WHERE record_key = 'p-old'`)).rows[0].part).toBe(
      'observation_default',
    );
    await db.query(`SELECT cityops_ensure_observation_partitions('2026-01-15', 1)`);
    expect((await db.query(`SELECT tableoid::regclass::text AS part FROM observation WHERE record_key = 'p-old'`)).rows[0].part).toBe(
      'observation_p20260115',
    );
  });

  it('drops partitions past every retention, and deletes only the expired feed rows from younger ones', async () => {
    await db.query(`INSERT INTO feed (key, name, retention_days) VALUES ('long-kept', 'kept for years', 1000) ON CONFLICT DO NOTHING`);
    // marathon-crowd keeps 90 days; long-kept 1000 days.
    const now = new Date('2026-11-22T12:00:00Z');
    await db.query(`SELECT cityops_ensure_observation_partitions('2023-01-10', 1)`); // older than 1000 days
    await db.query(`SELECT cityops_ensure_observation_partitions('2026-06-01', 1)`); // 174 days: past 90, within 1000
    await db.query(
      `INSERT INTO observation (feed_key, record_key, ts, metric, value) VALUES
         ('long-kept', 'r-ancient', '2023-01-10T05:00:00Z', 'x', 1),
         ('marathon-crowd', 'r-june-m', '2026-06-01T05:00:00Z', 'headcount', 1),
         ('long-kept', 'r-june-k', '2026-06-01T05:00:00Z', 'x', 1)`,
    );
    const result = await storage.applyRetention(now);
    expect(result.droppedPartitions).toContain('observation_p20230110');
    expect(result.droppedPartitions).not.toContain('observation_p20260601');
    const left = (await db.query(`SELECT record_key FROM observation WHERE record_key LIKE 'r-%' ORDER BY 1`)).rows.map(
      (r) => r.record_key,
    );
    expect(left).toEqual(['r-june-k']);
  });

  it("deletes each feed's entity states older than its retention, in batches within a time budget, and counts them", async () => {
    // short-states keeps 30 days: 12,000 states from 31–230 days ago go (more than two batches of 5,000), 3 newer ones stay.
    // long-states keeps 1000 days: its states as old as those stay, as does every state of the other feeds.
    await db.query(
      `INSERT INTO feed (key, name, retention_days) VALUES ('short-states', 'states for a month', 30), ('long-states', 'states for years', 1000)`,
    );
    for (const feed of ['short-states', 'long-states']) {
      await db.query(`INSERT INTO entity (feed_key, entity_id, ts) SELECT $1, 'E' || g, now() FROM generate_series(1, 40) g`, [feed]);
      await db.query(
        `INSERT INTO entity_history (feed_key, entity_id, ts)
         SELECT $1, 'E' || (g % 40 + 1), now() - interval '31 days' - (g || ' minutes')::interval FROM generate_series(1, 12000) g`,
        [feed],
      );
      await db.query(
        `INSERT INTO entity_history (feed_key, entity_id, ts)
         VALUES ($1, 'E1', now() - interval '29 days'), ($1, 'E2', now() - interval '1 day'), ($1, 'E3', now())`,
        [feed],
      );
    }
    const states = async () =>
      Object.fromEntries(
        (
          await db.query<{ feed_key: string; n: number }>(
            `SELECT feed_key, count(*)::int AS n FROM entity_history GROUP BY feed_key ORDER BY feed_key`,
          )
        ).rows.map((r) => [r.feed_key, r.n]),
      );
    const before = await states();
    // Only this test's states are past their feed's retention (so the counts below are all theirs).
    const expired = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM entity_history h JOIN feed f ON f.key = h.feed_key
        WHERE h.ts < now() - make_interval(days => f.retention_days) AND h.feed_key <> 'short-states'`,
    );
    expect(expired.rows[0].n).toBe(0);

    // The batch's lookup is a range of (feed_key, ts), not a walk through the feed's primary key.
    await db.query(`ANALYZE entity_history`);
    const plan = (
      await db.query(
        `EXPLAIN SELECT ctid FROM entity_history WHERE feed_key = 'long-states' AND ts < now() - interval '1000 days' LIMIT 5000`,
      )
    ).rows
      .map((r: Record<string, string>) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) entity_history_feed_ts/);

    // With no time left, a run deletes one batch and stops; the next goes on from there.
    expect((await storage.applyRetention(new Date(), 0)).deletedEntityStates).toBe(5000);
    expect(await states()).toEqual({ ...before, 'short-states': 12003 - 5000 });
    const run = await storage.applyRetention(new Date());
    expect(run.deletedEntityStates).toBe(7000);
    expect(await states()).toEqual({ ...before, 'short-states': 3 });
    const kept = await db.query(`SELECT entity_id FROM entity_history WHERE feed_key = 'short-states' ORDER BY entity_id`);
    expect(kept.rows.map((r) => r.entity_id)).toEqual(['E1', 'E2', 'E3']);
    // The latest states stay, whatever their history.
    expect((await db.query(`SELECT count(*)::int AS n FROM entity WHERE feed_key = 'short-states'`)).rows[0].n).toBe(40);
    expect((await storage.applyRetention(new Date())).deletedEntityStates).toBe(0);
  });

  it('answers "latest value per entity" and "values in an area over a window" on index paths', async () => {
    // Every row inside today's partition (counted back from today's noon, 20,000 half-seconds): counted
    // back from now, shortly after midnight UTC most of them fell into yesterday's, and the plans followed.
    await db.query(
      `INSERT INTO observation (feed_key, record_key, ts, metric, value, entity, area_id, area_path)
       SELECT 'marathon-crowd', 'ex-' || g, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '12 hours' - (g * 0.5 || ' seconds')::interval,
              'headcount', g % 100, 'E' || (g % 50),
              (SELECT id FROM area WHERE code = 'GZM-01'), (SELECT path_ids FROM area WHERE code = 'GZM-01')
         FROM generate_series(1, 20000) g`,
    );
    await db.query(`ANALYZE observation`);
    const plan = async (sql: string) => (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    const latest = await plan(
      `SELECT value, ts FROM observation WHERE feed_key = 'marathon-crowd' AND entity = 'E7' AND metric = 'headcount' ORDER BY ts DESC LIMIT 1`,
    );
    expect(latest).toMatch(/Index (Only )?Scan.*observation_.*feed_key_entity_metric_ts|Index Scan using observation_p\d+_feed_key_entity/);
    expect(latest).not.toMatch(/Seq Scan/);
    const area = (await db.query(`SELECT id FROM area WHERE code = 'GZM-01'`)).rows[0].id;
    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - 600_000).toISOString();
    const windowPlan = await plan(
      `SELECT ts, value FROM observation WHERE area_id = ${area} AND metric = 'headcount' AND ts >= '${from}' AND ts < '${to}'`,
    );
    const today = `observation_p${day(0).replace(/-/g, '')}`;
    expect(windowPlan).toMatch(new RegExp(`Index Scan on ${today}_area_id_metric_ts|Index Scan using ${today}_area_id_metric_ts`));
    expect(windowPlan).not.toMatch(new RegExp(`Seq Scan on ${today}`));
    // Partition pruning: a 10-minute window never visits other days.
    expect(windowPlan).not.toMatch(/observation_p20260115/);
  });

  it('gives indicators the latest value of a metric per area in one statement, on the area index of each partition', async () => {
    const zones = (
      await db.query<{ id: number; path_ids: number[] }>(
        `SELECT id, path_ids FROM area WHERE zone_set = 'gz-marathon' ORDER BY seq OFFSET 10 LIMIT 3`,
      )
    ).rows;
    // Segments no other test writes to: the first has an older and a newer value (yesterday and today), the second one, the third none.
    await db.query(
      `INSERT INTO observation (feed_key, record_key, ts, metric, value, area_id, area_path)
       VALUES ('marathon-crowd', 'lpa-0-old', now() - interval '1 day', 'headcount', 1, $1, $2),
              ('marathon-crowd', 'lpa-0-new', date_trunc('milliseconds', now()) - interval '1.000123 second', 'headcount', 2, $1, $2),
              ('marathon-crowd', 'lpa-1', now() - interval '2 seconds', 'headcount', 3, $3, $4),
              ('marathon-crowd', 'lpa-1-other', now(), 'pm25', 99, $3, $4)`,
      [zones[0].id, zones[0].path_ids, zones[1].id, zones[1].path_ids],
    );
    const latest = await stack.api!.get(ObservationQueryService).latestPerArea(
      'marathon-crowd',
      'headcount',
      zones.map((z) => z.id),
    );
    const expected = (
      await db.query<{ area_id: number; ts: string; value: number }>(
        `SELECT DISTINCT ON (area_id) area_id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, value
           FROM observation WHERE feed_key = 'marathon-crowd' AND metric = 'headcount' AND area_id = ANY($1::int[])
          ORDER BY area_id, ts DESC`,
        [zones.map((z) => z.id)],
      )
    ).rows;
    expect([...latest.values()].sort((a, b) => a.areaId - b.areaId)).toEqual(
      expected.map((r) => ({ areaId: r.area_id, ts: r.ts, value: r.value })).sort((a, b) => a.areaId - b.areaId),
    );
    expect(latest.get(zones[0].id)?.value).toBe(2);
    expect(latest.get(zones[0].id)?.ts).toMatch(/\.\d{3}877Z$/);
    expect(latest.has(zones[2].id)).toBe(false);
    const plan = (
      await db.query(
        `EXPLAIN SELECT a.id, o.ts, o.value FROM unnest($1::int[]) AS a(id)
           JOIN LATERAL (SELECT ts, value FROM observation WHERE area_id = a.id AND metric = 'headcount' AND feed_key = 'marathon-crowd'
                          ORDER BY ts DESC LIMIT 1) o ON true`,
        [zones.map((z) => z.id)],
      )
    ).rows
      .map((r: Record<string, string>) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Merge Append/);
    expect(plan).toMatch(/Index Scan using observation_p\d+_area_id_metric_ts_idx/);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('reports a feed as stale once nothing came for three expected intervals, and pushes feed.health', async () => {
    const kiosk = await kioskLogin(stack.url);
    const live = await connectLive(stack.url, kiosk, ['feeds']);
    await db.query(`DELETE FROM observation WHERE feed_key = 'marathon-crowd'`);
    await db.query(
      `INSERT INTO observation (feed_key, record_key, ts, metric, value) VALUES ('marathon-crowd', 'stale-1', now() - interval '10 minutes', 'headcount', 1)`,
    );
    const health = stack.api!.get(FeedHealthService);
    await health.publish();
    const event = await waitFor(() => live.events.find((e) => e.event === 'feed.health'), 5000, 'feed.health');
    const marathon = (event.payload as FeedHealthEvent).feeds.find((f) => f.feedKey === 'marathon-crowd')!;
    expect(marathon.status).toBe('stale');
    expect(marathon.lagSeconds).toBeGreaterThan(500);
    const fresh = await fetch(`${stack.url}/api/feeds/marathon-crowd/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
      body: JSON.stringify([{ id: 'fresh-1', metric: 'headcount', value: 1, ts: new Date().toISOString(), area: 'GZM-01' }]),
    });
    expect(fresh.status).toBe(200);
    const now = (await health.current()).find((f) => f.feedKey === 'marathon-crowd')!;
    expect(now.status).toBe('ok');
    expect(now.recordsPerMinute).toBeGreaterThan(0);
    live.socket.close();
  });
});
