import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { connectAsync, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import type { AlertView, ProblemDetails } from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { connectLive } from '../support/live-client';
import { postHeadcounts, segments } from '../support/marathon';
import { kioskLogin, login, suiteConfig } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_SECRETS, testEnv } from '../support/test-env';

const API_MAIN = join(__dirname, '../../dist/apps/api/src/main.js');
const WORKER_MAIN = join(__dirname, '../../dist/apps/worker/src/main.js');
const brokerUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';

/** A real process of ours (built), its output kept for the assertions and for a failure's story. */
class ProcessUnderTest {
  private output = '';

  private constructor(readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-500_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static start(main: string, env: NodeJS.ProcessEnv): ProcessUnderTest {
    return new ProcessUnderTest(spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  stop(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** What a client reads in a refusal: the problem document and the headers that matter. */
interface Answer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  text: string;
}

async function answer(res: Response): Promise<Answer> {
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    text: await res.text(),
  };
}

/** A 503 as promised: problem+json, Retry-After in seconds, and nothing of the cause (no stack, no driver message). */
function expectServiceUnavailable(a: Answer): void {
  expect(a.status).toBe(503);
  expect(a.contentType).toMatch(/^application\/problem\+json/);
  expect(a.retryAfter).toMatch(/^[1-9]\d*$/);
  const problem = JSON.parse(a.text) as ProblemDetails;
  expect(problem).toMatchObject({ type: 'urn:cityops:problem:service_unavailable', title: 'Service unavailable', status: 503 });
  expect(problem.requestId).toBeTruthy();
  expect(a.text).not.toMatch(/ECONN|MaxRetries|Connection (is closed|terminated)|\bat \S+ \(|node_modules/);
}

describe('a service goes away and comes back: 503 with Retry-After meanwhile, 200 after, no restart', () => {
  let redisProxy: TcpProxy;
  let pgProxy: TcpProxy;
  let db: Client;
  let api: ProcessUnderTest;
  let worker: ProcessUnderTest;
  let base = '';
  let admin = '';
  let device: MqttClient;
  let topicRoot = '';
  const feedKey = `outage-${randomBytes(3).toString('hex')}`;
  const summaries: { correlation: string | undefined; body: Record<string, unknown> }[] = [];

  const loginRequest = () =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_SECRETS.ADMIN_PASSWORD }),
    });
  const feedsRequest = () => fetch(`${base}/api/feeds`, { headers: { authorization: `Bearer ${admin}` } });
  /** The report, as the metrics token reads it; the public gets only up or down (`publicHealth`). */
  const health = async () => {
    const res = await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${TEST_SECRETS.METRICS_TOKEN}` } });
    return { status: res.status, body: (await res.json()) as { status: string; db: { ok: boolean }; redis: { ok: boolean } } };
  };
  const publicHealth = async () => {
    const res = await fetch(`${base}/api/health`);
    return { status: res.status, body: await res.json() };
  };

  /** Publishes like a device; answers the summary of this message from our worker (other test runs share the broker). */
  async function sendOverMqtt(
    records: unknown[],
    ours: (body: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown> | undefined> {
    const correlation = randomBytes(8).toString('hex');
    await device.publishAsync(`${topicRoot}/feeds/${feedKey}/records`, JSON.stringify({ records }), {
      qos: 1,
      properties: { correlationData: Buffer.from(correlation) },
    });
    return eventually(() => summaries.find((s) => s.correlation === correlation && ours(s.body))?.body, 3000, 'a summary').catch(
      () => undefined,
    );
  }

  /** Both processes outlived the outage and the whole path works again: sign-in, ingest, a worker job. */
  async function expectRecovered(): Promise<void> {
    expect(api.running).toBe(true);
    expect(worker.running).toBe(true);
    await eventually(async () => (await loginRequest()).status === 200, 15000, 'login to answer 200 again');
    expect((await health()).status).toBe(200);
    const since = new Date();
    const res = await eventually(
      async () => {
        const r = await postHeadcounts(base, [{ code: 'GZM-03', headcount: 700 }]);
        return r.status === 200 ? r : null;
      },
      15000,
      'ingest to answer 200 again',
    );
    expect(res.status).toBe(200);
    // The worker computed the indicator from it: its queue and database connections are back too.
    await eventually(
      async () => (await db.query(`SELECT count(*)::int AS n FROM indicator_value WHERE computed_at >= $1`, [since])).rows[0].n > 0,
      20000,
      'the worker to compute an indicator value again',
    );
  }

  beforeAll(async () => {
    if (!existsSync(API_MAIN) || !existsSync(WORKER_MAIN)) throw new Error('dist is missing: run `npm run build:server` (npm test does)');
    const config = await suiteConfig();
    topicRoot = config.mqttTopicRoot;
    db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    redisProxy = await TcpProxy.start(config.redis.url, 6379);
    pgProxy = await TcpProxy.start(config.databaseUrl, 5432);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = testEnv({
      DATABASE_URL: pgProxy.url(config.databaseUrl),
      REDIS_URL: redisProxy.url(config.redis.url),
      REDIS_PREFIX: config.redis.prefix,
      MQTT_URL: brokerUrl,
      MQTT_TOPIC_ROOT: config.mqttTopicRoot,
      PORT: String(port),
      // The worker's warnings are part of what is checked.
      LOG_LEVEL: 'warn',
    });
    api = ProcessUnderTest.start(API_MAIN, env);
    worker = ProcessUnderTest.start(WORKER_MAIN, env);
    await eventually(
      async () => {
        if (!api.running) throw new Error(`the API ended:\n${api.log}`);
        return (await fetch(`${base}/api/health`).catch(() => null))?.status === 200;
      },
      30000,
      'the API to start',
    );
    admin = await login(base);
    const created = await fetch(`${base}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key: feedKey, name: feedKey, metrics: [{ key: 'level', min: 0 }] }),
    });
    expect(created.status).toBe(201);

    device = await connectAsync(brokerUrl, { protocolVersion: 5, clientId: `cityops-test-outage-${randomBytes(4).toString('hex')}` });
    device.on('message', (_topic, payload, packet) => {
      summaries.push({
        correlation: packet.properties?.correlationData?.toString(),
        body: JSON.parse(payload.toString()) as Record<string, unknown>,
      });
    });
    await device.subscribeAsync(`${topicRoot}/feeds/${feedKey}/results`, { qos: 0 });
  });

  afterAll(async () => {
    await device?.endAsync();
    api?.stop();
    worker?.stop();
    await Promise.all([redisProxy?.close(), pgProxy?.close()]);
    await db?.end();
  });

  afterEach(async () => {
    // Whatever a test did, the next one starts with both services reachable.
    await Promise.all([redisProxy.restore(), pgProxy.restore()]);
  });

  it('while Redis is away: login, ingest and health answer 503 (problem+json, Retry-After); after it, 200 again and the retried batch is stored once', async () => {
    expect((await loginRequest()).status).toBe(200);
    // An open alert to acknowledge during the outage: a segment well over its capacity.
    const segment = (await segments(base, admin)).find((s) => s.code === 'GZM-11');
    if (!segment) throw new Error('the demo course has no segment GZM-11');
    expect((await postHeadcounts(base, [{ code: segment.code, headcount: segment.capacity * 2 }])).status).toBe(200);
    const alert = await eventually(
      async () => {
        const res = await fetch(`${base}/api/alerts?active=true`, { headers: { authorization: `Bearer ${admin}` } });
        return ((await res.json()) as AlertView[]).find((a) => a.areaCode === segment.code);
      },
      20000,
      'an open alert on the crowded segment',
    );

    await redisProxy.cut();

    // Stored in PostgreSQL and answered; its live event is lost (clients refetch after reconnecting),
    // and the failed publish must not end the API process (checked at the end).
    const ack = await fetch(`${base}/api/alerts/${alert.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(ack.status).toBe(200);

    // The failed-sign-in counter lives in Redis.
    expectServiceUnavailable(
      await eventually(async () => answer(await loginRequest()).then((a) => (a.status === 503 ? a : null)), 10000, 'a 503'),
    );

    // Ingest commits to PostgreSQL, then counts in Redis: the client hears 503 and sends again.
    const ts = new Date(Date.now() - 1000);
    const batch = [
      { code: 'GZM-07', headcount: 310 },
      { code: 'GZM-08', headcount: 320 },
    ];
    expectServiceUnavailable(await answer(await postHeadcounts(base, batch, ts)));

    const degraded = await health();
    expect(degraded).toMatchObject({ status: 503, body: { status: 'degraded', db: { ok: true }, redis: { ok: false } } });
    // The public hears down, not what is missing.
    expect(await publicHealth()).toEqual({ status: 503, body: { status: 'down' } });
    // Reading from PostgreSQL alone still works.
    expect((await feedsRequest()).status).toBe(200);
    expect(api.running).toBe(true);

    await redisProxy.restore();
    const resent = await eventually(
      async () => {
        const r = await postHeadcounts(base, batch, ts);
        return r.status === 200 ? ((await r.json()) as { accepted: number; duplicates: number }) : null;
      },
      15000,
      'the resent batch to be accepted',
    );
    expect(resent.accepted + resent.duplicates).toBe(2);
    const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE record_key = ANY($1)`, [
      batch.map((c) => `${c.code}-${ts.getTime()}`),
    ]);
    expect(stored.rows[0].n).toBe(2);
    await expectRecovered();
  });

  it('while PostgreSQL is away: reads, login and the socket handshake are refused as unavailable, MQTT asks the device to resend; all work again after', async () => {
    expect((await feedsRequest()).status).toBe(200);
    // Our worker listens on the broker before the outage starts.
    await eventually(
      () => sendOverMqtt([{ id: 'ready', metric: 'level', value: 1, ts: new Date().toISOString() }], (b) => 'accepted' in b),
      20000,
      'the worker to ingest over MQTT',
    );

    await pgProxy.cut();

    // The token is checked without the database; the list needs it.
    expectServiceUnavailable(
      await eventually(async () => answer(await feedsRequest()).then((a) => (a.status === 503 ? a : null)), 10000, 'a 503'),
    );
    // Sign-in needs the user row.
    expectServiceUnavailable(await answer(await loginRequest()));
    expect(await health()).toMatchObject({ status: 503, body: { status: 'degraded', db: { ok: false }, redis: { ok: true } } });
    expect(await publicHealth()).toEqual({ status: 503, body: { status: 'down' } });
    // A session this process has not seen (signed in through another API process) is looked up in
    // the database: the handshake says "unavailable", not "invalid token".
    const elsewhere = new JwtService({ secret: TEST_SECRETS.JWT_SECRET }).sign({ sid: randomUUID(), sub: randomUUID(), kind: 'user' });
    await expect(connectLive(base, elsewhere, ['alerts'])).rejects.toThrow('unavailable: try again shortly');

    const record = { id: 'during-outage', metric: 'level', value: 7, ts: new Date().toISOString() };
    const refused = await eventually(
      () => sendOverMqtt([record], (b) => 'error' in b && String(b.error).includes('unavailable')),
      15000,
      'the refusal',
    );
    expect(refused.error).toMatch(/^not stored: .* is unavailable; send it again later$/);
    // Logged as an outage (a warning naming the cause), not as an internal error with a stack.
    await eventually(() => worker.log.includes('mqtt message not stored: service unavailable'), 5000, 'the worker to log the outage');
    expect(worker.log).not.toContain('mqtt message could not be stored');
    expect(api.running).toBe(true);
    expect(worker.running).toBe(true);

    await pgProxy.restore();
    await eventually(async () => (await feedsRequest()).status === 200, 15000, 'GET /api/feeds to answer 200 again');
    const stored = await eventually(() => sendOverMqtt([record], (b) => 'accepted' in b), 15000, 'the resent message to be stored');
    expect(stored).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0 });
    const live = await connectLive(base, await kioskLogin(base), ['alerts']);
    live.socket.disconnect();
    await expectRecovered();
  });
});
