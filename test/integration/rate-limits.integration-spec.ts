import type { ProblemDetails } from '@cityops/contracts';
import { startApiProcess } from '../support/api-process';
import { feedToken, login, suiteConfig } from '../support/stack';
import { testEnv } from '../support/test-env';

const INGEST_LIMIT = 6;
const WRITES_LIMIT = 4;

describe('rate limits per caller, counted in Redis and shared by every API process', () => {
  let apis: Awaited<ReturnType<typeof startApiProcess>>[] = [];
  let admin = '';

  beforeAll(async () => {
    const config = await suiteConfig();
    const env = testEnv({
      DATABASE_URL: config.databaseUrl,
      REDIS_PREFIX: config.redis.prefix,
      RATE_LIMIT_INGEST_PER_MINUTE: String(INGEST_LIMIT),
      RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES_LIMIT),
    });
    // Two API processes on one database and one Redis, as behind a load balancer.
    apis = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    admin = await login(apis[0].url);
  });
  afterAll(() => {
    for (const api of apis) api.stop();
  });

  /** Each request goes to the next process in turn. */
  let turn = 0;
  const next = () => apis[turn++ % apis.length].url;

  const push = (token: string, id: string) =>
    fetch(`${next()}/api/feeds/marathon-crowd/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ id, metric: 'headcount', value: 10, ts: new Date().toISOString(), area: 'GZM-02' }]),
    });

  it('lets a feed token push its budget across both processes, then answers 429 with Retry-After; another caller keeps its own', async () => {
    for (let i = 0; i < INGEST_LIMIT; i++) {
      const res = await push(feedToken, `limit-${i}`);
      expect([i, res.status]).toEqual([i, 200]);
      await res.arrayBuffer();
    }
    const refused = await push(feedToken, 'limit-over');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await refused.json()) as ProblemDetails).toMatchObject({
      type: 'urn:cityops:problem:rate_limited',
      status: 429,
      detail: expect.stringContaining(`${INGEST_LIMIT} a minute`),
    });
    // Refused on both processes: the count is one.
    const onTheOther = await push(feedToken, 'limit-over-2');
    expect(onTheOther.status).toBe(429);
    await onTheOther.arrayBuffer();

    const byAdmin = await push(admin, 'limit-admin');
    expect(byAdmin.status).toBe(200);
    await byAdmin.arrayBuffer();
  });

  it('limits other writes by their own budget, and reads not at all', async () => {
    const write = () =>
      fetch(`${next()}/api/feeds/rate-probe`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ name: 'rate probe', metrics: [{ key: 'level' }] }),
      });
    const created = await fetch(`${next()}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key: 'rate-probe', name: 'rate probe', metrics: [{ key: 'level' }] }),
    });
    expect(created.status).toBe(201);
    // The create was one write; the rest of the budget goes to PUTs, alternately on each process.
    for (let i = 1; i < WRITES_LIMIT; i++) expect((await write()).status).toBe(200);
    const refused = await write();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

    for (let i = 0; i < WRITES_LIMIT * 3; i++) {
      const read = await fetch(`${next()}/api/feeds/rate-probe`, { headers: { authorization: `Bearer ${admin}` } });
      expect([i, read.status]).toEqual([i, 200]);
      await read.arrayBuffer();
    }
  });
});
