import { JwtService } from '@nestjs/jwt';
import type { ProblemDetails } from '@cityops/contracts';
import { RedisService, SharedVersions } from '@cityops/core';
import { tileOf } from '../support/authorization';
import { eventually } from '../support/eventually';
import { decodeTile } from '../support/mvt';
import { createUser, feedToken, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

const TIANHE = '440106';
const BAIYUN = '440111';
const CAMERAS = 'tile-route-cameras';

/**
 * The lean tile route (TileRoute, mounted ahead of Nest's pipeline): every rule of the route still
 * holds — the token, the session behind it (SESSION_CHECK_SECONDS=1 here), the policy, the scope,
 * the headers of an API answer — and the data versions it keys tiles by are held in memory only
 * while changes are heard (SharedVersions).
 */
describe('the tile route', () => {
  let stack: TestStack;
  let admin: string;
  const inside: Record<string, [number, number]> = {};

  const path = (layer: string, t: { z: number; x: number; y: number }) => `/api/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;
  const get = (token: string | null, p: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${p}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const districtTile = () => path('areas-district', tileOf(...inside[TIANHE], 10));
  const problem = async (res: Response) => {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return (await res.json()) as ProblemDetails;
  };
  const sid = (token: string) => new JwtService().decode<{ sid: string }>(token).sid;

  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { SESSION_CHECK_SECONDS: '1' } });
    admin = await login(stack.url);
    const rows = await stack.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE code = ANY($1)`,
      [[TIANHE, BAIYUN]],
    );
    for (const r of rows.rows) inside[r.code] = [r.lon, r.lat];
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ key: CAMERAS, name: '路由摄像头', theme: 'traffic', kind: 'entity' }),
    });
    const ts = new Date().toISOString();
    const put = await fetch(`${stack.url}/api/feeds/${CAMERAS}/entities`, {
      method: 'PUT',
      headers,
      body: JSON.stringify([
        { id: 'cam-t', ts, location: inside[TIANHE], props: { name: '天河' } },
        { id: 'cam-b', ts, location: inside[BAIYUN], props: { name: '白云' } },
      ]),
    });
    expect(put.status).toBeLessThan(300);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a caller without a token, with a malformed one, or with a feed key, as problem+json with the API’s headers', async () => {
    const none = await get(null, districtTile());
    expect(none.status).toBe(401);
    await problem(none);
    expect(none.headers.get('cache-control')).toBe('no-store');
    expect(none.headers.get('x-content-type-options')).toBe('nosniff');
    expect(none.headers.get('x-request-id')).toMatch(/.+/);
    expect((await get('not.a.jwt', districtTile())).status).toBe(401);
    const forged = new JwtService({ secret: 'another-secret-0123456789abcdef0123456789' }).sign(
      { sid: sid(admin), sub: 'x', kind: 'user' },
      { expiresIn: 600 },
    );
    expect((await get(forged, districtTile())).status).toBe(401);
    // A feed key pushes to its feed and reads nothing.
    const key = await get(feedToken, districtTile());
    expect(key.status).toBe(403);
    await problem(key);
  });

  it('refuses an expired token, also one it verified (and remembered) while it was good', async () => {
    const jwt = new JwtService({ secret: TEST_SECRETS.JWT_SECRET });
    const claims = new JwtService().decode<{ sid: string; sub: string; kind: string }>(admin);
    const expired = jwt.sign({ sid: claims.sid, sub: claims.sub, kind: claims.kind }, { expiresIn: -10 });
    const res = await get(expired, districtTile());
    expect(res.status).toBe(401);
    expect((await problem(res)).detail).toMatch(/expired/);

    const shortLived = jwt.sign({ sid: claims.sid, sub: claims.sub, kind: claims.kind }, { expiresIn: 2 });
    expect((await get(shortLived, districtTile())).status).toBe(200);
    await eventually(async () => (await get(shortLived, districtTile())).status === 401, 10_000, 'the remembered token to expire');
  });

  it('refuses a signed-out session at once, and one revoked elsewhere within SESSION_CHECK_SECONDS', async () => {
    const here = await login(stack.url);
    expect((await get(here, districtTile())).status).toBe(200);
    const out = await fetch(`${stack.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${here}` } });
    expect(out.status).toBeLessThan(300);
    expect((await get(here, districtTile())).status).toBe(401);

    // Revoked by another process: only the database knows; this one reads the session again within a second.
    const elsewhere = await login(stack.url);
    expect((await get(elsewhere, districtTile())).status).toBe(200);
    await stack.db.query(`UPDATE auth_session SET revoked_at = now() WHERE id = $1`, [sid(elsewhere)]);
    await eventually(async () => (await get(elsewhere, districtTile())).status === 401, 10_000, 'the revoked session to be refused');
  });

  it('gives a scoped caller only the features of its scope', async () => {
    const user = await createUser(stack.url, admin, { username: 'tile-route-tianhe', roles: ['analyst'], scopes: [{ area: TIANHE }] });
    const scoped = await login(stack.url, user.username, user.password);
    const baiyun = tileOf(...inside[BAIYUN], 15);
    const features = async (token: string, t: { z: number; x: number; y: number }) => {
      const res = await get(token, path(`entities-${CAMERAS}`, t));
      expect(res.status).toBe(200);
      return Object.values(decodeTile(new Uint8Array(await res.arrayBuffer()), t))
        .flat()
        .map((f) => f.properties.id);
    };
    expect(await features(admin, baiyun)).toEqual(['cam-b']);
    expect(await features(scoped, baiyun)).toEqual([]);
    expect(await features(scoped, tileOf(...inside[TIANHE], 15))).toEqual(['cam-t']);
  });

  it('answers with the tile’s headers, 304 for its ETag, and 400 for a tile outside the pyramid', async () => {
    const p = path(`entities-${CAMERAS}`, tileOf(...inside[TIANHE], 14));
    const first = await get(admin, p);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toBe('Authorization');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(Number(first.headers.get('content-length'))).toBe((await first.arrayBuffer()).byteLength);
    // Server-Timing: what a miss waited for (the shared cache, the query) beside the whole answer, each a duration.
    const timings = (res: Response) =>
      (res.headers.get('server-timing') ?? '').split(', ').map((t) => {
        const [name, dur] = t.split(';dur=');
        expect(Number(dur)).toBeGreaterThanOrEqual(0);
        return name;
      });
    expect(first.headers.get('x-tile-cache')).toBe('miss');
    expect(timings(first)).toEqual(['redis', 'db', 'total']);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await get(admin, p, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('x-tile-cache')).toBe('memory');
    expect(timings(again)).toEqual(['total']);
    const area = await get(admin, districtTile());
    expect(area.headers.get('cache-control')).toBe('private, max-age=300');

    const outside = await get(admin, '/api/tiles/areas-district/3/9/1.mvt');
    expect(outside.status).toBe(400);
    expect((await problem(outside)).errors?.length).toBeGreaterThan(0);
    expect((await get(admin, '/api/tiles/no-such-layer/3/1/1.mvt')).status).toBe(404);
  });

  it('holds data versions in memory and drops one the moment another process bumps it', async () => {
    const api = stack.api?.get(SharedVersions);
    const worker = stack.workers[0].get(SharedVersions);
    const redis = stack.api?.get(RedisService);
    if (!api || !redis) throw new Error('no API');
    const key = redis.key('test', 'version');
    expect(await api.get(key)).toBe('0');
    await eventually(() => api.holding, 10_000, 'the version subscription');
    await worker.bump(key);
    await eventually(async () => (await api.get(key)) === '1', 10_000, 'the bump to be heard');
    await worker.bump(key);
    await eventually(async () => (await api.get(key)) === '2', 10_000, 'the second bump to be heard');
  });

  it('makes an entity tile anew when another process writes the feed', async () => {
    const t = tileOf(...inside[TIANHE], 16);
    const p = path(`entities-${CAMERAS}`, t);
    const before = await get(admin, p);
    const etag = before.headers.get('etag');
    expect((await get(admin, p)).headers.get('x-tile-cache')).toBe('memory');
    // The worker process bumps the feed's version as an entity write there would.
    const redis = stack.workers[0].get(RedisService);
    await stack.workers[0].get(SharedVersions).bump(redis.key('entities', 'version', CAMERAS));
    const after = await eventually(
      async () => {
        const res = await get(admin, p);
        return res.headers.get('etag') !== etag ? res : null;
      },
      10_000,
      'a new ETag',
    );
    expect(after.headers.get('x-tile-cache')).toBe('miss');
  });
});
