import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { DEFAULT_DATABASE_URL, dropDatabase, initLogger, loadConfig, withDatabaseName, type AppConfig } from '@cityops/core';
import { migrateDatabase } from '../../apps/worker/src/database-setup';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { PrepareService } from '../../apps/worker/src/prepare.service';

export const step = (what: string) => process.stderr.write(`[bench] ${what}\n`);

/** A throwaway database with the demo city, its own Redis key prefix and fresh secrets, for one benchmark run; `drop` removes both. */
export async function benchEnvironment(): Promise<{ config: AppConfig; env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const bench = benchConfig();
  step(`database ${new URL(bench.config.databaseUrl).pathname.slice(1)}: migrate and load the demo city`);
  await migrateDatabase(bench.config);
  const prep = await NestFactory.createApplicationContext(PrepareModule.forRoot(bench.config), { logger: false, abortOnError: false });
  await prep.get(PrepareService).run();
  await prep.close();
  return bench;
}

/**
 * The configuration of a throwaway installation (its own database name, Redis key prefix and
 * secrets), nothing created yet: `benchEnvironment` migrates and prepares it, `bench:city` times
 * those steps itself. `drop` removes the database and the Redis keys.
 */
export function benchConfig(): { config: AppConfig; env: NodeJS.ProcessEnv; drop: () => Promise<void> } {
  const id = randomBytes(3).toString('hex');
  const base = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('hex'),
    KIOSK_TOKEN: randomBytes(16).toString('hex'),
    SIMULATOR_TOKEN: randomBytes(16).toString('hex'),
    // As an installation runs: the application's role (made by the set-up if missing), the set-up's superuser.
    DATABASE_URL: withDatabaseName(base, `cityops_bench_${id}`),
    DATABASE_PASSWORD: process.env.DATABASE_PASSWORD ?? '',
    DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL ?? '',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    REDIS_PREFIX: `cityops-bench-${id}`,
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    SIMULATOR_ENABLED: 'false',
    // The demo's day of history is bench:city's subject; the other benchmarks bring their own records.
    DEMO_HISTORY_HOURS: '0',
    // The benchmarks' pull sources run on this machine, which connectors may reach only when allowed.
    CONNECTOR_ALLOW_HOSTS: '127.0.0.1',
  };
  const config = loadConfig(env);
  initLogger('error', 'bench');
  const drop = async () => {
    await dropDatabase(config);
    // The queues, schedules and counters this run left in Redis.
    const redis = new Redis(config.redis.url);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redis.prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  };
  return { config, env, drop };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** The built API as its own process, so its memory is its own and can be read from /proc. */
export async function spawnApi(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; peakRssMb: () => number }> {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '../../apps/api/src/main.js')], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {
      /* starting */
    }
    if (i > 150) throw new Error('API did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  // VmHWM: the kernel's record of the process's peak resident set.
  const peakRssMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return { child, url, peakRssMb };
}

/** The built worker as its own process (for MQTT ingest, which the worker does). */
export function spawnWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(__dirname, '../../apps/worker/src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** CPU seconds of every local PostgreSQL server process (null where the server is not local, e.g. in Docker). */
export function postgresCpuSeconds(): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    found = true;
    total += processCpuSeconds(Number(entry));
  }
  return found ? total : null;
}
