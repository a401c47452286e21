/**
 * npm run bench:pull-connector — how punctually pull connectors run, and how fast a hung source
 * is given up. (The integration tests check the logic: one chain of runs, the backoff formula,
 * the timeout's error; the figures are here.)
 *
 * - Schedule: a connector feed polled every 5 s by a real worker (BullMQ delayed jobs on this
 *   machine's Redis); for each run, the planned time (from the job id) to the moment the source
 *   server sees the request, and the gaps between successive polls. Baseline in the same run:
 *   bare BullMQ delayed jobs on the same Redis, due time to the moment their processor starts.
 * - Timeout: runs against a source that never answers, with `timeoutSeconds: 1`; the time until
 *   the run reports the failure. Baseline: a bare `fetch` with `AbortSignal.timeout(1000)`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { type AppConfig, JobName, QueueName } from '@cityops/core';
import { PullConnectorService } from '@cityops/feeds';
import { createWorker } from '../apps/worker/src/bootstrap';
import { plannedRunAt } from '../apps/worker/src/feed-pull.processor';
import { benchEnvironment, step } from './support/bench-stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 6);
const TIMEOUTS = Number(process.env.BENCH_TIMEOUTS ?? 3);
const INTERVAL_S = 5;

interface Stats {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, min: s[0], p50: at(0.5), p95: at(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const fmt = (x: Stats) =>
  `n=${x.n} min=${x.min.toFixed(0)} p50=${x.p50.toFixed(0)} p95=${x.p95.toFixed(0)} max=${x.max.toFixed(0)} mean=${x.mean.toFixed(0)} ms`;

async function main(): Promise<void> {
  const { config, drop } = await benchEnvironment();
  try {
    await measure(config);
  } finally {
    await drop();
  }
}

async function measure(config: AppConfig): Promise<void> {
  const hits: number[] = [];
  const source: Server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    hits.push(Date.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ v: hits.length }] }));
  });
  await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;

  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  const connector = (path: string, intervalSeconds: number, timeoutSeconds: number) =>
    JSON.stringify({
      url: `${base}${path}`,
      format: 'json',
      intervalSeconds,
      timeoutSeconds,
      itemsPath: 'items',
      metric: 'level',
      mapping: { value: 'v' },
    });
  await db.query(`INSERT INTO feed (key, name, metrics, connector) VALUES ('bench-pull', 'bench', '[{"key":"level"}]', $1)`, [
    connector('/items', INTERVAL_S, 5),
  ]);

  step(`starting a worker; waiting for ${RUNS} runs ${INTERVAL_S} s apart`);
  const worker = await createWorker(config);
  const queue = new Queue(QueueName.feeds, { connection: { url: config.redis.url }, prefix: `${config.redis.prefix}:bull` });
  const deadline = Date.now() + (RUNS + 3) * INTERVAL_S * 1000 + 30_000;
  let planned: number[] = [];
  while (hits.length < RUNS || planned.length < RUNS) {
    if (Date.now() > deadline) throw new Error(`only ${hits.length} polls before the deadline`);
    await new Promise((r) => setTimeout(r, 200));
    planned = (await queue.getCompleted())
      .filter((j) => j.name === JobName.pullFeed)
      .map((j) => plannedRunAt(j.id, 'bench-pull'))
      .filter((t): t is number => t !== null)
      .sort((a, b) => a - b);
  }
  const lateness = planned.slice(0, RUNS).map((at, i) => hits[i] - at);
  const gaps = hits.slice(1, RUNS).map((t, i) => t - hits[i]);

  // Added only now, so that its first (hung) run cannot hold up the runs measured above; the
  // worker plans it at its next sweep (a minute away), and it is driven by hand here.
  await db.query(`INSERT INTO feed (key, name, metrics, connector) VALUES ('bench-hang', 'bench', '[{"key":"level"}]', $1)`, [
    connector('/hang', 3600, 1),
  ]);
  step(`timing ${TIMEOUTS} runs against a source that never answers`);
  const pulls = worker.get(PullConnectorService);
  const giveUp: number[] = [];
  for (let i = 0; i < TIMEOUTS; i++) {
    const started = performance.now();
    const outcome = await pulls.pull('bench-hang');
    if (outcome.status !== 'failed') throw new Error(`expected a failed run, got ${outcome.status}`);
    giveUp.push(performance.now() - started);
  }
  await worker.close();

  step(`baseline: ${RUNS} bare BullMQ delayed jobs and ${TIMEOUTS} bare fetch timeouts`);
  const bareQueueName = 'bench-bare';
  const prefix = `${config.redis.prefix}:bull`;
  const due = new Map<string, number>();
  const bareLateness: number[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const bare = new Worker(
    bareQueueName,
    (job) => {
      bareLateness.push(Date.now() - (due.get(job.id ?? '') ?? Date.now()));
      if (bareLateness.length === RUNS) done();
      return Promise.resolve();
    },
    { connection: { url: config.redis.url }, prefix },
  );
  const bareQueue = new Queue(bareQueueName, { connection: { url: config.redis.url }, prefix });
  for (let i = 0; i < RUNS; i++) {
    const delay = 1000;
    due.set(`tick-${i}`, Date.now() + delay);
    await bareQueue.add('tick', {}, { jobId: `tick-${i}`, delay });
    await new Promise((r) => setTimeout(r, 300));
  }
  await finished;
  await bare.close();
  await bareQueue.obliterate({ force: true });
  await bareQueue.close();

  const bareTimeout: number[] = [];
  for (let i = 0; i < TIMEOUTS; i++) {
    const started = performance.now();
    await fetch(`${base}/hang`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    bareTimeout.push(performance.now() - started);
  }

  const rows: [string, string, number[]][] = [
    ['schedule', `planned run → source hit (interval ${INTERVAL_S} s, real worker)`, lateness],
    ['baseline', 'bare BullMQ delayed job, due → processor starts', bareLateness],
    ['gaps', `between successive polls (configured ${INTERVAL_S * 1000} ms)`, gaps],
    ['timeout', 'run against a hung source, timeoutSeconds 1', giveUp],
    ['baseline', 'bare fetch with AbortSignal.timeout(1000)', bareTimeout],
  ];
  console.log('pull connectors: punctuality of scheduled runs and giving up on a hung source');
  for (const [label, what, samples] of rows) console.log(`  ${label.padEnd(9)} ${what.padEnd(56)} ${fmt(stats(samples))}`);

  await queue.close();
  await db.end();
  source.closeAllConnections();
  await new Promise<void>((resolve) => source.close(() => resolve()));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
