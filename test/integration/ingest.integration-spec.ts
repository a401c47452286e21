import type { Client } from 'pg';
import type { IngestResult } from '@cityops/contracts';
import { FeedUpdates } from '@cityops/feeds';
import { feedToken, login, startStack, type TestStack } from '../support/stack';

describe('ingest: bad input gets a clear answer and nothing good is lost', () => {
  let stack: TestStack;
  let db: Client;
  let admin: string;
  const url = () => `${stack.url}/api/feeds/marathon-crowd/records`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}`, ...headers },
      body,
    });
  const ts = () => new Date().toISOString();

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    db = stack.db;
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function problem(res: Response) {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { type: string; title: string; status: number; detail?: string };
    expect(body.status).toBe(res.status);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/);
    return body;
  }

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await post('{"records": [ {"metric": "headcount", ');
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toMatch(/not valid JSON/);
  });

  it('answers an unknown feed with 404 and a missing token with 401', async () => {
    const res = await fetch(`${stack.url}/api/feeds/no-such-feed/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
      body: '[]',
    });
    expect(res.status).toBe(404);
    expect((await problem(res)).title).toBe('Unknown feed');
    const anonymous = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(anonymous.status).toBe(401);
  });

  it('answers a 20 MB body with 413 and stores nothing of it', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM observation`)).rows[0].n;
    const record = { metric: 'headcount', value: 1, ts: ts(), area: 'GZM-01', props: { pad: 'x'.repeat(900) } };
    const body = JSON.stringify({ records: Array.from({ length: 21000 }, (_, i) => ({ ...record, id: `big-${i}` })) });
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const res = await post(body);
    expect(res.status).toBe(413);
    await problem(res);
    expect((await db.query(`SELECT count(*)::int AS n FROM observation`)).rows[0].n).toBe(before);
  });

  it('rejects wrong types, unknown metrics, unknown areas and out-of-range coordinates with reasons, and stores the good records beside them', async () => {
    const now = ts();
    const records = [
      { id: 'ok-1', metric: 'headcount', value: 120, ts: now, area: 'GZM-02' },
      { id: 'bad-type', metric: 'headcount', value: '120', ts: now, area: 'GZM-02' },
      { id: 'bad-metric', metric: 'temperature', value: 21.5, ts: now, area: 'GZM-02' },
      { id: 'bad-lon', metric: 'headcount', value: 5, ts: now, location: [213.3, 23.1] },
      { id: 'bad-area', metric: 'headcount', value: 5, ts: now, area: 'NOWHERE' },
      { id: 'bad-ts', metric: 'headcount', value: 5, ts: 'yesterday', area: 'GZM-02' },
      { id: 'future', metric: 'headcount', value: 5, ts: new Date(Date.now() + 3600_000).toISOString(), area: 'GZM-02' },
      { id: 'negative', metric: 'headcount', value: -3, ts: now, area: 'GZM-02' },
      'not an object',
      { id: 'ok-2', metric: 'headcount', value: 7, ts: now, location: [113.3245, 23.1375] },
    ];
    const res = await post(JSON.stringify(records));
    expect(res.status).toBe(200);
    const body = (await res.json()) as IngestResult;
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 8 });
    const reasons = Object.fromEntries(body.errors.map((e) => [e.index, e.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(reasons[1]).toMatch(/^value: .*number/i);
    expect(reasons[2]).toMatch(/unknown metric "temperature"/);
    expect(reasons[3]).toMatch(/^location/);
    expect(reasons[4]).toMatch(/unknown area code "NOWHERE"/);
    expect(reasons[5]).toMatch(/^ts: /);
    expect(reasons[6]).toMatch(/in the future/);
    expect(reasons[7]).toMatch(/below the minimum 0/);

    const stored = await db.query(
      `SELECT record_key, area_id, area_path FROM observation WHERE record_key IN ('ok-1', 'ok-2') ORDER BY record_key`,
    );
    expect(stored.rows.map((r) => r.record_key)).toEqual(['ok-1', 'ok-2']);
    // A located record is tagged with its grid and, through the path, every ancestor up to the city.
    const located = stored.rows[1];
    const levels = await db.query(`SELECT level FROM area WHERE id = ANY($1::int[]) ORDER BY array_position($1::int[], id)`, [
      located.area_path,
    ]);
    expect(levels.rows.map((r) => r.level)).toEqual(['city', 'district', 'street', 'community', 'grid']);
    const district = await db.query(`SELECT code FROM area WHERE id = ANY($1::int[]) AND level = 'district'`, [located.area_path]);
    expect(district.rows[0].code).toBe('440106');

    const kept = await fetch(`${stack.url}/api/feeds/marathon-crowd/rejected`, { headers: { authorization: `Bearer ${admin}` } });
    const rejected = (await kept.json()) as { index: number; reason: string; raw: unknown }[];
    expect(rejected.filter((r) => [1, 2, 3, 4, 5, 6, 7, 8].includes(r.index))).toHaveLength(8);
    expect(rejected.find((r) => r.index === 8)?.raw).toBe('not an object');
  });

  it('counts a resent batch as duplicates and stores it once', async () => {
    const now = ts();
    const batch = JSON.stringify({
      records: [1, 2, 3].map((i) => ({ id: `resend-${i}`, metric: 'headcount', value: i, ts: now, area: 'GZM-03' })),
    });
    expect(await (await post(batch)).json()).toEqual({ accepted: 3, duplicates: 0, rejected: 0, errors: [] });
    expect(await (await post(batch)).json()).toEqual({ accepted: 0, duplicates: 3, rejected: 0, errors: [] });
    const n = (await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'resend-%'`)).rows[0].n;
    expect(n).toBe(3);
  });

  it('tells the indicators again when a batch is only resent records, but not for a batch of rejects', async () => {
    // Ingest awaits its listeners before answering: by the answer, the call is recorded.
    const told: string[] = [];
    stack.api!.get(FeedUpdates).onFeedUpdated((feedKey) => {
      told.push(feedKey);
      return Promise.resolve();
    });
    const batch = JSON.stringify([{ id: 'retold-1', metric: 'headcount', value: 9, ts: ts(), area: 'GZM-06' }]);
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    // The sender never got that answer (say, a 503 after the commit) and sends again: the
    // recomputation its first answer would have scheduled is scheduled now.
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await (await post(JSON.stringify([{ metric: 'headcount', value: 'nine', ts: ts(), area: 'GZM-06' }]))).json()).toMatchObject({
      rejected: 1,
    });
    expect(told).toEqual(['marathon-crowd', 'marathon-crowd']);
  });

  it('stores the new records of a batch that partly repeats earlier ones and itself, each once', async () => {
    const now = ts();
    const record = (i: number) => ({ id: `partial-${i}`, metric: 'headcount', value: i, ts: now, area: 'GZM-05' });
    expect(await (await post(JSON.stringify([1, 2].map(record)))).json()).toEqual({ accepted: 2, duplicates: 0, rejected: 0, errors: [] });
    // 1 and 2 were stored before, 3 arrives twice in the same batch, 4 is new.
    const mixed = JSON.stringify([1, 3, 2, 3, 4].map(record));
    expect(await (await post(mixed)).json()).toEqual({ accepted: 2, duplicates: 3, rejected: 0, errors: [] });
    const keys = await db.query(`SELECT record_key FROM observation WHERE record_key LIKE 'partial-%' ORDER BY record_key`);
    expect(keys.rows.map((r) => r.record_key)).toEqual(['partial-1', 'partial-2', 'partial-3', 'partial-4']);
  });

  it('stores ids, entities and properties with tabs, line ends, backslashes and quotes exactly as sent', async () => {
    const now = ts();
    const awkward = {
      id: 'awk\t1\\x',
      entity: 'gate "A"\nnorth',
      metric: 'headcount',
      value: 0.1 + 0.2,
      ts: now,
      location: [113.32451234567891, 23.13751] as [number, number],
      props: { note: 'tab\there\r\nnext \\ end', n: [1, { deep: '\\N' }] },
    };
    expect(await (await post(JSON.stringify([awkward]))).json()).toMatchObject({ accepted: 1, rejected: 0 });
    const row = (
      await db.query(
        `SELECT record_key, entity, value, props, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM observation WHERE record_key = $1`,
        [awkward.id],
      )
    ).rows[0];
    expect(row).toEqual({
      record_key: awkward.id,
      entity: awkward.entity,
      value: awkward.value,
      props: awkward.props,
      lon: awkward.location[0],
      lat: awkward.location[1],
    });
  });

  it('keeps a record it cannot store as a marked copy, shows it for what it is, and never replays the copy', async () => {
    // A feed of its own, so that the replay meets only this test's records.
    const feedKey = 'altered-replay';
    const asAdmin = { 'content-type': 'application/json', authorization: `Bearer ${admin}` };
    expect(
      (
        await fetch(`${stack.url}/api/feeds`, {
          method: 'POST',
          headers: asAdmin,
          body: JSON.stringify({ key: feedKey, name: 'altered', metrics: [{ key: 'count' }] }),
        })
      ).status,
    ).toBe(201);
    const body = `[{"id":"alt-nul\\u0000","metric":"count","value":1,"ts":"${ts()}"},{"id":"alt-deep","metric":"count","value":1,"ts":"${ts()}","props":${'['.repeat(100)}${']'.repeat(100)}}]`;
    const pushed = await fetch(`${stack.url}/api/feeds/${feedKey}/records`, { method: 'POST', headers: asAdmin, body });
    expect(await pushed.json()).toMatchObject({
      accepted: 0,
      rejected: 2,
      errors: [
        { index: 0, reason: 'id: contains a NUL character (U+0000), which cannot be stored' },
        { index: 1, reason: 'props: nested deeper than 64 levels' },
      ],
    });

    const kept = (await (await fetch(`${stack.url}/api/feeds/${feedKey}/rejected`, { headers: asAdmin })).json()) as {
      index: number;
      raw: Record<string, unknown>;
    }[];
    const nul = kept.find((k) => k.index === 0)!;
    expect(nul.raw).toEqual({
      'cityops:altered': 'id: contains a NUL character (U+0000), which cannot be stored',
      record: expect.objectContaining({ id: 'alt-nul\ufffd' }),
    });
    expect(kept.find((k) => k.index === 1)!.raw).toMatchObject({
      'cityops:altered': 'props.0.0.0…: nested deeper than 64 levels',
    });

    const replay = await fetch(`${stack.url}/api/feeds/${feedKey}/rejected/replay`, { method: 'POST', headers: asAdmin });
    expect(await replay.json()).toEqual({ replayed: 0, accepted: 0, duplicates: 0, stillRejected: 2 });
    expect((await db.query(`SELECT count(*)::int AS n FROM observation WHERE feed_key = $1`, [feedKey])).rows[0].n).toBe(0);
    const reasons = await db.query(`SELECT reason FROM rejected_record WHERE feed_key = $1 ORDER BY record_index`, [feedKey]);
    expect(reasons.rows.map((r) => r.reason)).toEqual([
      'id: contains a NUL character (U+0000), which cannot be stored (kept altered, so not replayed)',
      'props.0.0.0…: nested deeper than 64 levels (kept altered, so not replayed)',
    ]);
  });

  it('treats records without an id as duplicates when they say the same thing at the same time', async () => {
    const now = ts();
    const batch = JSON.stringify([{ metric: 'headcount', value: 42, ts: now, area: 'GZM-04' }]);
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 1 });
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('answers a body that is not a record list with 400', async () => {
    const res = await post(JSON.stringify({ metric: 'headcount' }));
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toMatch(/array of records/);
  });

  it('forbids a feed token from pushing to a feed it does not own', async () => {
    await db.query(`INSERT INTO feed (key, name, metrics) VALUES ('other-feed', 'other', '[{"key":"x"}]') ON CONFLICT DO NOTHING`);
    const res = await fetch(`${stack.url}/api/feeds/other-feed/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
      body: JSON.stringify([{ metric: 'x', value: 1, ts: ts() }]),
    });
    expect(res.status).toBe(403);
  });
});
