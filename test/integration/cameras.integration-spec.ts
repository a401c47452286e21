import { NestFactory } from '@nestjs/core';
import type { CameraView, IngestResult } from '@cityops/contracts';
import { CAMERAS_FEED, DEMO_CAMERA_COUNT, DemoSeederService, MARATHON_COURSE, SEGMENT_CAMERAS } from '@cityops/demo';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { createUser, kioskLogin, login, startStack, type TestStack } from '../support/stack';

/** Tianhe, where the course starts, and Haizhu, which it crosses later. */
const TIANHE = '440106';
const HAIZHU = '440105';

describe('cameras: a feed of cameras checked at ingest, seeded by the demo, found by area, zone and distance', () => {
  let stack: TestStack;
  let admin: string;
  let tianheAnalyst: string;
  const ts = '2026-11-30T08:00:00+08:00';
  const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const get = async <T>(token: string, path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, { headers: headers(token) });
    return { status: res.status, body: (await res.json()) as T };
  };
  const camera = (id: string, props: Record<string, unknown>, location: [number, number] = [113.3245, 23.1375]) => ({
    id,
    ts,
    location,
    props: { name: `测试 ${id}`, heading: 90, kind: 'fixed', status: 'online', snapshotUrl: null, ...props },
  });

  const TEST_FEED = 'test-cameras';
  const putCameras = async (entities: unknown[]): Promise<{ status: number; body: IngestResult }> => {
    const res = await fetch(`${stack.url}/api/feeds/${TEST_FEED}/entities`, {
      method: 'PUT',
      headers: headers(admin),
      body: JSON.stringify({ entities }),
    });
    return { status: res.status, body: (await res.json()) as IngestResult };
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    const analyst = await createUser(stack.url, admin, { username: 'cam-tianhe', roles: ['analyst'], scopes: [{ area: TIANHE }] });
    tianheAnalyst = await login(stack.url, analyst.username, analyst.password);
    const res = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers: headers(admin),
      body: JSON.stringify({
        key: TEST_FEED,
        name: '测试视频',
        kind: 'entity',
        entityProfile: 'camera',
        departmentCode: 'public-security',
      }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('the demo’s cameras', () => {
    it('are about 10,000 in a camera feed of the public security department, labelled as demo data', async () => {
      const { rows } = await stack.db.query<{
        n: number;
        demo: number;
        untagged: number;
        profile: string;
        dept: string;
        description: string;
      }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE e.props->>'demo' = 'true')::int AS demo,
                count(*) FILTER (WHERE e.area_id IS NULL)::int AS untagged,
                f.entity_profile AS profile, f.department_code AS dept, f.description
           FROM entity e JOIN feed f ON f.key = e.feed_key WHERE e.feed_key = $1 GROUP BY f.key`,
        [CAMERAS_FEED.key],
      );
      expect(rows[0]).toMatchObject({
        n: DEMO_CAMERA_COUNT,
        demo: DEMO_CAMERA_COUNT,
        untagged: 0,
        profile: 'camera',
        dept: 'public-security',
      });
      expect(rows[0].description).toMatch(/^演示数据/);
    });

    it('are denser downtown: more per km² in Yuexiu than in Conghua', async () => {
      const { rows } = await stack.db.query<{ code: string; per_km2: number }>(
        `SELECT a.code, count(e.*)::float / (ST_Area(a.geom::geography) / 1e6) AS per_km2
           FROM area a LEFT JOIN entity e ON e.feed_key = $1 AND e.area_path @> ARRAY[a.id]
          WHERE a.code IN ('440104', '440117') GROUP BY a.id`,
        [CAMERAS_FEED.key],
      );
      const density = new Map(rows.map((r) => [r.code, r.per_km2]));
      expect(density.get('440104')).toBeGreaterThan(10 * (density.get('440117') ?? Infinity));
    });

    it('give each course segment 3–6 cameras within 150 m, nearest first, with their distance', async () => {
      for (const segment of MARATHON_COURSE.segments) {
        const { status, body } = await get<CameraView[]>(admin, `/api/cameras?area=${segment.code}`);
        expect(status).toBe(200);
        expect(body.length).toBeGreaterThanOrEqual(SEGMENT_CAMERAS.min);
        expect(body.length).toBeLessThanOrEqual(SEGMENT_CAMERAS.max);
        for (const c of body) expect(c.distanceMeters).toBeLessThanOrEqual(150);
        const distances = body.map((c) => c.distanceMeters ?? Infinity);
        expect(distances).toEqual([...distances].sort((a, b) => a - b));
        expect(body.every((c) => c.id.startsWith(`cam-${segment.code}-`))).toBe(true);
      }
    });

    it('are seeded in one batch, and a second run writes none', async () => {
      const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(stack.config), { logger: false });
      try {
        const seeder = app.get(DemoSeederService);
        expect(await seeder.ensureCameras(true)).toBe(0);
        await stack.db.query(`DELETE FROM entity_history WHERE feed_key = $1`, [CAMERAS_FEED.key]);
        await stack.db.query(`DELETE FROM entity WHERE feed_key = $1`, [CAMERAS_FEED.key]);
        // How long it takes is bench:city's to say (no timing in tests): the writes are three statements.
        expect(await seeder.ensureCameras(true)).toBe(DEMO_CAMERA_COUNT);
        expect(await seeder.ensureCameras(true)).toBe(0);
      } finally {
        await app.close();
      }
    });
  });

  describe('finding cameras', () => {
    it('lists a district’s cameras by the grids they stand in, each tagged with a grid of that district', async () => {
      const { status, body } = await get<CameraView[]>(admin, `/api/cameras?area=${TIANHE}&limit=5000`);
      expect(status).toBe(200);
      expect(body.length).toBeGreaterThan(200);
      expect(body.every((c) => c.area?.startsWith(TIANHE))).toBe(true);
      expect(body[0]).toMatchObject({
        feed: CAMERAS_FEED.key,
        demo: true,
        distanceMeters: null,
        snapshot: expect.stringMatching(/^\/api\/cameras\//),
      });
    });

    it('answers the nearest cameras to a point, nearest first and within the radius', async () => {
      const { status, body } = await get<CameraView[]>(admin, '/api/cameras/nearest?lon=113.3245&lat=23.1372&radius=800&limit=5');
      expect(status).toBe(200);
      expect(body).toHaveLength(5);
      const distances = body.map((c) => c.distanceMeters ?? Infinity);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(Math.max(...distances)).toBeLessThanOrEqual(800);
    });

    it('names the field of a bad query in a 400', async () => {
      const bad = await get<{ errors: { path: string }[] }>(admin, '/api/cameras/nearest?lon=500&lat=23.1');
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.path)).toContain('lon');
      const noArea = await get<{ errors: { path: string }[] }>(admin, '/api/cameras?buffer=-1');
      expect(noArea.status).toBe(400);
      expect(noArea.body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['area', 'buffer']));
      expect((await get(admin, '/api/cameras?area=no-such-area')).status).toBe(404);
    });

    it('limits a scoped caller to its scope: another district is not found, nearest leaves out what lies outside', async () => {
      expect((await get(tianheAnalyst, `/api/cameras?area=${HAIZHU}`)).status).toBe(404);
      const own = await get<CameraView[]>(tianheAnalyst, `/api/cameras?area=${TIANHE}&limit=50`);
      expect(own.status).toBe(200);
      expect(own.body.length).toBe(50);
      // A point in Haizhu, south of the river: the admin sees cameras there, the Tianhe analyst none of them.
      const haizhu = '/api/cameras/nearest?lon=113.30&lat=23.098&radius=1500&limit=200';
      const all = await get<CameraView[]>(admin, haizhu);
      const scoped = await get<CameraView[]>(tianheAnalyst, haizhu);
      expect(all.body.some((c) => c.area?.startsWith(HAIZHU))).toBe(true);
      expect(scoped.body.every((c) => c.area?.startsWith(TIANHE))).toBe(true);
      const outside = all.body.find((c) => c.area?.startsWith(HAIZHU));
      expect((await fetch(`${stack.url}${outside?.snapshot}`, { headers: headers(tianheAnalyst) })).status).toBe(404);
    });

    it('lets the wall’s display read cameras', async () => {
      const display = await kioskLogin(stack.url);
      expect((await get<CameraView[]>(display, '/api/cameras?area=GZM-01')).status).toBe(200);
    });
  });

  describe('snapshots', () => {
    it('answer an SVG naming the camera and the time, badged 演示 DEMO, with no way to run a script', async () => {
      const [first] = (await get<CameraView[]>(admin, '/api/cameras?area=GZM-01')).body;
      const res = await fetch(`${stack.url}${first.snapshot}`, { headers: headers(admin) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
      const svg = await res.text();
      expect(svg).toContain(first.name);
      expect(svg).toContain('演示 DEMO');
      expect(svg).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect((await fetch(`${stack.url}${first.snapshot}`)).status).toBe(401);
    });

    it('escape a name pushed with markup in it', async () => {
      const result = await putCameras([camera('xss', { name: '<script>alert(1)</script>&"' })]);
      expect(result.body.accepted).toBe(1);
      const res = await fetch(`${stack.url}/api/cameras/${TEST_FEED}/xss/snapshot`, { headers: headers(admin) });
      const svg = await res.text();
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;');
      expect(svg).toContain('NO LIVE FRAME');
    });
  });

  describe('ingest of a camera feed', () => {
    it('rejects each camera whose props do not fit, with the reason, and stores the good ones', async () => {
      const { status, body } = await putCameras([
        camera('ok', { kind: 'dome', streamUrl: 'rtsp://10.0.0.5/live' }),
        camera('bad-heading', { heading: 360 }),
        camera('bad-kind', { kind: 'drone' }),
        camera('bad-status', { status: 'asleep' }),
        camera('no-name', { name: '  ' }),
        camera('bad-url', { snapshotUrl: 'javascript:alert(1)' }),
        { id: 'no-place', ts, props: camera('x', {}).props },
      ]);
      expect(status).toBe(200);
      expect(body.accepted).toBe(1);
      expect(body.errors.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6]);
      const reasons = body.errors.map((e) => e.reason);
      expect(reasons[0]).toMatch(/^props\.heading: /);
      expect(reasons[1]).toMatch(/^props\.kind: /);
      expect(reasons[2]).toMatch(/^props\.status: /);
      expect(reasons[3]).toMatch(/^props\.name: /);
      expect(reasons[4]).toMatch(/^props\.snapshotUrl: /);
      expect(reasons[5]).toMatch(/^location: a camera needs a point/);
      const near = await get<CameraView[]>(admin, '/api/cameras/nearest?lon=113.3245&lat=23.1375&radius=5&limit=50');
      expect(near.body.find((c) => c.feed === TEST_FEED && c.id === 'ok')).toMatchObject({
        kind: 'dome',
        streamUrl: 'rtsp://10.0.0.5/live',
      });
    });

    it('lists one camera feed’s cameras of an area when asked (a wall scene names its feed)', async () => {
      // The cameras stored by the tests above stand in Tianhe, among the demo's.
      const ours = await get<CameraView[]>(admin, `/api/cameras?area=${TIANHE}&feed=${TEST_FEED}&limit=50`);
      expect(ours.status).toBe(200);
      expect(ours.body.map((c) => `${c.feed}/${c.id}`).sort()).toEqual([`${TEST_FEED}/ok`, `${TEST_FEED}/xss`]);
      const demo = await get<CameraView[]>(admin, `/api/cameras?area=${TIANHE}&feed=${CAMERAS_FEED.key}&limit=5000`);
      expect(demo.body.length).toBeGreaterThan(200);
      expect(demo.body.every((c) => c.feed === CAMERAS_FEED.key)).toBe(true);
      // A zone (a course segment): its demo cameras within the buffer, none of another feed.
      const course = await get<CameraView[]>(admin, `/api/cameras?area=GZM-01&feed=${CAMERAS_FEED.key}`);
      expect(course.body.length).toBeGreaterThan(0);
      expect(course.body.every((c) => c.feed === CAMERAS_FEED.key)).toBe(true);
      const bad = await get<{ errors: { path: string }[] }>(admin, `/api/cameras?area=${TIANHE}&feed=Not%20A%20Key`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.path)).toEqual(['feed']);
    });

    it('refuses a camera profile on a feed that is not an entity feed', async () => {
      const res = await fetch(`${stack.url}/api/feeds`, {
        method: 'POST',
        headers: headers(admin),
        body: JSON.stringify({ key: 'test-camera-obs', name: 'x', kind: 'observation', entityProfile: 'camera' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['entityProfile']);
    });

    it('keeps the profile when the feed is replaced without naming it', async () => {
      const res = await fetch(`${stack.url}/api/feeds/${TEST_FEED}`, {
        method: 'PUT',
        headers: headers(admin),
        body: JSON.stringify({ name: '测试视频（改）', kind: 'entity', departmentCode: 'public-security' }),
      });
      expect(res.status).toBe(200);
      expect((await get<{ entityProfile?: string }>(admin, `/api/feeds/${TEST_FEED}`)).body.entityProfile).toBe('camera');
    });
  });
});
