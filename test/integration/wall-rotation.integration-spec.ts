import { playlistViewSchema, sceneViewSchema, wallPlaylistAnswerSchema, type DisplaySecret } from '@cityops/contracts';
import { kioskLogin, login, startStack, type TestStack } from '../support/stack';

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

describe('wall scenes of every kind and the rotation (playlists): admins write, walls read (demo database)', () => {
  let stack: TestStack;
  let admin: string;
  let kiosk: string;
  let tianheId: number;
  const send = async (method: string, path: string, body?: unknown, token = admin) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as unknown) : null };
  };
  const problemOf = (answer: { type: string; body: unknown }): Problem => {
    expect(answer.type).toContain('application/problem+json');
    return answer.body as Problem;
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    kiosk = await kioskLogin(stack.url);
    tianheId = (await stack.db.query<{ id: number }>(`SELECT id FROM area WHERE code = '440106'`)).rows[0].id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the demo rotation to a wall: overview, marathon, flood prevention, a district', async () => {
    const answer = await send('GET', '/api/wall/playlist', undefined, kiosk);
    expect(answer.status).toBe(200);
    const { playlist } = wallPlaylistAnswerSchema.parse(answer.body);
    expect(playlist?.key).toBe('default');
    expect(playlist?.entries.map((e) => e.scene)).toEqual(['gz-overview', 'gz-marathon', 'gz-flood', 'gz-tianhe']);
    const scenes = (await send('GET', '/api/scenes', undefined, kiosk)).body as unknown[];
    const kinds = scenes.map((s) => sceneViewSchema.parse(s)).map((s) => [s.key, s.kind]);
    expect(kinds).toEqual([
      ['gz-marathon', 'event'],
      ['gz-overview', 'overview'],
      ['gz-flood', 'theme'],
      ['gz-tianhe', 'district'],
    ]);
  });

  it('saves a district scene with layers, KPI tiles and cameras, and the same PUT again changes nothing', async () => {
    const body = {
      kind: 'district',
      name: '天河 · 测试',
      focusAreaId: tianheId,
      layers: ['areas-street', 'entities-cameras', 'heat-waterlogging~depth'],
      kpis: [{ indicatorKey: 'marathon.segment_load', label: '负荷' }],
      cameras: { feedKey: 'cameras', areaId: tianheId },
    };
    const first = await send('PUT', '/api/scenes/test-district', body);
    expect(first.status).toBe(200);
    const saved = sceneViewSchema.parse(first.body);
    expect(saved).toMatchObject({ kind: 'district', zoneSet: null, cameras: { feedKey: 'cameras', areaId: tianheId, count: 4 } });
    expect(saved.kpis).toEqual([{ indicatorKey: 'marathon.segment_load', areaId: null, label: '负荷', labelEn: null }]);
    const again = await send('PUT', '/api/scenes/test-district', body);
    expect(again.body).toEqual(first.body);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM scene WHERE key = 'test-district'`)).rows[0].n).toBe(1);

    const deleted = await send('DELETE', '/api/scenes/test-district');
    expect(deleted.status).toBe(200);
    expect((await send('GET', '/api/scenes/test-district')).status).toBe(404);
    expect((await send('DELETE', '/api/scenes/test-district')).status).toBe(404);
  });

  it('refuses a scene with every problem listed in one 400: kind rules, unknown layers, areas, indicators and a feed that is no camera feed', async () => {
    const shape = await send('PUT', '/api/scenes/bad-kind', { kind: 'district', name: '区', zoneSet: 'gz-marathon' });
    expect(shape.status).toBe(400);
    expect(problemOf(shape).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'zoneSet', message: 'only an event scene has one' }),
        expect.objectContaining({ path: 'focusAreaId', message: 'a district scene needs the area it frames' }),
      ]),
    );

    const refs = await send('PUT', '/api/scenes/bad-refs', {
      kind: 'theme',
      name: '主题',
      focusAreaId: 999_999_999,
      layers: ['heat-waterlogging~nothing', 'entities-no-feed', 'zones-nowhere', 'bogus', 'live-no-feed'],
      kpis: [{ indicatorKey: 'no.such', label: '无' }],
      cameras: { feedKey: 'waterlogging' },
    });
    expect(refs.status).toBe(400);
    expect(problemOf(refs).errors).toEqual([
      { path: 'focusAreaId', message: 'no area 999999999 (GET /api/areas)' },
      { path: 'kpis.0.indicatorKey', message: 'no indicator no.such (GET /api/indicators)' },
      { path: 'cameras.feedKey', message: 'feed waterlogging is not a camera feed (entityProfile camera)' },
      { path: 'layers.0', message: 'feed waterlogging has no metric nothing' },
      { path: 'layers.1', message: 'no feed no-feed (GET /api/feeds)' },
      { path: 'layers.2', message: 'no zone set nowhere' },
      { path: 'layers.3', message: 'bogus is not a layer of GET /api/layers' },
      { path: 'layers.4', message: 'no feed no-feed (GET /api/feeds)' },
    ]);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM scene WHERE key IN ('bad-kind', 'bad-refs')`)).rows[0].n).toBe(0);

    // A small feed's live layer is a layer a scene may show.
    const live = await send('PUT', '/api/scenes/live-water', { kind: 'theme', name: '积水实况', layers: ['live-waterlogging'] });
    expect(live.status).toBe(200);
    expect((await send('DELETE', '/api/scenes/live-water')).status).toBe(200);
  });

  it('keeps a display’s own playlist for that display, the default for every other wall, and a PUT retried changes nothing', async () => {
    const created = await send('POST', '/api/displays', { name: 'north wall', description: 'rotation test', scopes: [{ area: '440100' }] });
    expect(created.status).toBe(201);
    const { display, token } = created.body as DisplaySecret;
    const own = { name: '北墙', entries: [{ scene: 'gz-marathon', dwellSeconds: 30 }], displayId: display.id, holdSeconds: 120 };
    const first = await send('PUT', '/api/playlists/north', own);
    expect(first.status).toBe(200);
    const saved = playlistViewSchema.parse(first.body);
    expect(saved).toMatchObject({ key: 'north', displayId: display.id, interruptOnCritical: true, holdSeconds: 120 });
    const again = await send('PUT', '/api/playlists/north', own);
    expect(again.body).toEqual(first.body);

    const north = (
      await fetch(`${stack.url}/api/auth/kiosk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      })
    ).json() as Promise<{ accessToken: string }>;
    const forNorth = wallPlaylistAnswerSchema.parse((await send('GET', '/api/wall/playlist', undefined, (await north).accessToken)).body);
    expect(forNorth.playlist?.key).toBe('north');
    const forOthers = wallPlaylistAnswerSchema.parse((await send('GET', '/api/wall/playlist', undefined, kiosk)).body);
    expect(forOthers.playlist?.key).toBe('default');

    // A second playlist for the same display, an unknown scene and display, a display on the default one: all refused.
    const taken = await send('PUT', '/api/playlists/north-2', own);
    expect(problemOf(taken).errors).toEqual([{ path: 'displayId', message: 'the display already has playlist north' }]);
    const unknown = await send('PUT', '/api/playlists/ghost', {
      name: 'x',
      entries: [{ scene: 'no-such-scene', dwellSeconds: 10 }],
      displayId: '00000000-0000-4000-8000-000000000000',
    });
    expect(problemOf(unknown).errors).toEqual([
      { path: 'entries.0.scene', message: 'no scene no-such-scene (GET /api/scenes)' },
      { path: 'displayId', message: 'no display 00000000-0000-4000-8000-000000000000 (GET /api/displays)' },
    ]);
    const shape = await send('PUT', '/api/playlists/short', { name: 'x', entries: [{ scene: 'gz-marathon', dwellSeconds: 1 }] });
    expect(shape.status).toBe(400);
    expect(problemOf(shape).errors).toEqual([expect.objectContaining({ path: 'entries.0.dwellSeconds' })]);

    // Deleted, it is gone for good.
    expect((await send('DELETE', '/api/playlists/north')).status).toBe(200);
    expect((await send('GET', '/api/playlists/north')).status).toBe(404);
  });

  it('lets only admins write scenes and playlists, and walls read only their rotation', async () => {
    const viewerBody = { name: 'x', entries: [{ scene: 'gz-marathon', dwellSeconds: 10 }] };
    expect((await send('PUT', '/api/playlists/default', viewerBody, kiosk)).status).toBe(403);
    expect((await send('DELETE', '/api/scenes/gz-overview', undefined, kiosk)).status).toBe(403);
    expect((await send('GET', '/api/playlists', undefined, kiosk)).status).toBe(403);
    expect((await fetch(`${stack.url}/api/wall/playlist`)).status).toBe(401);
    const list = await send('GET', '/api/playlists');
    expect((list.body as { key: string }[]).map((p) => p.key)).toContain('default');
  });
});
