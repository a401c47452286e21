import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from 'pg';
import type { AreaView } from '@cityops/contracts';
import { login, startStack, type TestStack } from '../support/stack';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

/**
 * The real district boundaries sit beside the repository (../shared/data), never in it. A clone
 * elsewhere (or CITYOPS_REFERENCE_DATA pointing at another copy) still finds them; when no copy is
 * found, the demo districts, exported as MultiPolygons, stand in so the import is still exercised.
 */
function referenceDistricts(): string | null {
  const candidates = [process.env.CITYOPS_REFERENCE_DATA, '/work/shared/data'];
  for (let dir = join(__dirname, '../..'); dirname(dir) !== dir; dir = dirname(dir)) candidates.push(join(dirname(dir), 'shared/data'));
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'guangzhou-districts.geojson'))) return join(dir, 'guangzhou-districts.geojson');
  }
  return null;
}

describe('areas: the demo city, imports of real boundaries, tiles', () => {
  let stack: TestStack;
  let db: Client;
  let admin: string;
  const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
  const importAreas = (body: unknown) =>
    fetch(`${stack.url}/api/areas/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    db = stack.db;
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the 11 districts of Guangzhou with their administrative codes', async () => {
    const districts = (await (await get('/api/areas?level=district')).json()) as AreaView[];
    expect(districts.map((d) => d.code).sort()).toEqual([
      '440103',
      '440104',
      '440105',
      '440106',
      '440111',
      '440112',
      '440113',
      '440114',
      '440115',
      '440117',
      '440118',
    ]);
    expect(districts.every((d) => d.isDemo && (d.population ?? 0) > 500000)).toBe(true);
    const city = (await (await get('/api/areas?level=city')).json()) as AreaView[];
    expect(districts.every((d) => d.parentId === city[0].id)).toBe(true);
    const streets = (await (await get(`/api/areas?level=street&parent=${districts[0].id}`)).json()) as AreaView[];
    expect(streets.length).toBeGreaterThan(0);
    expect(streets.every((s) => s.parentId === districts[0].id && s.geometry === undefined)).toBe(true);
  });

  it('has at least 20,000 grids, every child inside its parent and no overlapping siblings (checked by PostGIS)', async () => {
    const grids = (await db.query(`SELECT count(*)::int AS n FROM area WHERE level = 'grid'`)).rows[0].n;
    expect(grids).toBeGreaterThanOrEqual(20_000);
    const outside = await db.query(
      `SELECT c.code FROM area c JOIN area p ON p.id = c.parent_id
        WHERE ST_Area(ST_Difference(c.geom, p.geom)) > 1e-9 LIMIT 5`,
    );
    expect(outside.rows).toEqual([]);
    const overlapping = await db.query(
      `SELECT a.code, b.code FROM area a JOIN area b
          ON a.parent_id = b.parent_id AND a.id < b.id AND a.geom && b.geom
       WHERE a.level <> 'zone' AND ST_Area(ST_Intersection(a.geom, b.geom)) > 1e-9 LIMIT 5`,
    );
    expect(overlapping.rows).toEqual([]);
  });

  it('imports the real Guangzhou district boundaries (GeoJSON, MultiPolygon) under the city', async () => {
    const file = referenceDistricts();
    const fc = (
      file
        ? JSON.parse(readFileSync(file, 'utf8'))
        : (
            await db.query(
              `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
                 'type', 'Feature', 'properties', json_build_object('adcode', code, 'name', name),
                 'geometry', ST_AsGeoJSON(ST_Multi(geom))::json))) AS fc
                 FROM area WHERE level = 'district'`,
            )
          ).rows[0].fc
    ) as { features: { properties: Record<string, unknown> }[] };
    // Import under other codes so the demo districts stay; the reference data is read, never copied.
    for (const f of fc.features) f.properties.import_code = `REAL-${String(f.properties.adcode)}`;
    const res = await importAreas({
      level: 'district',
      codeField: 'import_code',
      nameField: 'name',
      parentCode: '440100',
      featureCollection: fc,
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toEqual({ imported: 11, updated: 0 });
    const tianhe = await db.query(
      `SELECT ST_Contains(geom, ST_SetSRID(ST_MakePoint(113.3245, 23.1375), 4326)) AS inside FROM area WHERE code = 'REAL-440106'`,
    );
    expect(tianhe.rows[0].inside).toBe(true);
    // Importing again updates in place.
    expect(
      await (
        await importAreas({ level: 'district', codeField: 'import_code', nameField: 'name', parentCode: '440100', featureCollection: fc })
      ).json(),
    ).toEqual({ imported: 0, updated: 11 });
  });

  it('rejects an invalid geometry with the feature index and reason, importing nothing', async () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [113.1, 23.1],
          [113.2, 23.2],
          [113.2, 23.1],
          [113.1, 23.2],
          [113.1, 23.1],
        ],
      ],
    };
    const res = await importAreas({
      level: 'zone',
      zoneSet: 'test-zones',
      codeField: 'code',
      nameField: 'name',
      featureCollection: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'TZ-1', name: 'ok' }, geometry: square(113.3, 23.1, 0.01) },
          { type: 'Feature', properties: { code: 'TZ-2', name: 'bowtie' }, geometry: bowtie },
          { type: 'Feature', properties: { code: 'TZ-3', name: 'point' }, geometry: { type: 'Point', coordinates: [113.3, 23.1] } },
        ],
      },
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      { path: 'featureCollection.features[2].geometry', message: 'geometry type Point is not Polygon or MultiPolygon' },
    ]);
    const res2 = await importAreas({
      level: 'zone',
      zoneSet: 'test-zones',
      codeField: 'code',
      nameField: 'name',
      featureCollection: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'TZ-1', name: 'ok' }, geometry: square(113.3, 23.1, 0.01) },
          { type: 'Feature', properties: { code: 'TZ-2', name: 'bowtie' }, geometry: bowtie },
        ],
      },
    });
    expect(res2.status).toBe(400);
    const problem2 = (await res2.json()) as { errors: { path: string; message: string }[] };
    expect(problem2.errors).toHaveLength(1);
    expect(problem2.errors[0].path).toBe('featureCollection.features[1].geometry');
    expect(problem2.errors[0].message).toMatch(/Self-intersection/);
    expect((await db.query(`SELECT count(*)::int AS n FROM area WHERE code LIKE 'TZ-%'`)).rows[0].n).toBe(0);
  });

  it('places imported streets under the district that contains them when no parent is named', async () => {
    const res = await importAreas({
      level: 'street',
      codeField: 'code',
      nameField: 'name',
      featureCollection: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: 'ST-TEST', name: '测试街道' }, geometry: square(113.322, 23.13, 0.002) }],
      },
    });
    expect(res.status).toBe(200);
    const row = (await db.query(`SELECT p.code FROM area a JOIN area p ON p.id = a.parent_id WHERE a.code = 'ST-TEST'`)).rows[0];
    expect(row.code).toMatch(/^(440106|REAL-440106)$/);
  });

  it('serves area boundaries as Mapbox vector tiles from PostGIS, and refuses tiles outside the pyramid', async () => {
    // z=10 tile over central Guangzhou.
    const res = await get('/api/tiles/areas/10/834/444.mvt');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(1000);
    expect(Buffer.from(bytes).includes(Buffer.from('areas'))).toBe(true);
    expect((await get('/api/tiles/areas/3/9/1.mvt')).status).toBe(400);
    expect((await get('/api/tiles/nope/3/1/1.mvt')).status).toBe(404);
  });
});
