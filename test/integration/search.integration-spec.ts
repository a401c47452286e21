import type { AreaView, SearchHit } from '@cityops/contracts';
import { CAMERAS_FEED } from '@cityops/demo';
import { createUser, login, startStack, type TestStack } from '../support/stack';

/** Tianhe and Haizhu, two districts of the demo city. */
const TIANHE = '440106';
const HAIZHU = '440105';

describe('search: the map’s search box finds areas by name or code and located entities by name or id, in the caller’s scope', () => {
  let stack: TestStack;
  let admin: string;
  let tianheAnalyst: string;
  const search = async (token: string, query: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${stack.url}/api/search?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  };
  const hits = async (token: string, q: string, limit?: number): Promise<SearchHit[]> => {
    const { status, body } = await search(token, new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) }).toString());
    expect(status).toBe(200);
    return body as SearchHit[];
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    const analyst = await createUser(stack.url, admin, { username: 'search-tianhe', roles: ['analyst'], scopes: [{ area: TIANHE }] });
    tianheAnalyst = await login(stack.url, analyst.username, analyst.password);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('finds a district by its code first, with a point and a box to fly to', async () => {
    const found = await hits(admin, TIANHE);
    expect(found[0]).toMatchObject({ kind: 'area', code: TIANHE, level: 'district' });
    const first = found[0] as Extract<SearchHit, { kind: 'area' }>;
    if (!first.bbox || !first.center) throw new Error('the district has no box or point');
    const [w, s, e, n] = first.bbox;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThan(n);
    expect(first.center[0]).toBeGreaterThanOrEqual(w);
    expect(first.center[0]).toBeLessThanOrEqual(e);
  });

  it('finds areas by part of their Chinese or English name, coarser levels first, whatever the case', async () => {
    const district = (await (
      await fetch(`${stack.url}/api/areas?level=district`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as AreaView[];
    const haizhu = district.find((d) => d.code === HAIZHU);
    if (!haizhu) throw new Error('no Haizhu in the demo city');
    const byName = await hits(admin, haizhu.name.slice(0, 2));
    expect(byName.some((h) => h.kind === 'area' && h.id === haizhu.id)).toBe(true);
    const levels = byName.filter((h) => h.kind === 'area').map((h) => h.level);
    const order = ['city', 'district', 'street', 'community', 'grid', 'zone'];
    expect(levels.map((l) => order.indexOf(l))).toEqual([...levels.map((l) => order.indexOf(l))].sort((a, b) => a - b));
    if (haizhu.nameEn) {
      const byEnglish = await hits(admin, haizhu.nameEn.toUpperCase());
      expect(byEnglish.some((h) => h.kind === 'area' && h.id === haizhu.id)).toBe(true);
    }
  });

  it('finds a located entity (a camera) by its id and by its name', async () => {
    const { rows } = await stack.db.query<{ id: string; name: string }>(
      `SELECT entity_id AS id, props->>'name' AS name FROM entity WHERE feed_key = $1 AND geom IS NOT NULL ORDER BY entity_id LIMIT 1`,
      [CAMERAS_FEED.key],
    );
    const camera = rows[0];
    const byId = await hits(admin, camera.id);
    expect(byId.find((h) => h.kind === 'entity')).toMatchObject({ kind: 'entity', feed: CAMERAS_FEED.key, id: camera.id });
    const byName = await hits(admin, camera.name, 50);
    expect(byName.some((h) => h.kind === 'entity' && h.id === camera.id)).toBe(true);
  });

  it('reads % and _ as themselves, not as wildcards', async () => {
    expect(await hits(admin, '%')).toEqual([]);
    expect(await hits(admin, '_')).toEqual([]);
  });

  it('keeps a district-scoped analyst to their district', async () => {
    expect((await hits(tianheAnalyst, TIANHE)).some((h) => h.kind === 'area' && h.code === TIANHE)).toBe(true);
    expect((await hits(tianheAnalyst, HAIZHU)).some((h) => h.kind === 'area' && h.code === HAIZHU)).toBe(false);
  });

  it.each([
    ['no q', ''],
    ['an empty q', 'q=%20%20'],
    ['a q longer than 100 characters', `q=${'x'.repeat(101)}`],
    ['a limit of 0', 'q=a&limit=0'],
    ['a limit that is not a number', 'q=a&limit=many'],
  ])('answers %s with 400 and the reason', async (_name, query) => {
    const { status, body } = await search(admin, query);
    expect(status).toBe(400);
    expect((body as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
  });

  it('answers 401 without a token', async () => {
    const res = await fetch(`${stack.url}/api/search?q=a`);
    expect(res.status).toBe(401);
  });
});
