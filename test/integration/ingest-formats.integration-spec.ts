import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Client } from 'pg';
import type { IngestResult } from '@cityops/contracts';
import { DEMO_DISTRICT_DEPARTMENT } from '@cityops/demo';
import { STANDARD_DEPARTMENTS } from '@cityops/feeds';
import { gridCodeAt } from '../support/areas';
import { eventually } from '../support/eventually';
import { feedToken, login, startStack, type TestStack } from '../support/stack';

describe('ingest: every way in, streamed, validated, replayable', () => {
  let stack: TestStack;
  let db: Client;
  let admin: string;
  const post = (body: NonNullable<RequestInit['body']>, contentType: string, extra: Record<string, string> = {}, feed = 'marathon-crowd') =>
    fetch(`${stack.url}/api/feeds/${feed}/records`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${feedToken}`, ...extra },
      body,
      duplex: 'half',
    });
  const now = () => new Date().toISOString();
  const count = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0].n as number;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    db = stack.db;
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('takes a GeoJSON FeatureCollection: properties are the record, a Point is its location', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [113.3245, 23.1375] },
          properties: { id: 'geo-1', metric: 'headcount', value: 10, ts: now() },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [113.3, 23.1],
              [113.31, 23.11],
            ],
          },
          properties: { id: 'geo-2', metric: 'headcount', value: 10, ts: now() },
        },
      ],
    };
    const res = await post(JSON.stringify(fc), 'application/geo+json');
    const body = (await res.json()) as IngestResult;
    expect(body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(body.errors[0]).toMatchObject({ index: 1 });
    expect(body.errors[0].reason).toMatch(/Point locations/);
    expect(
      await count(`SELECT count(*)::int AS n FROM observation WHERE record_key = 'geo-1' AND area_id IS NOT NULL AND geom IS NOT NULL`),
    ).toBe(1);
  });

  it('takes NDJSON, rejecting an unreadable line with its line number and keeping the rest', async () => {
    const lines = [
      JSON.stringify({ id: 'nd-1', metric: 'headcount', value: 1, ts: now(), area: 'GZM-01' }),
      '{"id": "nd-2", "metric": ',
      JSON.stringify({ id: 'nd-3', metric: 'headcount', value: 3, ts: now(), area: 'GZM-01' }),
    ].join('\n');
    const body = (await (await post(lines, 'application/x-ndjson')).json()) as IngestResult;
    expect(body).toEqual({ accepted: 2, duplicates: 0, rejected: 1, errors: [{ index: 1, reason: 'line 2: not valid JSON' }] });
  });

  it('takes CSV with a header row: lon/lat become the location, other columns the props', async () => {
    const csv = [
      'id,metric,value,ts,lon,lat,sensor',
      `csv-1,headcount,12,${now()},113.3245,23.1375,cam-7`,
      `csv-2,headcount,many,${now()},113.3245,23.1375,cam-8`,
    ].join('\r\n');
    const body = (await (await post(csv, 'text/csv')).json()) as IngestResult;
    expect(body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(body.errors[0].reason).toMatch(/^value: /);
    const row = (await db.query(`SELECT value, props, ST_X(geom) AS lon FROM observation WHERE record_key = 'csv-1'`)).rows[0];
    expect(row).toEqual({ value: 12, props: { sensor: 'cam-7' }, lon: 113.3245 });
  });

  it('takes gzip-compressed bodies', async () => {
    const records = [{ id: 'gz-1', metric: 'headcount', value: 5, ts: now(), area: 'GZM-02' }];
    const body = (await (
      await post(gzipSync(JSON.stringify(records)), 'application/json', { 'content-encoding': 'gzip' })
    ).json()) as IngestResult;
    expect(body).toMatchObject({ accepted: 1 });
  });

  it('answers an unsupported content type with 415 and broken gzip with 400', async () => {
    const res = await post('<records/>', 'application/xml');
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const broken = await post(Buffer.from('not gzip at all'), 'application/json', { 'content-encoding': 'gzip' });
    expect(broken.status).toBe(400);
  });

  it('rejects a location outside the city bounds', async () => {
    const body = (await (
      await post(JSON.stringify([{ id: 'far-1', metric: 'headcount', value: 1, ts: now(), location: [116.4, 39.9] }]), 'application/json')
    ).json()) as IngestResult;
    expect(body.rejected).toBe(1);
    expect(body.errors[0].reason).toMatch(/outside the city bounds/);
  });

  it('streams a 100 MB NDJSON body, committing records while the body is still arriving', async () => {
    const total = 600_000;
    const pad = 'x'.repeat(80);
    const t = now();
    let bytes = 0;
    let committedMidStream = 0;
    const line = (k: number) =>
      `{"id":"big-${k}","entity":"E${k % 97}","metric":"headcount","value":${k % 500},"ts":"${t}","area":"GZM-0${(k % 9) + 1}","props":{"p":"${pad}"}}\n`;
    async function* ndjson(): AsyncGenerator<string> {
      for (let i = 0; i < total;) {
        if (i === total / 2) {
          // Half way, the sender waits until some records are committed. A server that buffered
          // the whole body before writing would never commit any, and this wait would time out.
          committedMidStream = await eventually(
            () => count(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'big-%'`),
            60_000,
            'records committed while the body is still arriving',
            100,
          );
        }
        let chunk = '';
        const end = Math.min(i + 2000, i < total / 2 ? total / 2 : total);
        for (; i < end; i++) chunk += line(i);
        bytes += chunk.length;
        yield chunk;
      }
    }
    const source = Readable.from(ndjson());
    const res = await post(Readable.toWeb(source), 'application/x-ndjson');
    const body = (await res.json()) as IngestResult;
    expect(bytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(committedMidStream).toBeGreaterThan(0);
    expect(committedMidStream).toBeLessThan(total);
    expect(body).toEqual({ accepted: total, duplicates: 0, rejected: 0, errors: [] });
    expect(await count(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'big-%'`)).toBe(total);
  }, 180_000);

  it('keeps records of an unknown metric and replays them once the feed knows the metric', async () => {
    // A feed of its own, so that only this test's records are kept for it.
    const feedKey = 'replay-test';
    const asAdmin = { 'content-type': 'application/json', authorization: `Bearer ${admin}` };
    const created = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: asAdmin,
      body: JSON.stringify({ key: feedKey, name: '重放测试', metrics: [{ key: 'headcount', min: 0 }] }),
    });
    expect(created.status).toBe(201);
    const t = now();
    const records = [
      { id: 'rp-1', metric: 'queue_length', value: 4, ts: t, area: 'GZM-03' },
      { id: 'rp-2', metric: 'queue_length', value: 7, ts: t, location: [113.3245, 23.1375] },
      // Still wrong once the metric is known: below its minimum.
      { id: 'rp-3', metric: 'queue_length', value: -2, ts: t, area: 'GZM-03' },
    ];
    const first = (await (
      await post(JSON.stringify(records), 'application/json', { authorization: `Bearer ${admin}` }, feedKey)
    ).json()) as IngestResult;
    expect(first).toMatchObject({ accepted: 0, rejected: 3 });
    expect(first.errors.map((e) => e.reason)).toEqual(Array(3).fill(expect.stringMatching(/unknown metric "queue_length"/)));

    const feed = await (await fetch(`${stack.url}/api/feeds/${feedKey}`, { headers: { authorization: `Bearer ${admin}` } })).json();
    const { key: _key, ...definition } = feed as { key: string; metrics: unknown[] };
    const put = await fetch(`${stack.url}/api/feeds/${feedKey}`, {
      method: 'PUT',
      headers: asAdmin,
      body: JSON.stringify({ ...definition, metrics: [...definition.metrics, { key: 'queue_length', unit: 'persons', min: 0 }] }),
    });
    expect(put.status).toBe(200);

    const replay = async () =>
      (await (await fetch(`${stack.url}/api/feeds/${feedKey}/rejected/replay`, { method: 'POST', headers: asAdmin })).json()) as {
        replayed: number;
        accepted: number;
        duplicates: number;
        stillRejected: number;
      };
    expect(await replay()).toEqual({ replayed: 2, accepted: 2, duplicates: 0, stillRejected: 1 });

    // Stored as if they had come in right: values, keys and the area each is tagged with.
    const stored = await db.query(
      `SELECT o.record_key, o.metric, o.value, a.code AS area, a.level, ST_X(o.geom) AS lon
         FROM observation o JOIN area a ON a.id = o.area_id WHERE o.feed_key = $1 ORDER BY o.record_key`,
      [feedKey],
    );
    expect(stored.rows).toEqual([
      { record_key: 'rp-1', metric: 'queue_length', value: 4, area: 'GZM-03', level: 'zone', lon: null },
      { record_key: 'rp-2', metric: 'queue_length', value: 7, area: await gridCodeAt(db, 113.3245, 23.1375), level: 'grid', lon: 113.3245 },
    ]);
    // The kept rows say which were replayed; the one still wrong carries today's reason.
    const kept = await db.query(
      `SELECT raw->>'id' AS id, replayed_at IS NOT NULL AS replayed, reason FROM rejected_record WHERE feed_key = $1 ORDER BY record_index`,
      [feedKey],
    );
    expect(kept.rows).toEqual([
      { id: 'rp-1', replayed: true, reason: expect.stringMatching(/unknown metric/) },
      { id: 'rp-2', replayed: true, reason: expect.stringMatching(/unknown metric/) },
      { id: 'rp-3', replayed: false, reason: expect.stringMatching(/below the minimum 0/) },
    ]);

    // A second replay takes up only what is still rejected, and writes nothing twice.
    expect(await replay()).toEqual({ replayed: 0, accepted: 0, duplicates: 0, stillRejected: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM observation WHERE feed_key = $1`, [feedKey])).toBe(2);
  });

  it('upserts entities with their history: an older state never overwrites a newer one, invalid geometry is rejected', async () => {
    const create = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key: 'test-cameras', name: '测试摄像头', departmentCode: 'public-security', theme: 'video', kind: 'entity' }),
    });
    expect(create.status).toBe(201);
    const put = (body: unknown) =>
      fetch(`${stack.url}/api/feeds/test-cameras/entities`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify(body),
      });
    const t1 = '2026-11-01T08:00:00+08:00';
    const t2 = '2026-11-01T09:00:00+08:00';
    const first = (await (
      await put({
        entities: [
          { id: 'cam-1', ts: t2, location: [113.3245, 23.1375], props: { status: 'online' } },
          {
            id: 'cam-2',
            ts: t1,
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [113.3, 23.1],
                  [113.31, 23.11],
                  [113.31, 23.1],
                  [113.3, 23.11],
                  [113.3, 23.1],
                ],
              ],
            },
          },
        ],
      })
    ).json()) as IngestResult;
    expect(first).toMatchObject({ accepted: 1, rejected: 1 });
    expect(first.errors[0].reason).toMatch(/Self-intersection/);
    const late = (await (
      await put([{ id: 'cam-1', ts: t1, location: [113.33, 23.13], props: { status: 'offline' } }])
    ).json()) as IngestResult;
    expect(late).toMatchObject({ accepted: 1 });
    const resend = (await (
      await put([{ id: 'cam-1', ts: t1, location: [113.33, 23.13], props: { status: 'offline' } }])
    ).json()) as IngestResult;
    expect(resend).toMatchObject({ accepted: 0, duplicates: 1 });
    const row = (await db.query(`SELECT props, area_id FROM entity WHERE entity_id = 'cam-1'`)).rows[0];
    expect(row.props).toEqual({ status: 'online' });
    expect(row.area_id).not.toBeNull();
    expect(await count(`SELECT count(*)::int AS n FROM entity_history WHERE entity_id = 'cam-1'`)).toBe(2);
    // Entity feeds are alive by their states, not by observations.
    const health = (await (await fetch(`${stack.url}/api/feeds/health`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      feedKey: string;
      lastRecordAt: string | null;
      recordsPerMinute: number;
    }[];
    const cameras = health.find((h) => h.feedKey === 'test-cameras')!;
    expect(cameras.lastRecordAt).not.toBeNull();
    expect(cameras.recordsPerMinute).toBeGreaterThan(0);
  });

  it('validates feed definitions and refuses a duplicate key', async () => {
    const bad = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key: 'Bad Key', name: '', metrics: [{ key: 'x', min: 5, max: 1 }], departmentCode: 'nowhere' }),
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['key', 'metrics.0', 'name']);
    const dup = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key: 'marathon-crowd', name: 'again' }),
    });
    expect(dup.status).toBe(409);
    const departments = (await (await fetch(`${stack.url}/api/departments`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      code: string;
    }[];
    // The standard departments, and the demo city's own district bureau.
    expect(departments.map((d) => d.code).sort()).toEqual(
      [...STANDARD_DEPARTMENTS.map((d) => d.code), DEMO_DISTRICT_DEPARTMENT.code].sort(),
    );
  });
});
