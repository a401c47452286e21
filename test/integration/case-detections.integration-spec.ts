import type { CaseDetail, DetectionResult, DetectionView, FeedKeySecret } from '@cityops/contracts';
import { login, startStack, type TestStack } from '../support/stack';

const FEED = 'street-video';
const OTHER_FEED = 'street-video-b';

interface Grid {
  code: string;
  lon: number;
  lat: number;
}

describe('machine-filed cases: detections become cases, deduplicated, every one kept with its verdict', () => {
  let stack: TestStack;
  let admin: string;
  let feedSecret: string;
  let otherSecret: string;
  let grid: Grid;
  let clock = Date.now() - 3600_000;

  const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const detection = (id: string, kind: string, extra: Record<string, unknown> = {}) => ({
    id,
    kind,
    confidence: 0.9,
    location: [grid.lon, grid.lat],
    detectedAt: new Date((clock += 1000)).toISOString(),
    snapshotUrl: `https://video.example/frames/${id}.jpg`,
    ...extra,
  });
  const push = (token: string, detections: unknown[], feed = FEED) =>
    call<DetectionResult>(token, 'POST', `/api/feeds/${feed}/detections`, { detections });

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    for (const key of [FEED, OTHER_FEED]) {
      expect((await call(admin, 'POST', '/api/feeds', { key, name: `视频识别 ${key}`, metrics: [{ key: 'count' }] })).status).toBe(201);
    }
    feedSecret = (await call<FeedKeySecret>(admin, 'POST', '/api/feed-keys', { feed: FEED, name: 'analytics box' })).body.secret;
    otherSecret = (await call<FeedKeySecret>(admin, 'POST', '/api/feed-keys', { feed: OTHER_FEED, name: 'other box' })).body.secret;
    grid = (
      await stack.db.query<Grid>(
        `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = '440104' WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
      )
    ).rows[0];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a feed that is not a case source, and a mapping to categories that do not exist', async () => {
    const refused = await push(feedSecret, [detection('d-0', 'stall')]);
    expect(refused.status).toBe(409);
    const bad = await call<{ errors: { path: string }[] }>(admin, 'PUT', `/api/case-detection-sources/${FEED}`, {
      categories: { stall: 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path)).toEqual(['categories.stall']);
    expect((await call(admin, 'PUT', '/api/case-detection-sources/no-such-feed', { categories: { stall: 'street-vending' } })).status).toBe(
      404,
    );
    const put = await call(admin, 'PUT', `/api/case-detection-sources/${FEED}`, {
      categories: { stall: 'street-vending', garbage: 'garbage-pile' },
      minConfidence: 0.6,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ feed: FEED, minConfidence: 0.6, enabled: true, updatedBy: 'admin' });
  });

  it('files a case per new problem, attaches repeat sightings, ignores weak ones, rejects bad ones — each on its own', async () => {
    // Nested 20,000 deep: written as text, since JSON.stringify itself cannot go that deep.
    const deep = `${'{"n":'.repeat(20_000)}{}${'}'.repeat(20_000)}`;
    const batch = JSON.stringify({
      detections: [
        detection('d-1', 'stall'),
        detection('d-2', 'stall', { location: [grid.lon + 0.0003, grid.lat] }), // ~30 m away: the same stall
        detection('d-3', 'garbage'),
        detection('d-4', 'stall', { confidence: 0.3 }),
        detection('d-5', 'fire'),
        detection('d-6', 'stall', { location: [116.4, 39.9] }),
        detection('d-7', 'stall', { confidence: 2 }),
        { ...detection('d-8', 'stall'), description: 'a\u0000b' },
        { ...detection('d-9', 'stall'), extra: 'DEEP' },
        'not an object',
        detection('d-10', 'stall', { detectedAt: '0000-01-01T00:00:00Z' }),
      ],
    }).replace('"DEEP"', deep);
    const answer = await call<DetectionResult>(feedSecret, 'POST', `/api/feeds/${FEED}/detections`, batch);
    expect(answer.status).toBe(200);
    const byId = new Map(answer.body.results.map((r) => [r.id ?? `#${r.index}`, r]));
    expect(byId.get('d-1')).toMatchObject({ verdict: 'filed', repeated: false });
    expect(byId.get('d-2')).toMatchObject({ verdict: 'attached', caseCode: byId.get('d-1')?.caseCode });
    expect(byId.get('d-3')).toMatchObject({ verdict: 'filed' });
    expect(byId.get('d-3')?.caseCode).not.toBe(byId.get('d-1')?.caseCode);
    expect(byId.get('d-4')).toMatchObject({ verdict: 'ignored', reason: expect.stringContaining('floor') });
    expect(byId.get('d-5')).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('not mapped') });
    expect(byId.get('d-6')).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('location') });
    expect(byId.get('d-7')).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('confidence') });
    expect(byId.get('d-8')).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('NUL') });
    expect(byId.get('d-9')).toMatchObject({ verdict: 'rejected' });
    expect(byId.get('#9')).toMatchObject({ verdict: 'rejected', id: null });
    expect(byId.get('d-10')).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('detectedAt') });
    expect(answer.body).toMatchObject({ received: 11, filed: 2, attached: 1, ignored: 1, rejected: 7 });

    // The case: source machine, the detection's confidence and snapshot, the repeat sighting on its timeline.
    const filed = (await call<CaseDetail>(admin, 'GET', `/api/cases/${byId.get('d-1')?.caseCode}`)).body;
    expect(filed).toMatchObject({ source: 'machine', category: 'street-vending', state: 'dispatched', reporter: `视频识别 ${FEED}` });
    expect(filed.detections.map((d) => [d.detectionId, d.verdict, d.confidence, d.snapshotUrl])).toEqual([
      ['d-2', 'attached', 0.9, 'https://video.example/frames/d-2.jpg'],
      ['d-1', 'filed', 0.9, 'https://video.example/frames/d-1.jpg'],
    ]);
    expect(filed.timeline.at(-1)).toMatchObject({ action: 'detected', actor: FEED, detail: { detection: 'd-2' } });

    // Kept for inspection, the rejected ones as they came.
    const rejected = await call<DetectionView[]>(admin, 'GET', `/api/feeds/${FEED}/detections?verdict=rejected`);
    expect(rejected.body).toHaveLength(7);
    expect(rejected.body.find((d) => d.detectionId === 'd-8')?.raw).toContain('a\\u0000b');
    expect(rejected.body.find((d) => d.detectionId === null)?.raw).toBe('"not an object"');
  });

  it('answers a re-sent detection with what became of it, filing nothing twice', async () => {
    const before = (await stack.db.query(`SELECT count(*)::int AS n FROM city_case WHERE source = 'machine'`)).rows[0].n;
    const again = await push(feedSecret, [detection('d-1', 'stall'), detection('d-4', 'stall', { confidence: 0.3 })]);
    expect(again.body.results.map((r) => [r.id, r.verdict, r.repeated])).toEqual([
      ['d-1', 'filed', true],
      ['d-4', 'ignored', true],
    ]);
    expect(again.body).toMatchObject({ filed: 0, ignored: 0 });
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM city_case WHERE source = 'machine'`)).rows[0].n).toBe(before);
  });

  it('lets only the feed’s own keys and admins push, and refuses a body that is not a batch', async () => {
    expect((await push(otherSecret, [detection('x-1', 'stall')])).status).toBe(403);
    expect((await push(otherSecret, [detection('x-1', 'stall')], OTHER_FEED)).status).toBe(409);
    expect((await call(feedSecret, 'POST', `/api/feeds/${FEED}/detections`, { detections: [] })).status).toBe(400);
    expect((await call(feedSecret, 'POST', `/api/feeds/${FEED}/detections`, '{"detections":')).status).toBe(400);
    expect((await call(feedSecret, 'POST', `/api/feeds/${FEED}/detections`, [1, 2])).status).toBe(400);
    expect((await push(admin, [detection('a-1', 'garbage', { location: [grid.lon + 0.01, grid.lat] })])).body.filed).toBe(1);
  });
});
