import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { feedDefinitionSchema } from '@cityops/contracts';
import { type AppConfig, JobName, QueueName } from '@cityops/core';
import { FeedCatalogService } from '@cityops/feeds';
import { createWorker } from '../../apps/worker/src/bootstrap';
import { ConnectorScheduler } from '../../apps/worker/src/feed-pull.processor';
import { registrySchedules } from '../../apps/worker/src/job-schedules.service';
import { eventually } from '../support/eventually';
import { suiteConfig } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * Deletes every key of this suite's installation in one atomic step, as a Redis that restarted
 * without persistence would have lost them (never FLUSHALL: the Redis is shared).
 */
const WIPE_PREFIX = `
local cursor, deleted = '0', 0
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do deleted = deleted + redis.call('DEL', key) end
until cursor == '0'
return deleted`;

describe('job schedules survive a Redis that comes back empty', () => {
  let config: AppConfig;
  let redisProxy: TcpProxy;
  /** The workers' view of Redis goes through the proxy; the test's own connection does not. */
  let workerConfig: AppConfig;
  let redis: Redis;
  let queues: Queue[];
  let workers: INestApplicationContext[] = [];
  const expected = registrySchedules()
    .map((s) => `${s.name} every ${s.every} ms`)
    .sort();

  const schedules = async () =>
    (await Promise.all(queues.map((q) => q.getJobSchedulers())))
      .flat()
      .map((s) => `${s.key} every ${s.every} ms`)
      .sort();
  const wipeRedisData = async () => Number(await redis.eval(WIPE_PREFIX, 0, `${config.redis.prefix}:*`));
  /** The completed list is wiped with everything else: a completed feed.health job ran after the loss. */
  const feedHealthRanAgain = async () =>
    (await queues.filter((q) => q.name === QueueName.feeds)[0].getJobs(['completed'])).some((j) => j.name === JobName.feedHealth);

  const startWorkers = async (n: number, scheduleCheckMs: number) => {
    workers = await Promise.all(Array.from({ length: n }, () => createWorker(workerConfig, { scheduleCheckMs })));
    await eventually(async () => JSON.stringify(await schedules()) === JSON.stringify(expected), 10000, 'the schedules at start');
  };
  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  };

  beforeAll(async () => {
    // The pull source runs on this machine, which connectors may reach only when allowed.
    config = await suiteConfig({ CONNECTOR_ALLOW_HOSTS: '127.0.0.1' });
    redisProxy = await TcpProxy.start(config.redis.url, 6379);
    workerConfig = { ...config, redis: { ...config.redis, url: redisProxy.url(config.redis.url) } };
    redis = new Redis(config.redis.url);
    queues = [...new Set(registrySchedules().map((s) => s.queue))].map(
      (name) => new Queue(name, { connection: { url: config.redis.url }, prefix: `${config.redis.prefix}:bull` }),
    );
  });

  afterEach(async () => {
    await redisProxy.restore();
    await stopWorkers();
  });

  afterAll(async () => {
    await Promise.all(queues?.map((q) => q.close()) ?? []);
    redis?.disconnect();
    await redisProxy?.close();
  });

  it('registers the schedules again as soon as the connection comes back from a Redis that lost its data', async () => {
    // Checked every 10 minutes only: what brings them back here is the reconnection.
    await startWorkers(1, 600_000);

    await redisProxy.cut();
    expect(await wipeRedisData()).toBeGreaterThan(0);
    expect(await schedules()).toEqual([]);
    await redisProxy.restore();

    await eventually(async () => JSON.stringify(await schedules()) === JSON.stringify(expected), 20000, 'the schedules to return');
    await eventually(feedHealthRanAgain, 20000, 'a feed.health job to run again');
  });

  it('puts them back on its periodic check when the data goes without a disconnect, once across two workers; a lost pull run is planned again', async () => {
    const source = await startSource();
    try {
      await startWorkers(2, 300);
      const feedKey = 'schedule-probe';
      await workers[0].get(FeedCatalogService).create(
        feedDefinitionSchema.parse({
          key: feedKey,
          name: feedKey,
          metrics: [{ key: 'level' }],
          connector: {
            url: `${source.url}/items`,
            format: 'json',
            intervalSeconds: 5,
            timeoutSeconds: 1,
            metric: 'level',
            mapping: { value: 'level' },
          },
        }),
      );
      // A new connector gets its first run from the sweep (every minute; here by hand).
      await workers[0].get(ConnectorScheduler).sweep();
      await eventually(() => source.hits() >= 1, 15000, 'the first pull');
      // Its next run waits in Redis as a delayed job (and no job is half-way through).
      const feeds = queues.filter((q) => q.name === QueueName.feeds)[0];
      await eventually(
        async () =>
          (await feeds.getActiveCount()) === 0 &&
          (await feeds.getDelayed()).some((j) => j.name === JobName.pullFeed && j.id?.startsWith(`pull-${feedKey}-`)),
        15000,
        'the next pull to be planned',
      );
      const pulledBefore = source.hits();

      expect(await wipeRedisData()).toBeGreaterThan(0);

      await eventually(async () => JSON.stringify(await schedules()) === JSON.stringify(expected), 20000, 'the schedules to return');
      await eventually(feedHealthRanAgain, 20000, 'a feed.health job to run again');
      // Two workers upserting the same ids: still one scheduler each.
      expect(await schedules()).toEqual(expected);

      // The pending pull job went with the data; connector_state still says a run is due, and once
      // it is overdue by an interval (plus the fetch timeout) the sweep plans a new one.
      const sweep = workers[1].get(ConnectorScheduler);
      await eventually(async () => (await sweep.sweep()).some((p) => p.feedKey === feedKey), 20000, 'the sweep to plan the lost run');
      await eventually(() => source.hits() > pulledBefore, 15000, 'the feed to be pulled again');
    } finally {
      await source.stop();
    }
  });
});

/** A department's source that the pull connector polls; counts the polls. */
async function startSource(): Promise<{ url: string; hits: () => number; stop: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ level: hits }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
