import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { appConfigViewSchema, layerViewSchema, sceneViewSchema, type AppConfigView, type SceneView } from '@cityops/contracts';
import { loadConfig } from '@cityops/core';
import { MARATHON_SCENE, MARATHON_SCENE_KEY } from '@cityops/demo';
import { IndicatorService } from '@cityops/indicators';
import { migrateDatabase } from '../../apps/worker/src/database-setup';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { PrepareService } from '../../apps/worker/src/prepare.service';
import { kioskLogin, login, startStack, type TestStack } from '../support/stack';
import { databaseUrl, runId, testEnv } from '../support/test-env';

/** The demo's wall scenes in the wall's order (the marathon first: position 0). */
const DEMO_SCENES = ['gz-marathon', 'gz-overview', 'gz-flood', 'gz-tianhe'];

/** Not the default, so an answer that carries it came from the configuration. */
const CITY_BOUNDS = '113.1,22.9,113.7,23.5';

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { title: string; status: number; errors?: { path: string; message: string }[] };
  expect(body.status).toBe(res.status);
  return body;
}

/** A scene body for PUT /api/scenes/:key, over the demo's zone set and indicator unless told otherwise. */
function sceneBody(overrides: Record<string, unknown> = {}) {
  return {
    name: '珠江夜跑 · 实时人流',
    nameEn: 'Pearl River night run',
    zoneSet: 'gz-marathon',
    indicatorKey: 'marathon.segment_load',
    feedKey: 'marathon-crowd',
    totalLabel: '在场人数',
    totalLabelEn: 'People on the route',
    zoneLabel: '路段',
    zoneLabelEn: 'sections',
    position: 5,
    ...overrides,
  };
}

describe('wall scenes and app-config: what the wall shows comes from the data (demo database)', () => {
  let stack: TestStack;
  let admin: string;
  const get = (path: string, token = admin) => fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const put = (path: string, body: unknown, token = admin) =>
    fetch(`${stack.url}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const appConfig = async (): Promise<AppConfigView> => appConfigViewSchema.parse(await (await get('/api/app-config')).json());

  beforeAll(async () => {
    stack = await startStack({ workers: 0, env: { CITY_BOUNDS } });
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('names the city from its city-level area, frames the map with CITY_BOUNDS and serves the demo scene', async () => {
    const config = await appConfig();
    const city = (await stack.db.query(`SELECT name, name_en, ST_X(center) AS lon, ST_Y(center) AS lat FROM area WHERE level = 'city'`))
      .rows[0];
    expect(config.city).toEqual({
      name: city.name,
      nameEn: city.name_en,
      center: [city.lon, city.lat],
      bounds: [
        [113.1, 22.9],
        [113.7, 23.5],
      ],
    });
    expect(config.city.name).toBe('广州市');
    expect(config.demo).toBe(true);
    // The demo's scenes; the marathon as its seeder defined it.
    expect(config.scenes.map((s) => s.key)).toEqual(DEMO_SCENES);
    expect(config.scenes[0]).toEqual({ key: MARATHON_SCENE_KEY, ...MARATHON_SCENE });
  });

  it('needs a token for app-config and scenes, and lets the kiosk read them', async () => {
    for (const path of ['/api/app-config', '/api/scenes', '/api/scenes/gz-marathon']) {
      expect((await fetch(`${stack.url}${path}`)).status).toBe(401);
    }
    const kiosk = await kioskLogin(stack.url);
    expect((await get('/api/app-config', kiosk)).status).toBe(200);
    expect((await get('/api/scenes/gz-marathon', kiosk)).status).toBe(200);
  });

  it('answers an unknown scene with 404 and a malformed key with 400, as problem+json', async () => {
    const unknown = await get('/api/scenes/no-such-scene');
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).title).toBe('Unknown scene');
    const malformed = await get(`/api/scenes/${encodeURIComponent('Not A Key!')}`);
    expect(malformed.status).toBe(400);
    expect((await problem(malformed)).errors).toEqual([expect.objectContaining({ path: 'key' })]);
  });

  it('lists the zone sets as layers, each linked to the indicator of the scene that shows it', async () => {
    const layers = ((await (await get('/api/layers')).json()) as unknown[]).map((l) => layerViewSchema.parse(l));
    // The area layers first (theme `base`), the cases (theme `urban_management`, for those who may read cases), then
    // the zone set (theme `major_events`), then the one feed of this database with located data: the demo's cameras
    // (an entity feed; no reading feed has located data here).
    expect(layers.map((l) => l.key)).toEqual([
      'areas',
      'areas-district',
      'areas-street',
      'areas-community',
      'areas-grid',
      'cases',
      'zones-gz-marathon',
      'entities-cameras',
    ]);
    expect(layers[5]).toMatchObject({ kind: 'cases', url: '/api/cases/map', channel: 'cases', theme: 'urban_management' });
    expect(layers[6]).toEqual({
      key: 'zones-gz-marathon',
      name: '广州马拉松赛道',
      nameEn: 'Guangzhou Marathon course',
      kind: 'geojson',
      url: '/api/areas?zoneSet=gz-marathon&geometry=true',
      zoneSet: 'gz-marathon',
      indicator: 'marathon.segment_load',
      scene: 'gz-marathon',
      theme: 'major_events',
      themeName: '重大活动',
      themeNameEn: 'Major events',
    });
  });

  it('saves a scene an admin PUTs, in order after the demo one, and a second PUT of the same body changes nothing', async () => {
    const key = `night-run-${randomBytes(3).toString('hex')}`;
    try {
      const first = await put(`/api/scenes/${key}`, sceneBody());
      expect(first.status).toBe(200);
      const saved = sceneViewSchema.parse(await first.json());
      expect(saved).toMatchObject({ key, totalUnit: null, zoneUnit: null, enabled: true, position: 5 });
      const again = await put(`/api/scenes/${key}`, sceneBody());
      expect(await again.json()).toEqual(saved);
      expect((await stack.db.query(`SELECT count(*)::int AS n FROM scene WHERE key = $1`, [key])).rows[0].n).toBe(1);
      expect((await appConfig()).scenes.map((s) => s.key)).toEqual(['gz-marathon', key, ...DEMO_SCENES.slice(1)]);

      // Disabled: kept and listed, but no longer offered to the wall.
      expect((await put(`/api/scenes/${key}`, sceneBody({ enabled: false }))).status).toBe(200);
      expect((await appConfig()).scenes.map((s) => s.key)).toEqual(DEMO_SCENES);
      const all = (await (await get('/api/scenes')).json()) as SceneView[];
      expect(all.map((s) => [s.key, s.enabled]).slice(0, 2)).toEqual([
        ['gz-marathon', true],
        [key, false],
      ]);
    } finally {
      await stack.db.query(`DELETE FROM scene WHERE key = $1`, [key]);
    }
  });

  it('refuses a scene whose references do not exist or do not fit, listing each problem, and stores nothing', async () => {
    const unknownRefs = await put(
      '/api/scenes/bad-refs',
      sceneBody({ zoneSet: 'no-such-zones', indicatorKey: 'no.such', feedKey: 'no-feed' }),
    );
    expect(unknownRefs.status).toBe(400);
    expect((await problem(unknownRefs)).errors).toEqual([
      { path: 'zoneSet', message: 'no zone set no-such-zones' },
      { path: 'indicatorKey', message: 'no indicator no.such (GET /api/indicators)' },
      { path: 'feedKey', message: 'no feed no-feed (GET /api/feeds)' },
    ]);

    const invalid = await put('/api/scenes/bad-body', { name: '', zoneSet: 'gz-marathon', colour: 'red' });
    expect(invalid.status).toBe(400);
    const paths = (await problem(invalid)).errors?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'indicatorKey', 'totalLabel', 'zoneLabel']));
    expect(paths?.some((p) => p === '(root)' || p === 'colour')).toBe(true);

    expect((await stack.db.query(`SELECT count(*)::int AS n FROM scene WHERE key IN ('bad-refs', 'bad-body')`)).rows[0].n).toBe(0);
  });

  it('lets only admins write scenes', async () => {
    const kiosk = await kioskLogin(stack.url);
    expect((await put('/api/scenes/kiosk-scene', sceneBody(), kiosk)).status).toBe(403);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM scene WHERE key = 'kiosk-scene'`)).rows[0].n).toBe(0);
  });

  it('serves no scene, and layers without an indicator, while the scene table is empty', async () => {
    const saved = await stack.db.query(`SELECT * FROM scene`);
    await stack.db.query(`DELETE FROM scene`);
    try {
      expect((await appConfig()).scenes).toEqual([]);
      expect(await (await get('/api/scenes')).json()).toEqual([]);
      const layers = (await (await get('/api/layers')).json()) as { key: string; indicator?: string | null }[];
      expect(layers.find((l) => l.key === 'zones-gz-marathon')).toMatchObject({ indicator: null, scene: null });
    } finally {
      for (const row of saved.rows) {
        const columns = Object.keys(row);
        await stack.db.query(
          `INSERT INTO scene (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          // jsonb columns go back as JSON text (pg would send an array as a Postgres array).
          columns.map((c) =>
            typeof row[c] === 'object' && row[c] !== null && !(row[c] instanceof Date) ? JSON.stringify(row[c]) : row[c],
          ),
        );
      }
    }
  });
});

describe('a deployment without the demo: no demo names anywhere, its own event configured as data', () => {
  let stack: TestStack;
  let admin: string;
  const request = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    // A database of its own, prepared like `cli.js prepare --no-demo`: schema, departments, admin.
    const suffix = randomBytes(4).toString('hex');
    const config = loadConfig(
      testEnv({ DATABASE_URL: databaseUrl(`cityops_test_${runId()}_nodemo_${suffix}`), REDIS_PREFIX: `cityops-test-${runId()}-${suffix}` }),
    );
    await migrateDatabase(config);
    const prepare = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: false, abortOnError: false });
    try {
      expect(await prepare.get(PrepareService).run({ demo: false })).toEqual({ adminCreated: true, demo: null });
    } finally {
      await prepare.close();
    }
    stack = await startStack({ workers: 0, config });
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers app-config with no city, the middle of CITY_BOUNDS, no demo and no scene', async () => {
    const config = appConfigViewSchema.parse(await (await request('GET', '/api/app-config')).json());
    const [minLon, minLat, maxLon, maxLat] = stack.config.cityBounds;
    expect(config).toEqual({
      basemapStyleUrl: null,
      city: {
        name: null,
        nameEn: null,
        center: [(minLon + maxLon) / 2, (minLat + maxLat) / 2],
        bounds: [
          [minLon, minLat],
          [maxLon, maxLat],
        ],
      },
      demo: false,
      scenes: [],
    });
    // The area layers and the cases only: no zone set, and no feed with data.
    expect(((await (await request('GET', '/api/layers')).json()) as { key: string }[]).map((l) => l.key)).toEqual([
      'areas',
      'areas-district',
      'areas-street',
      'areas-community',
      'areas-grid',
      'cases',
    ]);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM department`)).rows[0].n).toBe(24);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM feed`)).rows[0].n).toBe(0);
  });

  it('shows its own event once its zones, feed, indicator and scene exist', async () => {
    const square = (lon: number, lat: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon + 0.01, lat],
          [lon + 0.01, lat + 0.01],
          [lon, lat + 0.01],
          [lon, lat],
        ],
      ],
    });
    const imported = await request('POST', '/api/areas/import', {
      level: 'zone',
      codeField: 'code',
      nameField: 'name',
      zoneSet: 'flower-fair',
      featureCollection: {
        type: 'FeatureCollection',
        features: [1, 2].map((seq) => ({
          type: 'Feature',
          geometry: square(113.26 + seq * 0.02, 23.12),
          properties: { code: `FF-${seq}`, name: `花市第${seq}段`, seq, capacity: 500 },
        })),
      },
    });
    expect(imported.status).toBe(200);
    const feed = await request('POST', '/api/feeds', {
      key: 'flower-fair-gates',
      name: '花市入口计数',
      departmentCode: 'culture-tourism',
      metrics: [{ key: 'headcount' }],
      zoneSet: 'flower-fair',
    });
    expect(feed.status).toBe(201);
    await stack.api!.get(IndicatorService).upsert({
      key: 'flower-fair.load',
      name: '花市负荷',
      nameEn: 'Flower fair load',
      unit: 'ratio',
      grouping: { zoneSet: 'flower-fair' },
      source: {
        kind: 'aggregate',
        feed: 'flower-fair-gates',
        metric: 'headcount',
        windowSeconds: 600,
        perEntity: 'latest',
        across: 'sum',
        normalise: 'per_capacity',
      },
      thresholds: {
        levels: [
          { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
          { level: 'critical', op: '>=', value: 1 },
        ],
      },
    });

    const fair = {
      name: '迎春花市 · 实时人流',
      nameEn: 'Spring flower fair · Live crowd',
      zoneSet: 'flower-fair',
      indicatorKey: 'flower-fair.load',
      feedKey: 'flower-fair-gates',
      totalLabel: '在场人数',
      totalLabelEn: 'Visitors',
      zoneLabel: '花街',
      zoneLabelEn: 'streets',
      zoneUnit: '条',
    };
    // References that exist but do not fit: the wall would colour zones by values of other zones.
    expect((await request('POST', '/api/feeds', { key: 'fair-weather', name: '花市天气', metrics: [{ key: 'rain' }] })).status).toBe(201);
    const misfit = await request('PUT', '/api/scenes/flower-fair', { ...fair, zoneSet: 'flower-fair', feedKey: 'fair-weather' });
    expect(misfit.status).toBe(400);
    expect((await problem(misfit)).errors).toEqual([
      { path: 'feedKey', message: 'feed fair-weather is not a source of indicator flower-fair.load' },
    ]);

    const scene = await request('PUT', '/api/scenes/flower-fair', fair);
    expect(scene.status).toBe(200);

    const config = appConfigViewSchema.parse(await (await request('GET', '/api/app-config')).json());
    expect(config.scenes).toEqual([
      expect.objectContaining({ key: 'flower-fair', zoneSet: 'flower-fair', indicatorKey: 'flower-fair.load' }),
    ]);
    const layers = (await (await request('GET', '/api/layers')).json()) as unknown[];
    expect(layers).toContainEqual(
      expect.objectContaining({ key: 'zones-flower-fair', indicator: 'flower-fair.load', scene: 'flower-fair' }),
    );
    expect(JSON.stringify({ config, layers })).not.toMatch(/marathon|GZM/i);
  });
});
