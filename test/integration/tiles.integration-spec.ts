import { layerViewSchema, LAYER_THEMES, type LayerView } from '@cityops/contracts';
import { RedisService } from '@cityops/core';
import { tileOf } from '../support/authorization';
import { decodeTile, type DecodedFeature } from '../support/mvt';
import { createUser, login, startStack, type TestStack } from '../support/stack';

/** Two districts of the demo city, far enough apart that a zoom-12 tile never holds both. */
const TIANHE = '440106';
const BAIYUN = '440111';
const CAMERAS = 'tiles-test-cameras';
const AIR = 'tiles-test-air';

describe('vector tiles and the layer catalog', () => {
  let stack: TestStack;
  let admin: string;
  let tianheAnalyst: string;
  /** A point inside each district (its point on surface). */
  const inside: Record<string, [number, number]> = {};

  const request = (token: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  /** A tile's answer and its features by layer. */
  const tile = async (token: string, layer: string, t: { z: number; x: number; y: number }, headers: Record<string, string> = {}) => {
    const res = await request(token, `/api/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`, headers);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { res, bytes, layers: res.status === 200 ? decodeTile(bytes, t) : {} };
  };
  const features = async (token: string, layer: string, t: { z: number; x: number; y: number }): Promise<DecodedFeature[]> => {
    const { res, layers } = await tile(token, layer, t);
    expect(res.status).toBe(200);
    return Object.values(layers).flat();
  };
  const near = (a: unknown, b: [number, number], tolerance: number) => {
    const [lon, lat] = a as [number, number];
    return Math.abs(lon - b[0]) < tolerance && Math.abs(lat - b[1]) < tolerance;
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    const rows = await stack.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE code = ANY($1)`,
      [[TIANHE, BAIYUN]],
    );
    for (const r of rows.rows) inside[r.code] = [r.lon, r.lat];

    await send('POST', '/api/feeds', { key: CAMERAS, name: '测试摄像头', nameEn: 'Test cameras', theme: 'traffic', kind: 'entity' });
    await send('POST', '/api/feeds', {
      key: AIR,
      name: '测试空气',
      theme: 'environment',
      kind: 'observation',
      metrics: [{ key: 'pm25', name: 'PM2.5', unit: 'µg/m³', min: 0, max: 1000 }],
    });
    const ts = new Date().toISOString();
    await send('PUT', `/api/feeds/${CAMERAS}/entities`, {
      entities: [
        { id: 'cam-tianhe', ts, location: inside[TIANHE], props: { name: '天河摄像头', kind: 'dome', status: 'online', secret: 'x' } },
        { id: 'cam-baiyun', ts, location: inside[BAIYUN], props: { name: '白云摄像头', kind: 'fixed', status: 'offline' } },
      ],
    });
    await send('POST', `/api/feeds/${AIR}/records`, [
      { id: 'a1', metric: 'pm25', value: 30, ts, location: inside[TIANHE] },
      { id: 'a2', metric: 'pm25', value: 50, ts, location: inside[TIANHE] },
      { id: 'b1', metric: 'pm25', value: 80, ts, location: inside[BAIYUN] },
    ]);
    const analyst = await createUser(stack.url, admin, { username: 'tiles-tianhe', roles: ['analyst'], scopes: [{ area: TIANHE }] });
    tianheAnalyst = await login(stack.url, analyst.username, analyst.password);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the area levels, a located entity feed (live when small) and each metric of a located reading feed, theme by theme', async () => {
    const res = await request(admin, '/api/layers');
    expect(res.status).toBe(200);
    const layers = ((await res.json()) as unknown[]).map((l) => layerViewSchema.parse(l));
    const byKey = new Map<string, LayerView>(layers.map((l) => [l.key, l]));
    expect(['areas', 'areas-district', 'areas-street', 'areas-community', 'areas-grid'].map((k) => byKey.get(k)?.theme)).toEqual(
      Array(5).fill('base'),
    );
    // Two cameras are few: the feed is a live layer (live-layers.integration-spec.ts); the demo's 10,000 stay vector tiles.
    expect(byKey.get(`live-${CAMERAS}`)).toMatchObject({
      kind: 'live',
      name: '测试摄像头',
      nameEn: 'Test cameras',
      theme: 'traffic',
      themeName: '交通',
      url: `/api/feeds/${CAMERAS}/live`,
      legend: { symbol: 'circle' },
    });
    expect(byKey.has(`entities-${CAMERAS}`)).toBe(false);
    expect(byKey.get('entities-cameras')).toMatchObject({
      kind: 'vector',
      tiles: '/api/tiles/entities-cameras/{z}/{x}/{y}.mvt',
      sourceLayer: 'entities-cameras',
      legend: { symbol: 'circle' },
    });
    expect(byKey.get(`heat-${AIR}~pm25`)).toMatchObject({
      theme: 'environment',
      themeName: '生态环境',
      sourceLayer: 'heat',
      legend: { symbol: 'heatmap', property: 'count', unit: 'µg/m³' },
    });
    const ranks = layers.map((l) => LAYER_THEMES.findIndex((t) => t.key === l.theme));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('serves each area level with its code, name and level, and nothing below the level’s first zoom', async () => {
    const t = tileOf(...inside[TIANHE], 10);
    const { res, layers } = await tile(admin, 'areas-district', t);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(Object.keys(layers)).toEqual(['areas-district']);
    expect(layers['areas-district'].find((f) => f.properties.code === TIANHE)).toMatchObject({
      properties: { level: 'district', name: expect.any(String) },
      geometry: { type: expect.stringMatching(/Polygon/) },
    });
    const grids = await features(admin, 'areas-grid', tileOf(...inside[TIANHE], 14));
    expect(grids.length).toBeGreaterThan(0);
    expect(new Set(grids.map((f) => f.properties.level))).toEqual(new Set(['grid']));
    const tooFar = await tile(admin, 'areas-grid', tileOf(...inside[TIANHE], 8));
    expect(tooFar.res.status).toBe(200);
    expect(tooFar.bytes.length).toBe(0);
  });

  it('serves an entity feed’s located entities with a few props, where they are', async () => {
    const t = tileOf(...inside[TIANHE], 15);
    const cams = await features(admin, `entities-${CAMERAS}`, t);
    expect(cams).toHaveLength(1);
    expect(cams[0].properties).toEqual({ id: 'cam-tianhe', name: '天河摄像头', kind: 'dome', status: 'online', ts: expect.any(String) });
    expect(cams[0].geometry.type).toBe('Point');
    expect(near(cams[0].geometry.coordinates, inside[TIANHE], 1e-4)).toBe(true);
  });

  it('bins the recent readings of a metric into cells with their count and mean', async () => {
    const cells = await features(admin, `heat-${AIR}~pm25`, tileOf(...inside[TIANHE], 12));
    expect(cells).toHaveLength(1);
    expect(cells[0].properties).toEqual({ count: 2, mean: 40 });
    // A 64 px cell at zoom 12 spans about 0.0055° of longitude; its centre is within half of that.
    expect(near(cells[0].geometry.coordinates, inside[TIANHE], 0.004)).toBe(true);
  });

  it('shows a scoped caller only the features of its areas, in tiles cached apart from the city-wide ones', async () => {
    const baiyunDistrict = tileOf(...inside[BAIYUN], 10);
    const codes = async (token: string) => (await features(token, 'areas-district', baiyunDistrict)).map((f) => f.properties.code);
    expect(await codes(admin)).toContain(BAIYUN);
    expect(await codes(tianheAnalyst)).not.toContain(BAIYUN);

    const baiyunCam = tileOf(...inside[BAIYUN], 15);
    expect(await features(admin, `entities-${CAMERAS}`, baiyunCam)).toHaveLength(1);
    const hidden = await tile(tianheAnalyst, `entities-${CAMERAS}`, baiyunCam);
    expect(hidden.res.status).toBe(200);
    expect(hidden.bytes.length).toBe(0);
    expect(await features(tianheAnalyst, `entities-${CAMERAS}`, tileOf(...inside[TIANHE], 15))).toHaveLength(1);
    expect(await features(tianheAnalyst, `heat-${AIR}~pm25`, tileOf(...inside[BAIYUN], 12))).toHaveLength(0);
    expect(await features(admin, `heat-${AIR}~pm25`, tileOf(...inside[BAIYUN], 12))).toHaveLength(1);
  });

  it('refuses a z/x/y that is not a tile with 400 and names the field, and an unknown layer with 404', async () => {
    for (const path of ['3/9/1', '3/1/8', '1.5/0/0', '-1/0/0', '1e1/0/0', '0x1/0/0', '23/0/0', 'abc/0/0', '99999999999/0/0']) {
      const res = await request(admin, `/api/tiles/areas-district/${path}.mvt`);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors: { path: string }[] };
      expect(body.errors.length).toBeGreaterThan(0);
    }
    for (const layer of [
      'roads',
      'areas-city-hall',
      'entities-nope',
      `entities-${AIR}`,
      `heat-${AIR}~no2`,
      `heat-${CAMERAS}~pm25`,
      'heat-x',
    ]) {
      expect({ layer, status: (await request(admin, `/api/tiles/${layer}/10/834/444.mvt`)).status }).toEqual({ layer, status: 404 });
    }
    expect((await fetch(`${stack.url}/api/tiles/areas-district/10/834/444.mvt`)).status).toBe(401);
  });

  it('answers a tile again from the cache, 304 for its ETag, and makes it anew once the entities change', async () => {
    const t = tileOf(...inside[TIANHE], 16);
    const layer = `entities-${CAMERAS}`;
    const first = await tile(admin, layer, t);
    expect(first.res.headers.get('x-tile-cache')).toBe('miss');
    const etag = first.res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(first.res.headers.get('cache-control')).toBe('private, no-cache');
    const again = await tile(admin, layer, t);
    expect(again.res.headers.get('x-tile-cache')).toBe('memory');
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(again.res.headers.get('etag')).toBe(etag);
    const revalidated = await request(admin, `/api/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`, { 'if-none-match': etag ?? '' });
    expect(revalidated.status).toBe(304);

    await send('PUT', `/api/feeds/${CAMERAS}/entities`, [
      {
        id: 'cam-tianhe-2',
        ts: new Date().toISOString(),
        location: [inside[TIANHE][0] + 0.00002, inside[TIANHE][1]],
        props: { name: '新' },
      },
    ]);
    const changed = await tile(admin, layer, t);
    expect(changed.res.headers.get('x-tile-cache')).toBe('miss');
    expect(changed.res.headers.get('etag')).not.toBe(etag);
    expect(
      Object.values(changed.layers)
        .flat()
        .map((f) => f.properties.id)
        .sort(),
    ).toEqual(['cam-tianhe', 'cam-tianhe-2']);
    const stale = await request(admin, `/api/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`, { 'if-none-match': etag ?? '' });
    expect(stale.status).toBe(200);
  });

  it('keeps a made tile in Redis for the other API processes, and makes area tiles anew after an import', async () => {
    const t = tileOf(...inside[TIANHE], 13);
    expect((await tile(admin, 'areas-street', t)).res.headers.get('x-tile-cache')).toBe('miss');
    const api = stack.api;
    if (!api) throw new Error('no API');
    const redis = api.get(RedisService);
    const cached = await redis.client.keys(redis.key('tiles', 'areas-street|*'));
    expect(cached.length).toBeGreaterThan(0);

    const [lon, lat] = inside[TIANHE];
    const d = 0.001;
    await send('POST', '/api/areas/import', {
      level: 'street',
      codeField: 'code',
      nameField: 'name',
      featureCollection: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: 'ST-TILES', name: '瓦片街道' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [lon - d, lat - d],
                  [lon + d, lat - d],
                  [lon + d, lat + d],
                  [lon - d, lat + d],
                  [lon - d, lat - d],
                ],
              ],
            },
          },
        ],
      },
    });
    const after = await tile(admin, 'areas-street', t);
    expect(after.res.headers.get('x-tile-cache')).toBe('miss');
    expect(after.layers['areas-street'].map((f) => f.properties.code)).toContain('ST-TILES');
  });
});
