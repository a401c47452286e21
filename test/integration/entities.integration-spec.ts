import { createServer, type Server, type Socket, connect } from 'node:net';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { FeedEntityRecord, IngestResult } from '@cityops/contracts';
import { dataSourceOptions, VectorTileQueries } from '@cityops/core';
import { EntityRepository } from '../../libs/feeds/src/entity.repository';
import { login, startStack, type TestStack } from '../support/stack';

type Ring = number[][];

/** A square ring of side 2d around [lon, lat]. */
const square = (lon: number, lat: number, d = 0.002): Ring => [
  [lon - d, lat - d],
  [lon + d, lat - d],
  [lon + d, lat + d],
  [lon - d, lat + d],
  [lon - d, lat - d],
];

/** A bow tie: its edges cross at [lon, lat]. */
const bowTie = (lon: number, lat: number, d = 0.002): Ring => [
  [lon - d, lat - d],
  [lon + d, lat + d],
  [lon + d, lat - d],
  [lon - d, lat + d],
  [lon - d, lat - d],
];

/** A TCP relay to PostgreSQL that the test can cut, to see what a database outage does (the shared server stays up). */
async function cuttableRelay(target: { host: string; port: number }): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(target.port, target.host);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

describe('entities: each geometry judged on its own, bad ones reported, the rest stored and tagged', () => {
  let stack: TestStack;
  let db: Client;
  let admin: string;
  const feed = 'test-shelters';
  const put = async (body: unknown): Promise<{ status: number; body: IngestResult }> => {
    const res = await fetch(`${stack.url}/api/feeds/${feed}/entities`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as IngestResult };
  };
  const stored = async (id: string) =>
    (
      await db.query<{ area_id: number | null; area_path: number[]; has_geom: boolean; grid: number | null }>(
        `SELECT e.area_id, e.area_path, e.geom IS NOT NULL AS has_geom,
                (SELECT g.id FROM area g WHERE g.level = 'grid' AND ST_Intersects(g.geom, ST_PointOnSurface(e.geom)) LIMIT 1) AS grid
           FROM entity e WHERE e.feed_key = $1 AND e.entity_id = $2`,
        [feed, id],
      )
    ).rows[0];
  const ts = '2026-11-01T08:00:00+08:00';

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    db = stack.db;
    admin = await login(stack.url);
    const create = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ key: feed, name: '测试避难所', departmentCode: 'emergency', theme: 'emergency', kind: 'entity' }),
    });
    expect(create.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses only the bad geometries of a request, each with its reason, and stores the good ones beside them', async () => {
    const { status, body } = await put({
      entities: [
        { id: 'ok-point', ts, location: [113.3245, 23.1375] },
        { id: 'bad-nesting', ts, geometry: { type: 'Polygon', coordinates: [[1]] } },
        { id: 'ok-polygon', ts, geometry: { type: 'Polygon', coordinates: [square(113.33, 23.12)] } },
        { id: 'bad-bow-tie', ts, geometry: { type: 'Polygon', coordinates: [bowTie(113.31, 23.11)] } },
        { id: 'bad-beijing', ts, geometry: { type: 'Polygon', coordinates: [square(116.4, 39.9)] } },
        {
          id: 'ok-line',
          ts,
          geometry: {
            type: 'LineString',
            coordinates: [
              [113.3, 23.1],
              [113.32, 23.13],
            ],
          },
        },
        {
          id: 'bad-open-ring',
          ts,
          geometry: {
            type: 'Polygon',
            coordinates: [
              square(113.3, 23.1)
                .slice(0, 4)
                .concat([[113.29, 23.1]]),
            ],
          },
        },
      ],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 4 });
    expect(body.errors.map((e) => e.index)).toEqual([1, 3, 4, 6]);
    expect(body.errors[0].reason).toBe('geometry: a ring has fewer than 4 positions');
    expect(body.errors[1].reason).toMatch(/^geometry: Self-intersection\[113\.31\d* 23\.1[01]\d*\]$/);
    expect(body.errors[2].reason).toBe('geometry: outside the city bounds');
    expect(body.errors[3].reason).toMatch(/^geometry: a ring is not closed/);

    // The good ones are stored and tagged with the grid PostGIS finds under their point on surface.
    for (const id of ['ok-point', 'ok-polygon', 'ok-line']) {
      const row = await stored(id);
      expect(row).toMatchObject({ has_geom: true });
      expect(row.area_id).not.toBeNull();
      expect(row.area_id).toBe(row.grid);
      expect(row.area_path[row.area_path.length - 1]).toBe(row.area_id);
    }
    for (const id of ['bad-nesting', 'bad-bow-tie', 'bad-beijing', 'bad-open-ring']) expect(await stored(id)).toBeUndefined();
    // The refused ones are kept with their reason, like rejected records.
    const kept = (
      await db.query<{ record_index: number; reason: string }>(
        `SELECT record_index, reason FROM rejected_record WHERE feed_key = $1 ORDER BY record_index`,
        [feed],
      )
    ).rows;
    expect(kept).toEqual(body.errors.map((e) => ({ record_index: e.index, reason: e.reason })));
  });

  it('stores an entity whose geometry is null as one without a place (a Feature or a plain entity)', async () => {
    const { body } = await put({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'nowhere-feature', geometry: null, properties: { ts, status: 'closed' } },
        { type: 'Feature', id: 'bad-feature', geometry: { type: 'Point', coordinates: [1] }, properties: { ts } },
        { type: 'Feature', id: 'placed-feature', geometry: { type: 'Point', coordinates: [113.3245, 23.1375] }, properties: { ts } },
      ],
    });
    expect(body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(body.errors).toEqual([{ index: 1, reason: 'geometry: a position is not [lon, lat] within -180..180, -90..90' }]);
    const plain = await put([{ id: 'nowhere-plain', ts, geometry: null, props: { status: 'closed' } }]);
    expect(plain.body).toMatchObject({ accepted: 1, rejected: 0 });
    for (const id of ['nowhere-feature', 'nowhere-plain'])
      expect(await stored(id)).toEqual({ area_id: null, area_path: [], has_geom: false, grid: null });
    const list = (await (
      await fetch(`${stack.url}/api/feeds/${feed}/entities`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as FeedEntityRecord[];
    expect(list.find((e) => e.id === 'nowhere-feature')).toMatchObject({ geometry: null, area: null, props: { status: 'closed' } });
    const grid = (await stored('placed-feature')).grid;
    const code = (await db.query<{ code: string }>(`SELECT code FROM area WHERE id = $1`, [grid])).rows[0].code;
    expect(list.find((e) => e.id === 'placed-feature')).toMatchObject({ geometry: { type: 'Point' }, area: code });
  });

  it('refuses a request whose every entity is bad with every reason, storing nothing', async () => {
    const { status, body } = await put([
      { id: 'nul', ts, props: { note: 'a\u0000b' } },
      { id: 'empty', ts, geometry: { type: 'MultiPoint', coordinates: [] } },
    ]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: 0, rejected: 2 });
    expect(body.errors.map((e) => e.reason)).toEqual([
      'props: contains a NUL character (U+0000), which cannot be stored',
      'geometry: geometry has no coordinates',
    ]);
  });

  it('has PostGIS judge each geometry apart: one it cannot read does not fail the others in the same statement', async () => {
    const verdicts = await stack.api!.get(EntityRepository).geometryVerdicts(
      [
        { type: 'Polygon', coordinates: [[1]] },
        { type: 'Polygon', coordinates: [square(113.33, 23.12)] },
        { type: 'Polygon', coordinates: [bowTie(113.31, 23.11)] },
      ],
      stack.config.cityBounds,
    );
    expect(verdicts[0]).toEqual({
      problem: expect.stringMatching(/^not a readable GeoJSON geometry \(.*not sufficiently nested/),
      point: null,
    });
    expect(verdicts[1].problem).toBeNull();
    expect(verdicts[1].point![0]).toBeCloseTo(113.33, 2);
    expect(verdicts[1].point![1]).toBeCloseTo(23.12, 2);
    expect(verdicts[2]).toEqual({ problem: expect.stringMatching(/^Self-intersection/), point: null });
  });

  it('lets a database outage during the geometry check fail the call instead of passing it off as a bad geometry', async () => {
    const url = new URL(stack.config.databaseUrl);
    const relay = await cuttableRelay({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${relay.port}`;
    const ds = new DataSource(dataSourceOptions(url.toString(), 1));
    await ds.initialize();
    try {
      // Tiles are not asked for here: their pool connects on the first tile only.
      const entities = new EntityRepository(ds, new VectorTileQueries(stack.config));
      const polygon = { type: 'Polygon', coordinates: [square(113.33, 23.12)] };
      expect((await entities.geometryVerdicts([polygon], stack.config.cityBounds))[0].problem).toBeNull();
      await relay.cut();
      const outcome = await entities.geometryVerdicts([polygon], stack.config.cityBounds).then(
        (verdicts) => ({ verdicts }),
        (error: unknown) => ({ error }),
      );
      expect(outcome).toEqual({ error: expect.any(Error) });
    } finally {
      await ds.destroy().catch(() => undefined);
    }
  });
});
