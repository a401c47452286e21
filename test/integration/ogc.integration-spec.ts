import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  OGC_MAX_LIMIT,
  type OgcCollection,
  type OgcCollections,
  type OgcFeature,
  type OgcFeatureCollection,
  type OgcLandingPage,
  type OgcLink,
} from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { postHeadcounts, segments } from '../support/marathon';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const run = promisify(execFile);

const TIANHE = '440106';
const HAIZHU = '440105';
/** An entity feed of the suite's own: two cameras placed in two districts at two times, one without a place. */
const CAMERAS = 'ogc-test-cameras';
const T1 = '2026-11-29T08:00:00.000Z';
const T2 = '2026-11-29T10:00:00.000Z';

interface Answer<T> {
  status: number;
  type: string;
  body: T;
}

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

describe('OGC API – Features at /api/ogc: what QGIS and GDAL read', () => {
  let stack: TestStack;
  let admin: string;
  let tianheAnalyst: string;
  const districtIds = new Map<string, number>();
  const points = new Map<string, [number, number]>();

  const get = async <T>(token: string | null, path: string): Promise<Answer<T>> => {
    const url = path.startsWith('http') ? path : `${stack.url}${path}`;
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : null) as T };
  };
  const link = (links: OgcLink[], rel: string) => links.find((l) => l.rel === rel);
  const items = (token: string, collection: string, query = '') =>
    get<OgcFeatureCollection>(token, `/api/ogc/collections/${collection}/items${query}`);
  const ids = (page: Answer<OgcFeatureCollection>) => page.body.features.map((f) => f.id);
  /** A 400 problem naming the parameter. */
  const badParameter = async (path: string, parameter: string) => {
    const answer = await get<Problem>(admin, path);
    expect({ path, status: answer.status, type: answer.type }).toEqual({
      path,
      status: 400,
      type: expect.stringContaining('application/problem+json'),
    });
    expect(answer.body.errors?.map((e) => e.path)).toContain(parameter);
  };

  beforeAll(async () => {
    // One worker: it computes the indicator the indicator collection shows.
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    const user = await createUser(stack.url, admin, { username: 'ogc-tianhe-analyst', roles: ['analyst'], scopes: [{ area: TIANHE }] });
    tianheAnalyst = await login(stack.url, user.username, user.password);
    for (const code of [TIANHE, HAIZHU]) {
      const { rows } = await stack.db.query<{ id: number; lon: number; lat: number }>(
        `SELECT id, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM area WHERE code = $1) x`,
        [code],
      );
      districtIds.set(code, rows[0].id);
      points.set(code, [rows[0].lon, rows[0].lat]);
    }
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    const created = await fetch(`${stack.url}/api/feeds`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ key: CAMERAS, name: '测试摄像头', nameEn: 'Test cameras', kind: 'entity', theme: 'emergency' }),
    });
    expect(created.status).toBe(201);
    const put = await fetch(`${stack.url}/api/feeds/${CAMERAS}/entities`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        entities: [
          { id: 'cam-tianhe', ts: T1, location: points.get(TIANHE), props: { kind: 'dome', heading: 90 } },
          { id: 'cam-haizhu', ts: T2, location: points.get(HAIZHU), props: { kind: 'fixed', heading: 180 } },
          { id: 'cam-nowhere', ts: T2, props: { kind: 'body-worn' } },
        ],
      }),
    });
    expect(await put.json()).toMatchObject({ accepted: 3, rejected: 0 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a landing page whose links lead to the API definition, the conformance classes and the collections', async () => {
    const landing = await get<OgcLandingPage>(admin, '/api/ogc');
    expect(landing.status).toBe(200);
    expect(landing.type).toContain('application/json');
    const rels = Object.fromEntries(landing.body.links.map((l) => [l.rel, l]));
    expect(rels.self.href).toBe(`${stack.url}/api/ogc`);
    expect(rels['service-desc'].type).toContain('application/vnd.oai.openapi+json');
    const definition = await get<{ openapi: string; paths: Record<string, unknown> }>(admin, rels['service-desc'].href);
    expect(definition.body.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(definition.body.paths)).toEqual(
      expect.arrayContaining(['/api/ogc', '/api/ogc/conformance', '/api/ogc/collections/{collectionId}/items']),
    );
    const conformance = await get<{ conformsTo: string[] }>(admin, rels.conformance.href);
    expect(conformance.type).toContain('application/json');
    expect(conformance.body.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      ]),
    );
    const data = await get<OgcCollections>(admin, rels.data.href);
    expect(data.status).toBe(200);
    expect(link(data.body.links, 'self')?.href).toBe(`${stack.url}/api/ogc/collections`);
    expect((await get(admin, '/api/ogc?f=json')).status).toBe(200);
  });

  it('lists a collection per area level, per zone set and per entity feed, each with its items link and the same description on its own', async () => {
    const { body } = await get<OgcCollections>(admin, '/api/ogc/collections');
    const byId = new Map(body.collections.map((c) => [c.id, c]));
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining([
        'areas-city',
        'areas-district',
        'areas-street',
        'areas-community',
        'areas-grid',
        'zones-gz-marathon',
        `feed-${CAMERAS}`,
      ]),
    );
    for (const collection of body.collections) {
      expect(link(collection.links, 'items')).toEqual({
        href: `${stack.url}/api/ogc/collections/${collection.id}/items`,
        rel: 'items',
        type: 'application/geo+json',
        title: expect.any(String),
      });
      const alone = await get<OgcCollection>(admin, `/api/ogc/collections/${collection.id}`);
      expect(alone.body).toEqual(collection);
    }
    // The districts' box holds the point of each district.
    const [w, s, e, n] = byId.get('areas-district')?.extent?.spatial.bbox[0] ?? [];
    for (const [lon, lat] of points.values()) expect(lon >= w && lon <= e && lat >= s && lat <= n).toBe(true);
    expect(byId.get(`feed-${CAMERAS}`)?.title).toBe('测试摄像头 Test cameras');
    const missing = await get<Problem>(admin, '/api/ogc/collections/areas-planet');
    expect(missing.status).toBe(404);
    expect((await items(admin, 'feed-no-such-feed')).status).toBe(404);
  });

  it('pages through a collection with next and prev links until every feature was seen once', async () => {
    const first = await items(admin, 'areas-district', '?limit=4');
    expect(first.status).toBe(200);
    expect(first.type).toContain('application/geo+json');
    expect(first.body).toMatchObject({ type: 'FeatureCollection', numberMatched: 11, numberReturned: 4 });
    expect(Date.now() - Date.parse(first.body.timeStamp)).toBeLessThan(60_000);
    expect(link(first.body.links, 'prev')).toBeUndefined();
    expect(link(first.body.links, 'collection')?.href).toBe(`${stack.url}/api/ogc/collections/areas-district`);
    const seen = [...ids(first)];
    let page = first;
    let pages = 1;
    for (let next = link(page.body.links, 'next'); next; next = link(page.body.links, 'next')) {
      page = await get<OgcFeatureCollection>(admin, next.href);
      pages += 1;
      expect(page.body.numberReturned).toBe(page.body.features.length);
      // Each page after the first points back at the one before it.
      const prev = await get<OgcFeatureCollection>(admin, link(page.body.links, 'prev')?.href ?? 'missing prev link');
      expect(ids(prev)).toEqual(seen.slice(seen.length - 4, seen.length));
      seen.push(...ids(page));
    }
    expect(pages).toBe(3);
    expect(page.body.numberReturned).toBe(3);
    expect(new Set(seen).size).toBe(11);
    expect(seen).toEqual(expect.arrayContaining([districtIds.get(TIANHE), districtIds.get(HAIZHU)]));
    const feature = page.body.features[0];
    expect(feature).toMatchObject({ type: 'Feature', geometry: { type: 'MultiPolygon' }, properties: { level: 'district' } });
  });

  it('keeps bbox and datetime in the paging links', async () => {
    const page = await items(admin, 'areas-grid', '?limit=2&bbox=100,10,130,40&datetime=2026-11-29T08:00:00Z/..');
    const next = new URL(link(page.body.links, 'next')?.href ?? 'http://missing');
    expect(Object.fromEntries(next.searchParams)).toEqual({
      bbox: '100,10,130,40',
      datetime: '2026-11-29T08:00:00.000Z/..',
      limit: '2',
      offset: '2',
    });
  });

  it('gives only the features that meet the bbox', async () => {
    const [lon, lat] = points.get(TIANHE) ?? [0, 0];
    const around = await items(admin, 'areas-district', `?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`);
    expect(ids(around)).toContain(districtIds.get(TIANHE));
    expect(around.body.numberMatched).toBeLessThan(11);
    expect((await items(admin, 'areas-district', '?bbox=0,0,1,1')).body).toMatchObject({
      numberMatched: 0,
      numberReturned: 0,
      features: [],
    });
    const cameras = await items(admin, `feed-${CAMERAS}`, `?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`);
    expect(ids(cameras)).toEqual(['cam-tianhe']);
  });

  it('filters entities by the time of their latest state with datetime (instant, closed and open intervals); areas have no time', async () => {
    const cameras = async (datetime: string) => ids(await items(admin, `feed-${CAMERAS}`, `?datetime=${encodeURIComponent(datetime)}`));
    // The camera without a place is no feature.
    expect(ids(await items(admin, `feed-${CAMERAS}`))).toEqual(['cam-haizhu', 'cam-tianhe']);
    expect(await cameras(T1)).toEqual(['cam-tianhe']);
    expect(await cameras('2026-11-29T16:00:00+08:00')).toEqual(['cam-tianhe']);
    expect(await cameras(`../${T1}`)).toEqual(['cam-tianhe']);
    expect(await cameras(`${T2}/..`)).toEqual(['cam-haizhu']);
    expect(await cameras(`${T1}/${T2}`)).toEqual(['cam-haizhu', 'cam-tianhe']);
    expect(await cameras('2026-11-29T08:00:01Z/2026-11-29T09:59:59Z')).toEqual([]);
    expect((await items(admin, 'areas-district', `?datetime=${T1}`)).body.numberMatched).toBe(11);
    const camera = (await items(admin, `feed-${CAMERAS}`, `?datetime=${T1}`)).body.features[0];
    expect(camera).toMatchObject({
      id: 'cam-tianhe',
      // Coordinates to 6 decimals (about 0.1 m).
      geometry: { type: 'Point', coordinates: (points.get(TIANHE) ?? []).map((v) => expect.closeTo(v, 6)) },
      properties: { kind: 'dome', heading: 90, ts: T1, area: expect.any(String) },
    });
  });

  it('serves a limit from 1 up to its maximum, reading a larger one as the maximum', async () => {
    expect((await items(admin, 'areas-district', '?limit=1')).body.numberReturned).toBe(1);
    const defaultPage = await items(admin, 'areas-grid');
    expect(defaultPage.body.numberReturned).toBe(100);
    const most = await items(admin, 'areas-grid', '?limit=50000');
    expect(most.body.numberMatched).toBeGreaterThan(OGC_MAX_LIMIT);
    expect(most.body.numberReturned).toBe(OGC_MAX_LIMIT);
    expect(new URL(link(most.body.links, 'next')?.href ?? 'http://missing').searchParams.get('limit')).toBe(String(OGC_MAX_LIMIT));
    await badParameter('/api/ogc/collections/areas-grid/items?limit=0', 'limit');
    await badParameter('/api/ogc/collections/areas-grid/items?limit=-1', 'limit');
    await badParameter('/api/ogc/collections/areas-grid/items?limit=many', 'limit');
  });

  it('answers bad parameters with a 400 problem naming them, never a 5xx', async () => {
    const path = '/api/ogc/collections/areas-district/items';
    await badParameter(`${path}?bbox=1,2,3`, 'bbox');
    await badParameter(`${path}?bbox=113,23,114,24,0,10`, 'bbox');
    await badParameter(`${path}?bbox=113,95,114,96`, 'bbox');
    await badParameter(`${path}?bbox=114,23,113,24`, 'bbox');
    await badParameter(`${path}?bbox=a,b,c,d`, 'bbox');
    await badParameter(`${path}?bbox=1,2,3,4&bbox=1,2,3,4`, 'bbox');
    await badParameter(`${path}?datetime=tomorrow`, 'datetime');
    await badParameter(`${path}?datetime=${T2}/${T1}`, 'datetime');
    await badParameter(`${path}?datetime=../..`, 'datetime');
    await badParameter(`${path}?offset=-5`, 'offset');
    await badParameter(`${path}?f=html`, 'f');
    await badParameter('/api/ogc?f=xml', 'f');
    await badParameter('/api/ogc/conformance?f=xml', 'f');
    await badParameter('/api/ogc/collections?f=xml', 'f');
    const unknown = await get<Problem>(admin, `${path}?colour=red`);
    expect(unknown.status).toBe(400);
    // Past the end: an empty page, not an error.
    expect((await items(admin, 'areas-district', '?offset=500')).body).toMatchObject({ numberMatched: 11, numberReturned: 0 });
    // A feature id that is no area's id is a feature that does not exist.
    for (const id of ['abc', '99999999999', '-1']) {
      expect((await get(admin, `/api/ogc/collections/areas-district/items/${id}`)).status).toBe(404);
    }
  });

  it('answers one feature as GeoJSON with its links, and only in its own collection', async () => {
    const id = districtIds.get(TIANHE);
    const district = await get<OgcFeature>(admin, `/api/ogc/collections/areas-district/items/${id}`);
    expect(district.status).toBe(200);
    expect(district.type).toContain('application/geo+json');
    expect(district.body).toMatchObject({ type: 'Feature', id, properties: { code: TIANHE, level: 'district' } });
    expect(link(district.body.links ?? [], 'self')?.href).toBe(`${stack.url}/api/ogc/collections/areas-district/items/${id}`);
    expect(link(district.body.links ?? [], 'collection')?.href).toBe(`${stack.url}/api/ogc/collections/areas-district`);
    expect((await get(admin, `/api/ogc/collections/areas-street/items/${id}`)).status).toBe(404);
    const camera = await get<OgcFeature>(admin, `/api/ogc/collections/feed-${CAMERAS}/items/cam-haizhu`);
    expect(camera.body).toMatchObject({ id: 'cam-haizhu', properties: { kind: 'fixed', ts: T2 } });
    expect((await get(admin, `/api/ogc/collections/feed-${CAMERAS}/items/cam-nowhere`)).status).toBe(404);
  });

  it("serves an indicator's latest value per area as a collection, filtered by the value's time", async () => {
    const course = await segments(stack.url, admin);
    const [first, second] = course;
    const at = new Date(Date.now() - 30_000);
    expect((await postHeadcounts(stack.url, [{ code: first.code, headcount: Math.round(first.capacity / 2) }], at)).status).toBe(200);
    const collection = 'indicator-marathon.segment_load';
    const page = await eventually(
      async () => {
        const answer = await items(admin, collection);
        return answer.body.features?.some((f) => f.id === first.id) ? answer : null;
      },
      20_000,
      'the segment load of the first segment',
    );
    const feature = page.body.features.find((f) => f.id === first.id);
    expect(feature).toMatchObject({
      type: 'Feature',
      geometry: { type: 'MultiPolygon' },
      properties: { code: first.code, value: expect.closeTo(0.5, 2), ts: at.toISOString() },
    });
    expect(ids(page)).not.toContain(second.id);
    const later = new Date(at.getTime() + 1000).toISOString();
    expect(ids(await items(admin, collection, `?datetime=${later}/..`))).not.toContain(first.id);
    expect(ids(await items(admin, collection, `?datetime=../${later}`))).toContain(first.id);
    const one = await get<OgcFeature>(admin, `/api/ogc/collections/${collection}/items/${first.id}`);
    expect(one.body.properties).toMatchObject({ code: first.code, value: expect.any(Number) });
    expect((await get(admin, `/api/ogc/collections/${collection}/items/${second.id}`)).status).toBe(404);
  });

  it('answers 401 to every route without a valid token', async () => {
    const paths = [
      '/api/ogc',
      '/api/ogc/conformance',
      '/api/ogc/collections',
      '/api/ogc/collections/areas-district',
      '/api/ogc/collections/areas-district/items',
      `/api/ogc/collections/areas-district/items/${districtIds.get(TIANHE)}`,
    ];
    for (const path of paths) {
      expect({ path, status: (await get(null, path)).status }).toEqual({ path, status: 401 });
      expect({ path, status: (await get('not-a-token', path)).status }).toEqual({ path, status: 401 });
    }
  });

  it('gives a district-scoped caller the features of its district only, and answers one outside it as missing', async () => {
    expect(ids(await items(tianheAnalyst, 'areas-district'))).toEqual([districtIds.get(TIANHE)]);
    expect((await items(tianheAnalyst, 'areas-city')).body.numberMatched).toBe(0);
    expect(ids(await items(tianheAnalyst, `feed-${CAMERAS}`))).toEqual(['cam-tianhe']);
    expect((await get(tianheAnalyst, `/api/ogc/collections/areas-district/items/${districtIds.get(HAIZHU)}`)).status).toBe(404);
    expect((await get(tianheAnalyst, `/api/ogc/collections/feed-${CAMERAS}/items/cam-haizhu`)).status).toBe(404);
    const marathon = await items(tianheAnalyst, 'zones-gz-marathon');
    const all = await items(admin, 'zones-gz-marathon');
    expect(marathon.body.numberMatched).toBeGreaterThan(0);
    expect(marathon.body.numberMatched).toBeLessThan(all.body.numberMatched);
  });

  it("is read by GDAL's ogrinfo (OAPIF driver) with the token in GDAL_HTTP_HEADERS", async () => {
    const ogrinfo = (...args: string[]) =>
      run('ogrinfo', ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${admin}`, '-ro', ...args], { timeout: 60_000 });
    const layers = await ogrinfo(`OAPIF:${stack.url}/api/ogc`);
    expect(layers.stdout).toContain('areas-district');
    expect(layers.stdout).toContain(`feed-${CAMERAS}`);
    const summary = await ogrinfo('-so', `OAPIF:${stack.url}/api/ogc`, 'areas-district');
    expect(summary.stdout).toMatch(/Feature Count: 11\b/);
    expect(summary.stdout).toMatch(/Geometry: Multi Polygon/);
    const cameras = await ogrinfo('-al', '-q', `OAPIF:${stack.url}/api/ogc`, `feed-${CAMERAS}`);
    expect(cameras.stdout.match(/OGRFeature\(/g)).toHaveLength(2);
    expect(cameras.stdout).toContain('cam-tianhe');
    expect(cameras.stdout).toContain('cam-haizhu');
    // Without the token GDAL gets nothing.
    await expect(run('ogrinfo', ['-ro', '-so', `OAPIF:${stack.url}/api/ogc`, 'areas-district'], { timeout: 60_000 })).rejects.toThrow();
  });
});
