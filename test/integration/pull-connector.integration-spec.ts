import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { Client } from 'pg';
import type { FeedDefinition, FeedHealthView } from '@cityops/contracts';
import { JobName, QueueName } from '@cityops/core';
import { PullConnectorService } from '@cityops/feeds';
import { createWorker } from '../../apps/worker/src/bootstrap';
import { ConnectorScheduler, plannedRunAt, pullJobId } from '../../apps/worker/src/feed-pull.processor';
import { nextRunDelayMs } from '../../libs/feeds/src/connector/connector-schedule';
import { gridCodeAt } from '../support/areas';
import { eventually } from '../support/eventually';
import { login, startStack, type TestStack } from '../support/stack';

type Route = { status: number; type: string; body: string } | { hang: true };

/** The departments' systems we poll: routes can be swapped mid-test (outage, recovery). */
class SourceServer {
  readonly routes = new Map<string, Route>();
  readonly hits = new Map<string, number>();
  readonly lastHeaders = new Map<string, IncomingHttpHeaders>();
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      this.lastHeaders.set(path, req.headers);
      const route = this.routes.get(path);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      if ('hang' in route) return; // never answers: the connector's timeout must end it
      res.writeHead(route.status, { 'content-type': route.type }).end(route.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  json(path: string, body: unknown, status = 200): void {
    this.routes.set(path, { status, type: 'application/json', body: JSON.stringify(body) });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const minuteAgo = new Date(Date.now() - 60_000).toISOString();
const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();

describe('pull connectors: sources polled on their own schedule by the workers', () => {
  const source = new SourceServer();
  let stack: TestStack;
  let db: Client;
  let admin: string;
  let queue: Queue;

  const createFeed = async (feed: Partial<FeedDefinition> & { key: string }) => {
    const res = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: feed.key, ...feed }),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`creating ${feed.key}: ${res.status} ${await res.text()}`);
  };
  const replaceFeed = async (key: string, feed: Partial<FeedDefinition>) => {
    const res = await fetch(`${stack.url}/api/feeds/${key}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: key, ...feed }),
    });
    if (res.status !== 200) throw new Error(`replacing ${key}: ${res.status} ${await res.text()}`);
  };
  const state = async (key: string) =>
    (
      await db.query<{
        last_run_at: Date | null;
        last_success_at: Date | null;
        last_error_at: Date | null;
        last_error: string | null;
        consecutive_failures: number;
        last_accepted: number | null;
        next_run_at: Date | null;
      }>(`SELECT * FROM connector_state WHERE feed_key = $1`, [key])
    ).rows[0];
  const count = async (key: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE feed_key = $1`, [key])).rows[0].n;
  const health = async (key: string) => {
    const res = await fetch(`${stack.url}/api/feeds/health`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as FeedHealthView[]).find((f) => f.feedKey === key);
  };
  const pendingPullJobs = async (key: string) =>
    (await queue.getJobs(['delayed', 'waiting', 'prioritized', 'active'])).filter(
      (j) => j.name === JobName.pullFeed && j.id?.startsWith(`pull-${key}-`),
    );
  /** Finished scheduled runs of a feed, in planned order, with the next run each one planned. */
  const completedRuns = async (key: string) =>
    (await queue.getCompleted())
      .filter((j) => j.name === JobName.pullFeed && plannedRunAt(j.id, key) !== null)
      .map((j) => ({ runAt: plannedRunAt(j.id, key)!, next: (j.returnvalue as { nextRunAt: string | null }).nextRunAt }))
      .sort((a, b) => a.runAt - b.runAt);
  const connectors = () => stack.workers[0].get(PullConnectorService);

  beforeAll(async () => {
    await source.start();
    // API only at first: the feeds exist before the workers start, as after a deployment.
    // The sources run on this machine, which connectors may reach only when allowed.
    stack = await startStack({ workers: 0, env: { CONNECTOR_ALLOW_HOSTS: '127.0.0.1' } });
    db = stack.db;
    admin = await login(stack.url);
    queue = new Queue(QueueName.feeds, { connection: { url: stack.config.redis.url }, prefix: `${stack.config.redis.prefix}:bull` });

    source.json('/air', {
      data: {
        items: [
          { stationId: 'tianhe-1', reading: { pm25: '35.5' }, observedAt: minuteAgo, district: 440106 },
          { stationId: 'yuexiu-1', reading: { pm25: 18 }, observedAt: minuteAgo, district: '440104' },
          { stationId: 'haizhu-1', reading: { pm25: 'n/a' }, observedAt: minuteAgo, district: '440105' },
        ],
      },
    });
    await createFeed({
      key: 'air-json',
      metrics: [{ key: 'pm25', unit: 'µg/m³', min: 0 }],
      connector: {
        url: `${source.base}/air?token=query-secret`,
        format: 'json',
        intervalSeconds: 5,
        itemsPath: 'data.items',
        metric: 'pm25',
        mapping: { id: 'stationId', value: 'reading.pm25', ts: 'observedAt', area: 'district' },
        headers: { 'x-api-key': 'header-secret' },
        timeoutSeconds: 5,
      },
    });

    const bin = (binId: string, fill: number, lon: number, lat: number) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { binId, fill, updated: minuteAgo },
    });
    source.routes.set('/bins', {
      status: 200,
      type: 'application/geo+json',
      body: JSON.stringify({ type: 'FeatureCollection', features: [bin('bin-1', 80, 113.3245, 23.1375), bin('bin-2', 35, 113.27, 23.13)] }),
    });
    await createFeed({
      key: 'bins-geojson',
      metrics: [{ key: 'fill_pct', min: 0, max: 100 }],
      connector: {
        url: `${source.base}/bins`,
        format: 'geojson',
        intervalSeconds: 5,
        metric: 'fill_pct',
        mapping: { id: 'binId', value: 'fill', ts: 'updated' },
        timeoutSeconds: 5,
      },
    });

    source.routes.set('/noise', {
      status: 200,
      type: 'text/csv',
      body: `sensor,level,lon,lat,time\nn-1,62.5,113.3245,23.1375,${twoMinutesAgo}\nn-2,71,113.27,23.13,${twoMinutesAgo}\n`,
    });
    await createFeed({
      key: 'noise-csv',
      metrics: [{ key: 'noise_db', min: 0 }],
      connector: {
        url: `${source.base}/noise`,
        format: 'csv',
        intervalSeconds: 5,
        metric: 'noise_db',
        mapping: { entity: 'sensor', value: 'level', lon: 'lon', lat: 'lat', ts: 'time' },
        timeoutSeconds: 5,
      },
    });

    source.json('/flaky', { error: 'maintenance' }, 503);
    await createFeed({
      key: 'flaky-json',
      metrics: [{ key: 'level' }],
      connector: {
        url: `${source.base}/flaky`,
        format: 'json',
        intervalSeconds: 5,
        metric: 'level',
        mapping: { value: 'level' },
        timeoutSeconds: 5,
      },
    });

    // Polled hourly: after the run at start the tests below drive it by hand.
    source.json('/probe', { data: { items: [] } });
    await createFeed({
      key: 'probe-json',
      metrics: [{ key: 'level' }],
      connector: {
        url: `${source.base}/probe`,
        format: 'json',
        intervalSeconds: 3600,
        itemsPath: 'data.items',
        metric: 'level',
        mapping: { value: 'level' },
        timeoutSeconds: 1,
      },
    });

    // Two workers: both plan runs at start, and each feed must still be polled once per interval.
    stack.workers.push(...(await Promise.all([createWorker(stack.config), createWorker(stack.config)])));
  });

  afterAll(async () => {
    await stack?.stop();
    await queue?.close();
    await source.stop();
  });

  it('polls a JSON source (nested itemsPath, headers) and stores mapped values by area; bad items are kept as rejected', async () => {
    await eventually(async () => (await count('air-json')) === 2, 15000, 'air-json observations');
    const rows = await db.query(
      `SELECT o.record_key, o.metric, o.value, o.ts, a.code AS area FROM observation o JOIN area a ON a.id = o.area_id
        WHERE o.feed_key = 'air-json' ORDER BY o.record_key`,
    );
    expect(rows.rows.map((r) => [r.record_key, r.metric, r.value, r.area])).toEqual([
      ['tianhe-1', 'pm25', 35.5, '440106'],
      ['yuexiu-1', 'pm25', 18, '440104'],
    ]);
    expect((rows.rows[0].ts as Date).toISOString()).toBe(minuteAgo);
    expect(source.lastHeaders.get('/air')?.['x-api-key']).toBe('header-secret');

    const rejected = await eventually(
      async () => (await db.query(`SELECT source, reason, raw FROM rejected_record WHERE feed_key = 'air-json'`)).rows[0],
      5000,
      'the rejected item',
    );
    expect(rejected.source).toBe('pull');
    expect(rejected.reason).toMatch(/^value: /);
    expect(rejected.raw).toMatchObject({ id: 'haizhu-1', value: 'n/a', area: '440105' });

    // The observations commit before the run's outcome is recorded on the connector state.
    const s = await eventually(
      async () => {
        const current = await state('air-json');
        return current?.last_success_at ? current : null;
      },
      5000,
      'the recorded success on the connector state',
    );
    expect(s.consecutive_failures).toBe(0);
    expect(s.last_success_at).not.toBeNull();
    expect(s.next_run_at).not.toBeNull();
  });

  it('polls a GeoJSON source: each Point becomes the location, tagged with the grid under it', async () => {
    await eventually(async () => (await count('bins-geojson')) === 2, 15000, 'bins-geojson observations');
    const rows = await db.query(
      `SELECT o.record_key, o.value, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat, a.code AS area, a.level
         FROM observation o JOIN area a ON a.id = o.area_id WHERE o.feed_key = 'bins-geojson' ORDER BY o.record_key`,
    );
    expect(rows.rows.map((r) => [r.record_key, r.value, r.lon, r.lat, r.level])).toEqual([
      ['bin-1', 80, 113.3245, 23.1375, 'grid'],
      ['bin-2', 35, 113.27, 23.13, 'grid'],
    ]);
    expect(rows.rows[0].area).toBe(await gridCodeAt(db, 113.3245, 23.1375));
    expect(rows.rows[1].area).toBe(await gridCodeAt(db, 113.27, 23.13));
  });

  it('polls a CSV source: numeric cells become numbers, lon/lat a location; a resend counts as duplicates', async () => {
    await eventually(async () => (await count('noise-csv')) === 2, 15000, 'noise-csv observations');
    const rows = await db.query(
      `SELECT entity, value, ts, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM observation WHERE feed_key = 'noise-csv' ORDER BY entity`,
    );
    expect(rows.rows.map((r) => [r.entity, r.value, r.lon, r.lat, (r.ts as Date).toISOString()])).toEqual([
      ['n-1', 62.5, 113.3245, 23.1375, twoMinutesAgo],
      ['n-2', 71, 113.27, 23.13, twoMinutesAgo],
    ]);
    // No id mapped: the same content at the same time is recognised as the same record.
    const again = await connectors().pull('noise-csv');
    expect(again).toMatchObject({ status: 'ok', items: 2, accepted: 0, duplicates: 2, rejected: 0 });
    expect(await count('noise-csv')).toBe(2);
  });

  it('counts the same JSON items on later runs as duplicates and writes no second rows', async () => {
    // The scheduled first run stored the two good items.
    await eventually(async () => (await count('air-json')) === 2, 15000, 'air-json observations');
    const again = await connectors().pull('air-json');
    expect(again).toMatchObject({ status: 'ok', items: 3, accepted: 0, duplicates: 2, rejected: 1 });
    expect(await count('air-json')).toBe(2);
    expect((await state('air-json'))?.last_accepted).toBe(0);
  });

  it('backs off a failing source (HTTP 503), shows the error on /api/feeds/health, and recovers', async () => {
    const failing = await eventually(
      async () => {
        const s = await state('flaky-json');
        // The failure and the plan after it are two writes: wait for both.
        return s && s.consecutive_failures >= 2 && s.next_run_at && s.last_run_at && s.next_run_at > s.last_run_at ? s : undefined;
      },
      25000,
      'two failed runs of flaky-json',
    );
    const observedAt = Date.now();
    expect(failing.last_error).toBe(`HTTP 503 from ${source.base}/flaky`);
    expect(failing.last_success_at).toBeNull();
    // After n failures the next run is planned interval × 2^n after the failed run ended: between
    // the failure being recorded and the state being read here (one machine, one clock).
    expect(nextRunDelayMs(5, failing.consecutive_failures)).toBe(5000 * 2 ** failing.consecutive_failures);
    const plannedFrom = failing.next_run_at!.getTime() - nextRunDelayMs(5, failing.consecutive_failures);
    expect(plannedFrom).toBeGreaterThanOrEqual(failing.last_run_at!.getTime());
    expect(plannedFrom).toBeLessThanOrEqual(observedAt);

    const view = await health('flaky-json');
    expect(view?.connector).toMatchObject({ lastError: `HTTP 503 from ${source.base}/flaky`, lastSuccessAt: null });
    expect(view?.connector?.consecutiveFailures).toBeGreaterThanOrEqual(2);
    expect(view?.connector?.nextRunAt).not.toBeNull();

    source.json('/flaky', [{ level: 3 }, { level: '4.5' }]);
    const recovered = await connectors().pull('flaky-json');
    expect(recovered).toMatchObject({ status: 'ok', accepted: 2 });
    const s = await state('flaky-json');
    expect(s).toMatchObject({ consecutive_failures: 0, last_accepted: 2 });
    expect(s.last_success_at!.getTime()).toBeGreaterThan(s.last_error_at!.getTime());
    expect((await db.query(`SELECT value FROM observation WHERE feed_key = 'flaky-json' ORDER BY value`)).rows.map((r) => r.value)).toEqual(
      [3, 4.5],
    );
    expect((await health('flaky-json'))?.connector?.consecutiveFailures).toBe(0);
  });

  it('records a short reason for each kind of failure and counts the streak', async () => {
    // Let the run planned at start finish first, so that only the pulls below count.
    await eventually(async () => (await state('probe-json'))?.last_run_at, 10000, 'the first probe-json run');
    const probe = connectors();

    source.json('/probe', { error: 'busy' }, 503);
    expect(await probe.pull('probe-json')).toMatchObject({
      status: 'failed',
      error: `HTTP 503 from ${source.base}/probe`,
      consecutiveFailures: 1,
    });

    source.routes.set('/probe', { status: 200, type: 'text/html', body: '<html>maintenance</html>' });
    expect(await probe.pull('probe-json')).toMatchObject({ status: 'failed', error: 'not JSON', consecutiveFailures: 2 });

    source.json('/probe', { data: { rows: [] } });
    expect(await probe.pull('probe-json')).toMatchObject({
      status: 'failed',
      error: 'itemsPath data.items not found',
      consecutiveFailures: 3,
    });

    // A source that never answers is given up after the connector's timeout (1 s here).
    source.routes.set('/probe', { hang: true });
    expect(await probe.pull('probe-json')).toMatchObject({ status: 'failed', error: 'timeout after 1 s', consecutiveFailures: 4 });

    const view = await health('probe-json');
    expect(view?.status).toBe('failing');
    expect(view?.connector).toMatchObject({ lastError: 'timeout after 1 s', consecutiveFailures: 4 });

    source.json('/probe', { data: { items: [{ level: 1 }] } });
    expect(await probe.pull('probe-json')).toMatchObject({ status: 'ok', accepted: 1 });
    expect(await state('probe-json')).toMatchObject({ consecutive_failures: 0, last_accepted: 1 });

    // Written past the API: the run says what is wrong instead of crashing.
    await db.query(
      `INSERT INTO feed (key, name, metrics, connector) VALUES ('broken-json', 'broken', '[{"key":"level"}]', '{"format":"json","intervalSeconds":5}')`,
    );
    const broken = await probe.pull('broken-json');
    expect(broken).toMatchObject({ status: 'failed', consecutiveFailures: 1 });
    expect(broken.status === 'failed' && broken.error).toMatch(/^connector definition is not valid: url: .*mapping: /);
  });

  it('polls each feed once per interval with two workers: one chain of runs, one pending job per feed', async () => {
    // Three runs of the bins source, each one the source saw (none in progress).
    const runs = await eventually(
      async () => {
        const done = await completedRuns('bins-geojson');
        return done.length >= 3 && (source.hits.get('/bins') ?? 0) === done.length ? done : undefined;
      },
      30000,
      'three completed bins-geojson runs',
    );
    // One chain: each run planned the next one, no run was planned twice, and the runs are an
    // interval apart. Two chains (both workers planning at start) would interleave.
    for (let i = 1; i < runs.length; i++) {
      expect(new Date(runs[i].runAt).toISOString()).toBe(runs[i - 1].next);
      expect(runs[i].runAt - runs[i - 1].runAt).toBeGreaterThanOrEqual(5000);
    }
    for (const key of ['air-json', 'bins-geojson', 'noise-csv']) expect((await pendingPullJobs(key)).length).toBeLessThanOrEqual(1);
    const pending = await eventually(
      async () => {
        const jobs = await pendingPullJobs('bins-geojson');
        const s = await state('bins-geojson');
        return jobs.length === 1 && s.next_run_at && jobs[0].id === pullJobId('bins-geojson', s.next_run_at.getTime()) ? jobs : undefined;
      },
      10000,
      'the pending bins-geojson run, as recorded in connector_state',
    );
    expect(pending).toHaveLength(1);
  });

  it('picks up a connector created, changed and removed through the API', async () => {
    source.json('/late', { items: [{ v: 7 }] });
    await createFeed({
      key: 'late-json',
      metrics: [{ key: 'level' }],
      connector: {
        url: `${source.base}/late`,
        format: 'json',
        intervalSeconds: 3600,
        itemsPath: 'items',
        metric: 'level',
        mapping: { value: 'v' },
        timeoutSeconds: 5,
      },
    });
    const [first, second] = stack.workers.map((w) => w.get(ConnectorScheduler));
    // Both workers look; one plans the run.
    const planned = (await Promise.all([first.sweep(), second.sweep()])).flat().filter((p) => p.feedKey === 'late-json');
    expect(planned).toHaveLength(1);
    await eventually(async () => (await count('late-json')) === 1, 10000, 'late-json observation');
    const hourly = await eventually(
      async () => {
        const s = await state('late-json');
        return s?.next_run_at && s.next_run_at.getTime() > Date.now() + 3000_000 ? s : undefined;
      },
      5000,
      'the hourly plan',
    );

    // Edited to poll every 5 s: the next sweep replaces the hourly plan instead of waiting it out.
    const connector = {
      url: `${source.base}/late`,
      format: 'json',
      intervalSeconds: 5,
      itemsPath: 'items',
      metric: 'level',
      mapping: { value: 'v', ts: 'at' },
      timeoutSeconds: 5,
    } as const;
    source.json('/late', { items: [{ v: 8, at: new Date().toISOString() }] });
    await replaceFeed('late-json', { metrics: [{ key: 'level' }], connector });
    const replanned = (await first.sweep()).filter((p) => p.feedKey === 'late-json');
    expect(replanned).toEqual([{ feedKey: 'late-json', runAt: expect.any(Number), supersedes: hourly.next_run_at!.getTime() }]);
    expect(await queue.getJob(pullJobId('late-json', hourly.next_run_at!.getTime()))).toBeUndefined();
    await eventually(async () => (await count('late-json')) === 2, 10000, 'the run with the new connector');
    await eventually(
      async () => {
        const s = await state('late-json');
        return s?.next_run_at && s.next_run_at.getTime() < Date.now() + 10_000;
      },
      5000,
      'the 5 s plan',
    );

    // Removed: the pending run finds no connector and plans nothing more.
    await replaceFeed('late-json', { metrics: [{ key: 'level' }], connector: null });
    await eventually(async () => (await state('late-json'))?.next_run_at === null, 10000, 'the schedule to end');
    await eventually(async () => (await pendingPullJobs('late-json')).length === 0, 10000, 'the last late-json job to finish');
    const hits = source.hits.get('/late');
    const last = (await completedRuns('late-json')).at(-1);
    expect(last?.next).toBeNull();
    // No job left, and a sweep plans none: nothing polls the source any more.
    expect((await first.sweep()).filter((p) => p.feedKey === 'late-json')).toHaveLength(0);
    expect(await pendingPullJobs('late-json')).toHaveLength(0);
    expect(source.hits.get('/late')).toBe(hits);
  });
});
