import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import type { IngestResult } from '@cityops/contracts';
import { startApiProcess } from '../support/api-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { feedToken, suiteConfig } from '../support/stack';
import { testEnv } from '../support/test-env';

/** The real API runs as its own process here, so that it can be killed with SIGKILL like a crash. */
describe('ingest survives a crash of the API process: acknowledged means stored, resent means stored once', () => {
  let db: Client;
  let env: NodeJS.ProcessEnv;
  let api: ChildProcess | undefined;

  beforeAll(async () => {
    const config = await suiteConfig();
    env = testEnv({ DATABASE_URL: config.databaseUrl, REDIS_PREFIX: config.redis.prefix });
    db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    api?.kill('SIGKILL');
    await db?.end();
  });

  const batch = (b: number, size: number, ts: string) =>
    JSON.stringify({
      records: Array.from({ length: size }, (_, k) => ({ id: `crash-${b}-${k}`, metric: 'headcount', value: k, ts, area: 'GZM-05' })),
    });

  it('keeps every acknowledged batch when killed mid-run, and stores each record once after the client resends', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/api/feeds/marathon-crowd/records`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` };
    const ts = new Date().toISOString();
    const batches = 60;
    const size = 500;
    api = (await startApiProcess(env, port)).child;

    const acknowledged: number[] = [];
    const sender = (async () => {
      for (let b = 0; b < batches; b++) {
        try {
          const res = await fetch(url, { method: 'POST', headers, body: batch(b, size, ts) });
          if (res.status === 200) acknowledged.push(b);
        } catch {
          return; // connection lost: the crash
        }
      }
    })();
    // Kill it without warning while batches are in flight.
    await eventually(() => acknowledged.length >= 15, 60_000, '15 acknowledged batches', 5);
    api.kill('SIGKILL');
    await sender;
    expect(acknowledged.length).toBeLessThan(batches);

    for (const b of acknowledged) {
      const n = (await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE $1`, [`crash-${b}-%`])).rows[0].n;
      expect(n).toBe(size);
    }

    // The client did not get answers for the rest; it resends everything, as a client would.
    api = (await startApiProcess(env, port)).child;
    let accepted = 0;
    let duplicates = 0;
    for (let b = 0; b < batches; b++) {
      const result = (await (await fetch(url, { method: 'POST', headers, body: batch(b, size, ts) })).json()) as IngestResult;
      accepted += result.accepted;
      duplicates += result.duplicates;
    }
    expect(accepted + duplicates).toBe(batches * size);
    expect(duplicates).toBeGreaterThanOrEqual(acknowledged.length * size);
    const stored = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT record_key)::int AS d FROM observation WHERE record_key LIKE 'crash-%'`,
    );
    expect(stored.rows[0]).toEqual({ n: batches * size, d: batches * size });
  }, 120_000);
});
