import type { Client } from 'pg';
import { AreaDirectory, AreaLocator } from '@cityops/geo';
import { eventually } from '../support/eventually';
import { login, startStack, type TestStack } from '../support/stack';

describe('area locator: the in-memory grid index agrees with PostGIS and follows area changes', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    db = stack.db;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('finds the same grid as ST_Intersects for 3,000 points spread over the city', async () => {
    const points: { lon: number; lat: number; grid: number | null }[] = (
      await db.query(
        `SELECT p.lon, p.lat, (SELECT id FROM area g WHERE g.level = 'grid' AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) LIMIT 1) AS grid
           FROM (SELECT 112.95 + random() * 1.1 AS lon, 22.56 + random() * 1.38 AS lat FROM generate_series(1, 3000)) p`,
      )
    ).rows;
    const located = await stack.api!.get(AreaLocator).locateMany(points.map((p) => [p.lon, p.lat]));
    const disagreements = points.filter((p, i) => (located[i]?.areaId ?? null) !== p.grid);
    expect(points.filter((p) => p.grid !== null).length).toBeGreaterThan(1000);
    expect(disagreements).toEqual([]);
  });

  it('sees a newly imported grid in every process (API and worker) without a restart', async () => {
    const admin = await login(stack.url);
    const community = (await db.query(`SELECT code FROM area WHERE level = 'community' ORDER BY code LIMIT 1`)).rows[0];
    // A corner no generated grid covers.
    const [lon, lat] = [112.92, 22.52];
    const workerLocator = stack.workers[0].get(AreaLocator);
    const apiLocator = stack.api!.get(AreaLocator);
    expect(await workerLocator.locateMany([[lon, lat]])).toEqual([null]);
    const d = 0.005;
    const square = [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ];
    const res = await fetch(`${stack.url}/api/areas/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        level: 'grid',
        codeField: 'code',
        nameField: 'name',
        parentCode: community.code,
        featureCollection: {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { code: 'NEW-GRID', name: '新网格' }, geometry: { type: 'Polygon', coordinates: square } },
          ],
        },
      }),
    });
    expect(res.status).toBe(200);
    const id = (await db.query(`SELECT id FROM area WHERE code = 'NEW-GRID'`)).rows[0].id;
    // The importing process knows at once; the worker hears it over Redis.
    expect((await apiLocator.locateMany([[lon, lat]]))[0]?.areaId).toBe(id);
    await eventually(async () => (await workerLocator.locateMany([[lon, lat]]))[0]?.areaId === id, 5000, 'the worker to see the new grid');
  });

  it('names a just-imported area in a process that did not import it, and a renamed one once the change is heard', async () => {
    const admin = await login(stack.url);
    const directory = stack.workers[0].get(AreaDirectory);
    const zone = (name: string) =>
      fetch(`${stack.url}/api/areas/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          level: 'zone',
          zoneSet: 'test-directory',
          codeField: 'code',
          nameField: 'name',
          featureCollection: {
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { code: 'DIR-1', name, seq: 1, capacity: 500 },
                geometry: {
                  type: 'Polygon',
                  coordinates: [
                    [
                      [113.32, 23.12],
                      [113.33, 23.12],
                      [113.33, 23.13],
                      [113.32, 23.13],
                      [113.32, 23.12],
                    ],
                  ],
                },
              },
            ],
          },
        }),
      });
    expect((await directory.byCodes(['DIR-1'])).size).toBe(0);
    expect((await zone('第一区')).status).toBe(200);
    // Not held yet: looked up, so the worker knows the new code at once.
    const first = (await directory.byCodes(['DIR-1'])).get('DIR-1');
    expect(first).toMatchObject({ name: '第一区', level: 'zone', zoneSet: 'test-directory', capacity: 500, seq: 1 });
    expect(await directory.zoneSetAreas('test-directory')).toEqual([first]);
    expect((await zone('改名区')).status).toBe(200);
    // Held from before: the worker answers the new name once it hears that areas changed.
    await eventually(async () => (await directory.byCodes(['DIR-1'])).get('DIR-1')?.name === '改名区', 5000, 'the renamed zone');
    expect((await directory.byIds([first!.id])).get(first!.id)?.name).toBe('改名区');
    expect((await directory.zoneSetAreas('test-directory')).map((a) => a.name)).toEqual(['改名区']);
  });
});
