import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Client } from 'pg';
import { MAX_RECORDS_PER_REQUEST, MAX_REJECTED_KEPT_PER_REQUEST, type IngestResult, type ProblemDetails } from '@cityops/contracts';
import { login, startStack, type TestStack } from '../support/stack';

/** Small stream caps, so that a test crosses them (and a chunk commit of 5,000) with a few thousand records. */
const STREAM_RECORDS = 7000;
const STREAM_BYTES = 2 * 1024 * 1024;

describe('ingest limits: a request carries a bounded number of records, and an answer never claims fewer stored than were', () => {
  let stack: TestStack;
  let db: Client;
  let admin: string;
  const ts = () => new Date().toISOString();

  /** A feed of the test's own, so that what it stored and kept can be counted exactly. */
  async function feed(key: string): Promise<string> {
    const res = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key, name: key, metrics: [{ key: 'count', min: 0 }] }),
    });
    expect(res.status).toBe(201);
    return key;
  }
  const push = (key: string, body: string | Buffer, contentType: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/api/feeds/${key}/records`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${admin}`, ...headers },
      body,
    });
  const stored = async (key: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE feed_key = $1`, [key])).rows[0].n;
  const kept = async (key: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rejected_record WHERE feed_key = $1`, [key])).rows[0].n;
  const line = (i: number, time = ts()) => JSON.stringify({ id: `r-${i}`, metric: 'count', value: i, ts: time });

  beforeAll(async () => {
    stack = await startStack({
      workers: 0,
      env: { INGEST_MAX_STREAM_RECORDS: String(STREAM_RECORDS), INGEST_MAX_STREAM_BYTES: String(STREAM_BYTES) },
    });
    db = stack.db;
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`refuses a JSON document of more than ${MAX_RECORDS_PER_REQUEST.toLocaleString('en')} records whole, storing nothing`, async () => {
    const key = await feed('limit-document');
    const time = ts();
    const records = Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, (_, i) => ({ metric: 'count', value: i, ts: time }));
    const res = await push(key, JSON.stringify(records), 'application/json');
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as ProblemDetails;
    expect(problem).toMatchObject({ type: 'urn:cityops:problem:too_many_records', status: 413 });
    expect(problem.detail).toMatch(/holds 50,001 records; one request may hold at most 50,000\. Nothing was stored/);
    expect(problem.result).toBeUndefined();
    expect(await stored(key)).toBe(0);
    // The same number of entities, likewise.
    const entities = Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, (_, i) => ({ id: `e-${i}`, ts: time }));
    const put = await fetch(`${stack.url}/api/feeds/${key}/entities`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(entities),
    });
    expect(put.status).toBe(413);
    expect((await db.query(`SELECT count(*)::int AS n FROM entity WHERE feed_key = $1`, [key])).rows[0].n).toBe(0);
  });

  it('cuts an NDJSON stream at its record cap, commits what came before, and says so in a 413 with the result', async () => {
    const key = await feed('limit-stream');
    const time = ts();
    const body = Array.from({ length: STREAM_RECORDS + 2000 }, (_, i) => line(i, time)).join('\n');
    const res = await push(key, body, 'application/x-ndjson');
    expect(res.status).toBe(413);
    const problem = (await res.json()) as ProblemDetails;
    expect(problem.type).toBe('urn:cityops:problem:too_many_records');
    expect(problem.result).toEqual({ accepted: STREAM_RECORDS, duplicates: 0, rejected: 0, errors: [] });
    expect(problem.detail).toMatch(/more than 7,000 records.*The first 7,000 records of the body were processed and committed/);
    expect(await stored(key)).toBe(STREAM_RECORDS);
    // The stored ones are the first of the body: a sender resends from there.
    const last = await db.query(`SELECT max(value)::int AS v FROM observation WHERE feed_key = $1`, [key]);
    expect(last.rows[0].v).toBe(STREAM_RECORDS - 1);
    // Sending the whole body again stores nothing twice and still stops at the cap.
    const again = (await (await push(key, body, 'application/x-ndjson')).json()) as ProblemDetails;
    expect(again.result).toMatchObject({ accepted: 0, duplicates: STREAM_RECORDS });
    expect(await stored(key)).toBe(STREAM_RECORDS);
  });

  it('answers the cap while the sender is still streaming, and reads off the rest of its upload instead of resetting it', async () => {
    const key = await feed('limit-live-stream');
    const time = ts();
    let sent = 0;
    function* lines(): Generator<string> {
      for (let i = 0; i < 60_000; i += 1000) {
        sent = i + 1000;
        yield `${Array.from({ length: 1000 }, (_, k) => line(i + k, time)).join('\n')}\n`;
      }
    }
    const res = await fetch(`${stack.url}/api/feeds/${key}/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${admin}` },
      body: Readable.toWeb(Readable.from(lines())) as ReadableStream<Uint8Array>,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ProblemDetails).result).toMatchObject({ accepted: STREAM_RECORDS });
    expect(await stored(key)).toBe(STREAM_RECORDS);
    expect(sent).toBeGreaterThan(STREAM_RECORDS);
  });

  it('stops a 200-byte gzip body of garbage lines at the cap, keeping 1,000 of its rejected records and counting the rest', async () => {
    const key = await feed('limit-bomb');
    const bomb = gzipSync('{}\n'.repeat(60000));
    expect(bomb.length).toBeLessThan(400);
    const res = await push(key, bomb, 'application/x-ndjson', { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    const { result } = (await res.json()) as ProblemDetails;
    expect(result).toMatchObject({
      accepted: 0,
      rejected: STREAM_RECORDS,
      errorsTruncated: true,
      rejectedNotKept: STREAM_RECORDS - MAX_REJECTED_KEPT_PER_REQUEST,
    });
    expect(result?.errors).toHaveLength(MAX_REJECTED_KEPT_PER_REQUEST);
    expect(await kept(key)).toBe(MAX_REJECTED_KEPT_PER_REQUEST);
  });

  it('cuts a gzip stream at its decompressed byte cap and answers with what the records before the cut stored', async () => {
    const key = await feed('limit-bytes');
    const time = ts();
    const padded = (i: number) => JSON.stringify({ id: `p-${i}`, metric: 'count', value: i, ts: time, props: { pad: 'x'.repeat(900) } });
    const body = gzipSync(Array.from({ length: 4000 }, (_, i) => padded(i)).join('\n'));
    const res = await push(key, body, 'application/x-ndjson', { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    const problem = (await res.json()) as ProblemDetails;
    expect(problem.type).toBe('urn:cityops:problem:payload_too_large');
    const storedNow = await stored(key);
    expect(storedNow).toBeGreaterThan(0);
    expect(storedNow).toBeLessThan(4000);
    expect(problem.result).toEqual({ accepted: storedNow, duplicates: 0, rejected: 0, errors: [] });
  });

  it('keeps and lists the first 1,000 rejected records of a request, counts the rest, and stores every good one beside them', async () => {
    const key = await feed('limit-rejected');
    const time = ts();
    const records = Array.from({ length: 1510 }, (_, i) =>
      i % 151 === 0 ? { id: `good-${i}`, metric: 'count', value: 1, ts: time } : { id: `bad-${i}`, metric: 'count', value: -1, ts: time },
    );
    const res = await push(key, JSON.stringify(records), 'application/json');
    expect(res.status).toBe(200);
    const result = (await res.json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 10, rejected: 1500, errorsTruncated: true, rejectedNotKept: 500 });
    expect(result.errors).toHaveLength(1000);
    expect(result.errors[0]).toEqual({ index: 1, reason: 'value: -1 is below the minimum 0 of count' });
    expect(await stored(key)).toBe(10);
    expect(await kept(key)).toBe(1000);
    const keptIndexes = await db.query<{ max: number }>(`SELECT max(record_index)::int AS max FROM rejected_record WHERE feed_key = $1`, [
      key,
    ]);
    expect(keptIndexes.rows[0].max).toBe(result.errors[999].index);
  });
});
