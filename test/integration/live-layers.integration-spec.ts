import type { Socket } from 'socket.io-client';
import {
  layerViewSchema,
  liveFeatureCollectionSchema,
  liveLayerDeltaSchema,
  entitySeriesSchema,
  ENTITY_SERIES_MAX_PROPS,
  type EntitySeries,
  type LayerView,
  type LiveLayerDelta,
} from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { createUser, login, startStack, type TestStack } from '../support/stack';

/** Three districts of the demo city. */
const TIANHE = '440106';
const BAIYUN = '440111';
const YUEXIU = '440104';
/** A reading feed with two sensors (one per district) and an entity feed with two devices. */
const SENSORS = 'live-test-air';
const DEVICES = 'live-test-devices';
const INDICATOR = 'live-test.aqi_max';
/** An entity feed whose pumps report numeric props (a water level among them, declared as a metric). */
const PUMPS = 'live-test-pumps';
const LEVEL_INDICATOR = 'live-test.level_max';

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

describe('live layers: a small feed whole as GeoJSON, kept current by socket deltas; an entity’s trend', () => {
  let stack: TestStack;
  let admin: string;
  let tianheAnalyst: string;
  let baiyunAnalyst: string;
  let yuexiuAnalyst: string;
  const inside: Record<string, [number, number]> = {};
  const sockets: Socket[] = [];

  const get = (token: string | null, path: string) =>
    fetch(`${stack.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<{ accepted?: number }>;
  };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const reading = (entity: string, value: number, ts: string, at: [number, number], id = `${entity}-${ts}`) => ({
    id,
    entity,
    metric: 'aqi',
    value,
    ts,
    location: at,
    props: { name: `站点 ${entity}` },
  });
  const listen = async (token: string, channel: string) => {
    const live = await connectLive(stack.url, token, [channel]);
    sockets.push(live.socket);
    expect(live.ack).toEqual({ ok: true, channels: [channel] });
    return live;
  };
  const deltas = (events: { event: string; payload: unknown }[]) =>
    events.filter((e) => e.event === 'layer.delta').map((e) => liveLayerDeltaSchema.parse(e.payload));
  /** Every change a listener heard about one entity, in order: `remove`, or the op of a change with the feature's area code. */
  const heardOf = (events: { event: string; payload: unknown }[], id: string) =>
    deltas(events).flatMap((d) =>
      d.changes.flatMap((c) => {
        if (c.op === 'remove') return c.id === id ? ['remove'] : [];
        return c.feature.id === id ? [`${c.op} ${String(c.feature.properties.area)}`] : [];
      }),
    );
  const districtOf = async (id: string) => {
    const { rows } = await stack.db.query<{ district: string | null }>(
      `SELECT (SELECT d.code FROM area d WHERE d.level = 'district' AND d.id = ANY(e.area_path)) AS district
         FROM entity e WHERE e.entity_id = $1`,
      [id],
    );
    return rows[0]?.district ?? null;
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    const rows = await stack.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE code = ANY($1)`,
      [[TIANHE, BAIYUN, YUEXIU]],
    );
    for (const r of rows.rows) inside[r.code] = [r.lon, r.lat];

    await send('POST', '/api/feeds', {
      key: SENSORS,
      name: '测试空气站',
      nameEn: 'Test air stations',
      theme: 'environment',
      metrics: [{ key: 'aqi', name: '空气质量指数', unit: 'AQI', min: 0, max: 500 }],
      expectedIntervalSeconds: 60,
    });
    await send('POST', '/api/feeds', { key: DEVICES, name: '测试设备', theme: 'water', kind: 'entity' });
    // A day of the Tianhe sensor (one reading an hour) and a reading of the Baiyun one.
    await send('POST', `/api/feeds/${SENSORS}/records`, [
      ...Array.from({ length: 24 }, (_, h) => reading('s-tianhe', 50 + h, minutesAgo(60 * (23 - h) + 5), inside[TIANHE])),
      reading('s-baiyun', 120, minutesAgo(5), inside[BAIYUN]),
    ]);
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [
        { id: 'd-tianhe', ts: minutesAgo(5), location: inside[TIANHE], props: { name: '天河泵站', status: 'online' } },
        { id: 'd-baiyun', ts: minutesAgo(5), location: inside[BAIYUN], props: { name: '白云泵站', status: 'online' } },
      ],
    });
    await send('POST', '/api/indicators', {
      key: INDICATOR,
      name: '测试最高AQI',
      theme: 'environment',
      grouping: { levels: ['district'] },
      source: { kind: 'aggregate', feed: SENSORS, metric: 'aqi', windowSeconds: 3600, perEntity: 'latest', across: 'max' },
      thresholds: { levels: [{ level: 'warning', op: '>=', value: 100 }] },
    });
    const analyst = await createUser(stack.url, admin, { username: 'live-tianhe', roles: ['analyst'], scopes: [{ area: TIANHE }] });
    tianheAnalyst = await login(stack.url, analyst.username, analyst.password);
    const baiyun = await createUser(stack.url, admin, { username: 'live-baiyun', roles: ['analyst'], scopes: [{ area: BAIYUN }] });
    baiyunAnalyst = await login(stack.url, baiyun.username, baiyun.password);
    const yuexiu = await createUser(stack.url, admin, { username: 'live-yuexiu', roles: ['analyst'], scopes: [{ area: YUEXIU }] });
    yuexiuAnalyst = await login(stack.url, yuexiu.username, yuexiu.password);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await stack?.stop();
  });

  it('offers a feed with few located entities as a live layer and keeps the 10,000 cameras as vector tiles', async () => {
    const res = await get(admin, '/api/layers');
    expect(res.status).toBe(200);
    const layers = ((await res.json()) as unknown[]).map((l) => layerViewSchema.parse(l));
    const byKey = new Map<string, LayerView>(layers.map((l) => [l.key, l]));
    expect(byKey.get(`live-${SENSORS}`)).toEqual({
      key: `live-${SENSORS}`,
      name: '测试空气站',
      nameEn: 'Test air stations',
      kind: 'live',
      feed: SENSORS,
      feedKind: 'observation',
      theme: 'environment',
      themeName: '生态环境',
      themeNameEn: 'Ecology and environment',
      url: `/api/feeds/${SENSORS}/live`,
      channel: `layer:${SENSORS}`,
      entities: 2,
      metrics: [{ key: 'aqi', name: '空气质量指数', unit: 'AQI', min: 0, max: 500 }],
      legend: { symbol: 'circle', color: expect.any(String) as string },
    });
    // The sensor's readings stay a heat layer too; an entity feed that small is listed only live.
    expect(byKey.get(`heat-${SENSORS}~aqi`)?.kind).toBe('vector');
    expect(byKey.get(`live-${DEVICES}`)).toMatchObject({ kind: 'live', feedKind: 'entity', entities: 2 });
    expect(byKey.has(`entities-${DEVICES}`)).toBe(false);
    expect(byKey.get('entities-cameras')?.kind).toBe('vector');
    expect(byKey.has('live-cameras')).toBe(false);
  });

  it('answers a live layer whole, each sensor with its newest reading, cut to the caller’s scope', async () => {
    const all = liveFeatureCollectionSchema.parse(await (await get(admin, `/api/feeds/${SENSORS}/live`)).json());
    expect(all.features.map((f) => f.id).sort()).toEqual(['s-baiyun', 's-tianhe']);
    const tianhe = all.features.find((f) => f.id === 's-tianhe');
    expect(tianhe?.geometry.coordinates).toEqual([expect.closeTo(inside[TIANHE][0], 5), expect.closeTo(inside[TIANHE][1], 5)]);
    expect(tianhe?.properties).toMatchObject({ id: 's-tianhe', name: '站点 s-tianhe', 'value:aqi': 73 });

    const scoped = liveFeatureCollectionSchema.parse(await (await get(tianheAnalyst, `/api/feeds/${SENSORS}/live`)).json());
    expect(scoped.features.map((f) => f.id)).toEqual(['s-tianhe']);
    const devices = liveFeatureCollectionSchema.parse(await (await get(tianheAnalyst, `/api/feeds/${DEVICES}/live`)).json());
    expect(devices.features.map((f) => [f.id, f.properties.name, f.properties.status])).toEqual([['d-tianhe', '天河泵站', 'online']]);

    expect((await get(null, `/api/feeds/${SENSORS}/live`)).status).toBe(401);
    expect((await get(admin, '/api/feeds/no-such-feed/live')).status).toBe(404);
    const bad = await get(admin, '/api/feeds/Not%20A%20Key/live');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).errors?.map((e) => e.path)).toContain('key');
  });

  it('answers an entity’s day per metric in buckets, with its unit, range and the thresholds of the indicator that reads it', async () => {
    const res = await get(admin, `/api/feeds/${SENSORS}/entities/s-tianhe/series?hours=24&points=24`);
    expect(res.status).toBe(200);
    const series = entitySeriesSchema.parse(await res.json());
    expect(series).toMatchObject({ feed: SENSORS, entity: 's-tianhe', bucketSeconds: 3600 });
    expect(series.metrics).toHaveLength(1);
    const [aqi] = series.metrics;
    expect(aqi.metric).toEqual({ key: 'aqi', name: '空气质量指数', unit: 'AQI', min: 0, max: 500 });
    expect(aqi.thresholds).toEqual([
      { indicator: INDICATOR, name: '测试最高AQI', nameEn: null, levels: [{ level: 'warning', op: '>=', value: 100 }] },
    ]);
    // 24 hourly readings, one per hourly bucket (the window's edge may split the first hour in two).
    expect(aqi.points.reduce((n, p) => n + p.count, 0)).toBe(24);
    expect(aqi.points.length).toBeGreaterThanOrEqual(24);
    expect(aqi.points.length).toBeLessThanOrEqual(25);
    expect(aqi.points.at(-1)).toMatchObject({ avg: 73, min: 73, max: 73 });
  });

  it('answers 404 for an unknown entity or one outside the scope, 400 naming the field for bad parameters, 401 without a token', async () => {
    expect((await get(admin, `/api/feeds/${SENSORS}/entities/nobody/series`)).status).toBe(404);
    expect((await get(admin, `/api/feeds/no-such-feed/entities/s-tianhe/series`)).status).toBe(404);
    expect((await get(tianheAnalyst, `/api/feeds/${SENSORS}/entities/s-baiyun/series`)).status).toBe(404);
    expect((await get(tianheAnalyst, `/api/feeds/${SENSORS}/entities/s-tianhe/series`)).status).toBe(200);
    // A device of an entity feed with no readings is known (an empty series); outside the scope it is not.
    const device = entitySeriesSchema.parse(await (await get(admin, `/api/feeds/${DEVICES}/entities/d-tianhe/series`)).json());
    expect(device.metrics).toEqual([]);
    expect((await get(tianheAnalyst, `/api/feeds/${DEVICES}/entities/d-baiyun/series`)).status).toBe(404);
    for (const [query, field] of [
      ['hours=0', 'hours'],
      ['hours=1000', 'hours'],
      ['points=1', 'points'],
      ['points=100000', 'points'],
      ['hours=abc', 'hours'],
    ]) {
      const res = await get(admin, `/api/feeds/${SENSORS}/entities/s-tianhe/series?${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors?.map((e) => e.path)).toContain(field);
    }
    expect((await get(admin, `/api/feeds/${SENSORS}/entities/${'x'.repeat(201)}/series`)).status).toBe(400);
    expect((await get(null, `/api/feeds/${SENSORS}/entities/s-tianhe/series`)).status).toBe(401);
  });

  describe('an entity feed’s numeric props', () => {
    /** Two states a half-hour bucket, in the four buckets of the last two hours: each bucket's levels are [low, low + 2]. */
    const pumpStates = (id: string, at: [number, number]) =>
      [100, 95, 70, 65, 40, 35, 10, 5].map((m, i) => ({
        id,
        ts: minutesAgo(m),
        location: at,
        props: {
          name: `泵站 ${id}`,
          level: Math.floor(i / 2) + (i % 2 === 0 ? 0 : 2),
          flow: 100 + i,
          status: 'online',
          // Neither numbers nor anything a trend could draw.
          code: '42',
          alarm: i % 2 === 0,
          nested: { level: 9 },
          history: [1, 2, 3],
          empty: null,
        },
      }));
    const series = async (token: string, id: string, query = 'hours=2&points=4'): Promise<EntitySeries> => {
      const res = await get(token, `/api/feeds/${PUMPS}/entities/${id}/series?${query}`);
      expect(res.status).toBe(200);
      return entitySeriesSchema.parse(await res.json());
    };

    beforeAll(async () => {
      await send('POST', '/api/feeds', {
        key: PUMPS,
        name: '测试泵站',
        theme: 'water',
        kind: 'entity',
        metrics: [{ key: 'level', name: '水位', unit: 'm', min: 0, max: 10 }],
      });
      await send('PUT', `/api/feeds/${PUMPS}/entities`, {
        entities: [
          // A state older than the window: not in the trend.
          { id: 'p-tianhe', ts: minutesAgo(200), location: inside[TIANHE], props: { level: 50, flow: 50 } },
          ...pumpStates('p-tianhe', inside[TIANHE]),
          ...pumpStates('p-baiyun', inside[BAIYUN]),
          // A prop-heavy pump: p9 in ten states, p8 in nine, …, p0 in one; its level (a declared metric) in one.
          ...Array.from({ length: 10 }, (_, j) => ({
            id: 'p-many',
            ts: minutesAgo(50 - j),
            location: inside[TIANHE],
            props: { ...Object.fromEntries(Array.from({ length: j + 1 }, (_, i) => [`p${9 - i}`, j])), ...(j === 9 ? { level: 1 } : {}) },
          })),
        ],
      });
      // An indicator over the feed's `level` readings: it reads no prop, so it draws no line on a prop's trend.
      await send('POST', '/api/indicators', {
        key: LEVEL_INDICATOR,
        name: '测试最高水位',
        theme: 'water',
        grouping: { levels: ['district'] },
        source: { kind: 'aggregate', feed: PUMPS, metric: 'level', windowSeconds: 3600, perEntity: 'latest', across: 'max' },
        thresholds: { levels: [{ level: 'warning', op: '>=', value: 3 }] },
      });
    });

    it('answers a pump’s numeric props per half-hour bucket, named and ranged by the feed’s metric of that key, without thresholds', async () => {
      const pump = await series(admin, 'p-tianhe');
      expect(pump).toMatchObject({ feed: PUMPS, entity: 'p-tianhe', bucketSeconds: 1800 });
      // The prop the feed declares as a metric first.
      expect(pump.metrics.map((m) => [m.metric.key, m.source])).toEqual([
        ['level', 'prop'],
        ['flow', 'prop'],
      ]);
      const [level, flow] = pump.metrics;
      expect(level.metric).toEqual({ key: 'level', name: '水位', unit: 'm', min: 0, max: 10 });
      expect(level.thresholds).toEqual([]);
      expect(flow.metric).toEqual({ key: 'flow', name: null, unit: null, min: null, max: null });
      expect(level.points.map(({ avg, min, max, count }) => ({ avg, min, max, count }))).toEqual([
        { avg: 1, min: 0, max: 2, count: 2 },
        { avg: 2, min: 1, max: 3, count: 2 },
        { avg: 3, min: 2, max: 4, count: 2 },
        { avg: 4, min: 3, max: 5, count: 2 },
      ]);
      // Each bucket starts a half-hour after the one before, from the window's start (to the second).
      const starts = level.points.map((p) => Date.parse(p.ts));
      expect(Math.floor(Date.parse(pump.from) / 1000) * 1000).toBe(starts[0]);
      expect(starts.slice(1).map((t, i) => t - starts[i])).toEqual([1800_000, 1800_000, 1800_000]);
      expect(flow.points.map((p) => p.avg)).toEqual([100.5, 102.5, 104.5, 106.5]);

      // A day in minute buckets: each state alone in its bucket, the one of 200 minutes ago now inside.
      const day = await series(admin, 'p-tianhe', 'hours=24&points=500');
      expect(day.bucketSeconds).toBe(180);
      const dayLevel = day.metrics.find((m) => m.metric.key === 'level');
      expect(dayLevel?.points.map((p) => p.count)).toEqual(Array.from({ length: 9 }, () => 1));
      expect(dayLevel?.points[0].avg).toBe(50);
      const hour = await series(admin, 'p-tianhe', 'hours=1&points=500');
      expect(hour.bucketSeconds).toBe(60);
    });

    it('keeps the declared prop, then those with the most states, when an entity has many', async () => {
      const many = await series(admin, 'p-many');
      expect(many.metrics.map((m) => m.metric.key)).toEqual([
        'level',
        ...Array.from({ length: ENTITY_SERIES_MAX_PROPS - 1 }, (_, i) => `p${9 - i}`).sort(),
      ]);
      const counts = new Map(many.metrics.map((m) => [m.metric.key, m.points.reduce((n, p) => n + p.count, 0)]));
      expect(counts.get('p9')).toBe(10);
      expect(counts.get('p3')).toBe(4);
      expect(counts.get('level')).toBe(1);
    });

    it('leaves out a number a double cannot hold rather than failing', async () => {
      // The API's JSON parsing could not store it (it would read Infinity and write null); a direct write can.
      await stack.db.query(
        `INSERT INTO entity_history (feed_key, entity_id, ts, props) VALUES ($1, 'p-tianhe', now() - interval '1 minute', '{"level": 1e400, "tiny": 1e-400}')`,
        [PUMPS],
      );
      const pump = await series(admin, 'p-tianhe');
      expect(pump.metrics.map((m) => m.metric.key)).toEqual(['level', 'flow']);
      expect(pump.metrics[0].points.reduce((n, p) => n + p.count, 0)).toBe(8);
    });

    it('answers a scoped caller its own pumps’ props and 404 for a pump outside its scope', async () => {
      expect((await series(tianheAnalyst, 'p-tianhe')).metrics.map((m) => m.metric.key)).toEqual(['level', 'flow']);
      expect((await get(tianheAnalyst, `/api/feeds/${PUMPS}/entities/p-baiyun/series`)).status).toBe(404);
      expect((await series(admin, 'p-baiyun')).metrics).toHaveLength(2);
      expect((await get(admin, `/api/feeds/${PUMPS}/entities/nobody/series`)).status).toBe(404);
    });
  });

  it('publishes a stored reading as a delta on the feed’s channel, to each listener only within its scope', async () => {
    const everyone = await listen(admin, `layer:${SENSORS}`);
    const tianhe = await listen(tianheAnalyst, `layer:${SENSORS}`);
    const moved: [number, number] = [inside[BAIYUN][0] + 0.001, inside[BAIYUN][1] + 0.001];
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-baiyun', 160, minutesAgo(0), moved)]);
    const [seen] = await waitFor(() => {
      const got = deltas(everyone.events);
      return got.length ? got : null;
    });
    expect(seen).toEqual({
      feed: SENSORS,
      changes: [
        {
          op: 'merge',
          feature: {
            type: 'Feature',
            id: 's-baiyun',
            geometry: { type: 'Point', coordinates: moved },
            properties: expect.objectContaining({ id: 's-baiyun', 'value:aqi': 160, area: expect.any(String) as string }) as Record<
              string,
              unknown
            >,
          },
        },
      ],
    } satisfies LiveLayerDelta);

    // Then a reading in Tianhe: the Tianhe analyst hears it, and had heard nothing before it.
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-tianhe', 99, minutesAgo(0), inside[TIANHE])]);
    // (The Baiyun delta reaches it cut to its scope: with no change in it.)
    const ids = (events: { event: string; payload: unknown }[]) =>
      deltas(events).flatMap((d) => d.changes.map((c) => (c.op === 'remove' ? c.id : c.feature.id)));
    await waitFor(() => ids(tianhe.events).length > 0, 10_000, 'the Tianhe analyst hears the Tianhe reading');
    expect(ids(tianhe.events)).toEqual(['s-tianhe']);
    await waitFor(() => deltas(everyone.events).length === 2, 10_000, 'the admin hears the Tianhe reading too');
  });

  it('publishes an entity feed’s new states whole, and an entity that lost its place as a removal', async () => {
    const everyone = await listen(admin, `layer:${DEVICES}`);
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [
        { id: 'd-tianhe', ts: minutesAgo(0), location: inside[TIANHE], props: { name: '天河泵站', status: 'fault' } },
        { id: 'd-baiyun', ts: minutesAgo(0), props: { name: '白云泵站', status: 'offline' } },
      ],
    });
    const [delta] = await waitFor(() => {
      const got = deltas(everyone.events);
      return got.length ? got : null;
    });
    const byId = new Map(delta.changes.map((c) => [c.op === 'remove' ? c.id : c.feature.id, c]));
    expect(byId.get('d-tianhe')).toMatchObject({ op: 'replace', feature: { properties: { status: 'fault', name: '天河泵站' } } });
    expect(byId.get('d-baiyun')).toEqual({ op: 'remove', id: 'd-baiyun' });
    // An older state changes nothing, so nothing is published for it.
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-tianhe', ts: minutesAgo(30), location: inside[TIANHE], props: { status: 'online' } }],
    });
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-tianhe', ts: minutesAgo(-0.01), location: inside[TIANHE], props: { status: 'online' } }],
    });
    const all = await waitFor(() => {
      const got = deltas(everyone.events);
      return got.length >= 2 ? got : null;
    });
    expect(all).toHaveLength(2);
    expect(all[1].changes).toMatchObject([{ op: 'replace', feature: { id: 'd-tianhe', properties: { status: 'online' } } }]);
  });

  it('tells the listeners of the district an entity left of its removal, the new district’s of its state, and nobody else of anything', async () => {
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-mover', ts: minutesAgo(3), location: inside[TIANHE], props: { name: '移动泵车' } }],
    });
    const [everyone, tianhe, baiyun, yuexiu] = await Promise.all(
      [admin, tianheAnalyst, baiyunAnalyst, yuexiuAnalyst].map((token) => listen(token, `layer:${DEVICES}`)),
    );
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-mover', ts: minutesAgo(2), location: inside[BAIYUN], props: { name: '移动泵车' } }],
    });
    await waitFor(() => heardOf(tianhe.events, 'd-mover').length > 0, 10_000, 'the Tianhe analyst hears the device leave');
    await waitFor(() => heardOf(baiyun.events, 'd-mover').length > 0, 10_000, 'the Baiyun analyst hears the device arrive');
    await waitFor(() => heardOf(everyone.events, 'd-mover').length > 0, 10_000, 'the admin hears the device move');
    expect(heardOf(tianhe.events, 'd-mover')).toEqual(['remove']);
    expect(heardOf(baiyun.events, 'd-mover')).toEqual([expect.stringMatching(/^replace /)]);
    expect(heardOf(everyone.events, 'd-mover')).toEqual(heardOf(baiyun.events, 'd-mover'));
    // A device in Yuexiu, written after the move: once the Yuexiu analyst heard it, it would have
    // heard the move (deltas of one process arrive in order) had it been told anything.
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-yuexiu', ts: minutesAgo(2), location: inside[YUEXIU], props: { name: '越秀泵站' } }],
    });
    await waitFor(() => heardOf(yuexiu.events, 'd-yuexiu').length > 0, 10_000, 'the Yuexiu analyst hears its own device');
    expect(heardOf(yuexiu.events, 'd-mover')).toEqual([]);
    expect(await districtOf('d-mover')).toBe(BAIYUN);

    // It loses its place: the Baiyun analyst (and the admin) hear it go; Tianhe and Yuexiu hear nothing of it.
    await send('PUT', `/api/feeds/${DEVICES}/entities`, { entities: [{ id: 'd-mover', ts: minutesAgo(1), props: { name: '移动泵车' } }] });
    await waitFor(() => heardOf(baiyun.events, 'd-mover').length === 2, 10_000, 'the Baiyun analyst hears the device go');
    expect(heardOf(baiyun.events, 'd-mover')[1]).toBe('remove');
    await waitFor(() => heardOf(everyone.events, 'd-mover').length === 2, 10_000, 'the admin hears the device go');
    expect(heardOf(everyone.events, 'd-mover')[1]).toBe('remove');
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-yuexiu', ts: minutesAgo(1), location: inside[YUEXIU], props: { name: '越秀泵站' } }],
    });
    await send('PUT', `/api/feeds/${DEVICES}/entities`, {
      entities: [{ id: 'd-tianhe', ts: minutesAgo(-0.02), location: inside[TIANHE], props: { status: 'online' } }],
    });
    await waitFor(() => heardOf(yuexiu.events, 'd-yuexiu').length === 2, 10_000, 'the Yuexiu analyst hears its device again');
    await waitFor(() => heardOf(tianhe.events, 'd-tianhe').length > 0, 10_000, 'the Tianhe analyst hears its device');
    expect(heardOf(yuexiu.events, 'd-mover')).toEqual([]);
    expect(heardOf(tianhe.events, 'd-mover')).toEqual(['remove']);
  });

  it('tells the listeners of the district a sensor left of its removal, and nobody else of anything', async () => {
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-mover', 40, minutesAgo(3), inside[TIANHE])]);
    const [everyone, tianhe, baiyun, yuexiu] = await Promise.all(
      [admin, tianheAnalyst, baiyunAnalyst, yuexiuAnalyst].map((token) => listen(token, `layer:${SENSORS}`)),
    );
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-mover', 41, minutesAgo(2), inside[BAIYUN])]);
    await waitFor(() => heardOf(tianhe.events, 's-mover').length > 0, 10_000, 'the Tianhe analyst hears the sensor leave');
    await waitFor(() => heardOf(baiyun.events, 's-mover').length > 0, 10_000, 'the Baiyun analyst hears the sensor arrive');
    await waitFor(() => heardOf(everyone.events, 's-mover').length > 0, 10_000, 'the admin hears the sensor move');
    expect(heardOf(tianhe.events, 's-mover')).toEqual(['remove']);
    expect(heardOf(baiyun.events, 's-mover')).toEqual([expect.stringMatching(/^merge /)]);
    expect(heardOf(everyone.events, 's-mover')).toEqual(heardOf(baiyun.events, 's-mover'));
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-yuexiu', 30, minutesAgo(2), inside[YUEXIU])]);
    await waitFor(() => heardOf(yuexiu.events, 's-yuexiu').length > 0, 10_000, 'the Yuexiu analyst hears its own sensor');
    expect(heardOf(yuexiu.events, 's-mover')).toEqual([]);

    // An older reading back in Tianhe is no move: the newest stands, and Baiyun is not told the sensor left.
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-mover', 39, minutesAgo(10), inside[TIANHE])]);
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-yuexiu', 31, minutesAgo(1), inside[YUEXIU])]);
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-baiyun', 150, minutesAgo(0), inside[BAIYUN])]);
    await waitFor(() => heardOf(baiyun.events, 's-baiyun').length > 0, 10_000, 'the Baiyun analyst hears its other sensor');
    expect(heardOf(baiyun.events, 's-mover')).toEqual([expect.stringMatching(/^merge /)]);
    // The snapshots agree with what each listener was told.
    const scopedIds = async (token: string) =>
      liveFeatureCollectionSchema.parse(await (await get(token, `/api/feeds/${SENSORS}/live`)).json()).features.map((f) => f.id);
    expect(await scopedIds(tianheAnalyst)).not.toContain('s-mover');
    expect(await scopedIds(baiyunAnalyst)).toContain('s-mover');
  });

  it('takes a sensor whose readings aged out of the window off the layer at the feed’s next delta, for those who saw it only', async () => {
    const [everyone, tianhe, yuexiu] = await Promise.all(
      [admin, tianheAnalyst, yuexiuAnalyst].map((token) => listen(token, `layer:${SENSORS}`)),
    );
    // Its newest reading leaves the hour's window (the feed reports every minute) a few seconds from now.
    const fading = new Date(Date.now() - 3600_000 + 4000).toISOString();
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-fading', 20, fading, inside[YUEXIU])]);
    await waitFor(() => heardOf(yuexiu.events, 's-fading').length > 0, 10_000, 'the Yuexiu analyst hears the sensor');
    // Other sensors keep reporting; one of their deltas, once the window has passed it, takes it off.
    let value = 0;
    await eventually(
      async () => {
        await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-yuexiu', 40 + (value++ % 10), minutesAgo(0), inside[YUEXIU])]);
        return heardOf(yuexiu.events, 's-fading').includes('remove');
      },
      20_000,
      'the aged sensor taken off',
      500,
    );
    expect(heardOf(yuexiu.events, 's-fading')).toEqual([expect.stringMatching(/^merge /), 'remove']);
    await waitFor(() => heardOf(everyone.events, 's-fading').includes('remove'), 10_000, 'the admin hears it go too');
    await send('POST', `/api/feeds/${SENSORS}/records`, [reading('s-tianhe', 70, minutesAgo(0), inside[TIANHE])]);
    await waitFor(() => heardOf(tianhe.events, 's-tianhe').length > 0, 10_000, 'the Tianhe analyst hears its sensor');
    expect(heardOf(tianhe.events, 's-fading')).toEqual([]);
    const ids = liveFeatureCollectionSchema
      .parse(await (await get(yuexiuAnalyst, `/api/feeds/${SENSORS}/live`)).json())
      .features.map((f) => f.id);
    expect(ids).not.toContain('s-fading');
  });
});
