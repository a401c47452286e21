import sharp from 'sharp';
import type { CaseCategoryView, CaseDetail, CasePage, CasePhotoView, RoutingRuleView } from '@cityops/contracts';
import { tileOf } from '../support/authorization';
import { decodeTile } from '../support/mvt';
import { executableHead, samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const TIANHE = '440106';
const HAIZHU = '440105';

interface Answer<T> {
  status: number;
  body: T;
}
interface Problem {
  status: number;
  code?: string;
  errors?: { path: string; message: string }[];
}
interface Grid {
  id: number;
  code: string;
  streetCode: string;
  lon: number;
  lat: number;
}

describe('cases: filing, routing, the loop with its role and scope rules', () => {
  let stack: TestStack;
  let admin: string;
  /** Users by name: their tokens. */
  const as: Record<string, string> = {};
  let tianheGrid: Grid;
  let otherTianheGrid: Grid;
  let haizhuGrid: Grid;

  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const file = (token: string, category: string, grid: Grid, extra: Record<string, unknown> = {}) =>
    call<CaseDetail>(token, 'POST', '/api/cases', {
      category,
      description: `${category} at ${grid.code}`,
      location: [grid.lon, grid.lat],
      ...extra,
    });
  const act = (token: string, code: string, body: Record<string, unknown>) =>
    call<CaseDetail & Problem>(token, 'POST', `/api/cases/${code}/actions`, body);
  const upload = async (token: string, code: string, bytes: Buffer, stage = 'resolve', type = 'image/jpeg') => {
    const res = await fetch(`${stack.url}/api/cases/${code}/photos?stage=${stage}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, body: (await res.json()) as CasePhotoView & Problem & { type?: string } };
  };
  let photoCount = 0;
  /** A photo of the fix, uploaded as the handler's phone would; each one a different image. */
  const storedPhoto = async (code: string, token = as['case-th-handler']): Promise<string> => {
    const answer = await upload(token, code, await samplePhoto('jpeg', { width: 120 + photoCount++, height: 90 }));
    if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };

  const gridIn = async (district: string, skip = 0): Promise<Grid> =>
    (
      await stack.db.query<Grid>(
        `SELECT g.id, g.code, s.code AS "streetCode", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1 JOIN area s ON s.id = g.path_ids[3]
          WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code OFFSET $2 LIMIT 1`,
        [district, skip],
      )
    ).rows[0];

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    tianheGrid = await gridIn(TIANHE);
    haizhuGrid = await gridIn(HAIZHU);
    // A grid of another street of Tianhe: the street's grid worker is out of scope there.
    const others = await stack.db.query<Grid>(
      `SELECT g.id, g.code, s.code AS "streetCode", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM area g JOIN area s ON s.id = g.path_ids[3]
        WHERE g.level = 'grid' AND g.path_ids[2] = (SELECT path_ids[2] FROM area WHERE id = $1) AND s.code <> $2
        ORDER BY g.code LIMIT 1`,
      [tianheGrid.id, tianheGrid.streetCode],
    );
    otherTianheGrid = others.rows[0];
    const users: [string, string[], { area: string }[] | undefined, string | null][] = [
      ['case-operator', ['operator'], undefined, null],
      ['case-th-handler', ['handler'], [{ area: HAIZHU }], 'th-urban-management'],
      ['case-city-handler', ['handler'], undefined, 'urban-management'],
      ['case-gridworker', ['grid_worker'], [{ area: tianheGrid.streetCode }], null],
      ['case-other-gridworker', ['grid_worker'], [{ area: otherTianheGrid.streetCode }], null],
      ['case-hz-operator', ['operator'], [{ area: HAIZHU }], null],
      ['case-analyst', ['analyst'], undefined, null],
    ];
    for (const [username, roles, scopes, department] of users) {
      const user = await createUser(stack.url, admin, { username, roles, scopes, department });
      as[username] = await login(stack.url, user.username, user.password);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the standard category catalog in groups, with the enterprise group’s 24-hour promise', async () => {
    const { status, body } = await call<CaseCategoryView[]>(as['case-gridworker'], 'GET', '/api/case-categories');
    expect(status).toBe(200);
    expect(new Set(body.map((c) => c.group))).toEqual(
      new Set(['urban-management', 'municipal', 'sanitation', 'water-affairs', 'greening', 'traffic', 'public-order', 'enterprise']),
    );
    const vending = body.find((c) => c.key === 'street-vending');
    expect(vending).toMatchObject({ name: '占道经营', group: 'urban-management', groupName: '城管', responsePromiseHours: null });
    expect(body.filter((c) => c.group === 'enterprise').every((c) => c.responsePromiseHours === 24)).toBe(true);
  });

  it('routes by the most specific rule, shows the rule, numbers by district and day, and starts the accept deadline', async () => {
    // 城管 in 天河: the district's rule for the group beats the city's.
    const vending = await file(as['case-gridworker'], 'street-vending', tianheGrid);
    expect(vending.status).toBe(201);
    expect(vending.body.code).toMatch(/^GZ-TH-\d{8}-\d{4}$/);
    expect(vending.body).toMatchObject({
      state: 'dispatched',
      department: 'th-urban-management',
      source: 'grid_worker',
      gridCode: tianheGrid.code,
    });
    expect(vending.body.routedBy).toMatchObject({ category: 'urban-management', areaCode: TIANHE, department: 'th-urban-management' });
    expect(vending.body.areaPath.map((a) => a.level)).toEqual(['city', 'district', 'street', 'community', 'grid']);
    expect(Date.parse(vending.body.acceptDueAt ?? '')).toBeGreaterThan(Date.now());
    expect(vending.body.timeline.map((e) => [e.action, e.actor, e.toState])).toEqual([
      ['filed', 'case-gridworker', 'reported'],
      ['dispatch', 'system', 'dispatched'],
    ]);
    // 城管 elsewhere: the city's rule.
    const haizhu = await file(as['case-operator'], 'street-vending', haizhuGrid);
    expect(haizhu.body).toMatchObject({ department: 'urban-management', source: 'staff' });
    expect(haizhu.body.code).toMatch(/^GZ-HZ-/);
    // A category's own rule beats its group's: parking goes to the police, not the transport bureau.
    const parking = await file(as['case-operator'], 'illegal-parking', tianheGrid);
    expect(parking.body).toMatchObject({ department: 'public-security', routedBy: { category: 'illegal-parking', areaCode: null } });
    // The next case of the district that day takes the next number.
    const [, , day, seq] = vending.body.code.split('-');
    expect(parking.body.code).toBe(`GZ-TH-${day}-${String(Number(seq) + 1).padStart(4, '0')}`);
  });

  it('leaves a case no rule matches for the command centre, which dispatches it by hand', async () => {
    const rule = (await call<RoutingRuleView[]>(admin, 'GET', '/api/case-routing-rules')).body.find((r) => r.category === 'enterprise');
    expect(rule).toBeDefined();
    await call(admin, 'DELETE', `/api/case-routing-rules/${rule?.id}`);
    try {
      const filed = await file(as['case-operator'], 'permit-help', haizhuGrid);
      expect(filed.body).toMatchObject({ state: 'reported', department: null, routedBy: null, acceptDueAt: null });
      expect(filed.body.availableActions).toEqual(expect.arrayContaining(['dispatch', 'invalidate', 'merge', 'cancel']));
      // A department that does not exist, or none, is named.
      expect(
        (await act(as['case-hz-operator'], filed.body.code, { action: 'dispatch', department: 'no-such-dept' })).body.errors?.[0].path,
      ).toBe('department');
      expect((await act(as['case-hz-operator'], filed.body.code, { action: 'dispatch' })).body.errors?.[0].path).toBe('department');
      const dispatched = await act(as['case-hz-operator'], filed.body.code, { action: 'dispatch', department: 'government-data' });
      expect(dispatched.status).toBe(200);
      expect(dispatched.body).toMatchObject({ state: 'dispatched', department: 'government-data', routedBy: null });
      expect(dispatched.body.acceptDueAt).not.toBeNull();
    } finally {
      await call(admin, 'POST', '/api/case-routing-rules', { category: 'enterprise', areaCode: null, department: 'government-data' });
    }
  });

  it('runs the loop: accept, start, resolve with an after photo, verify on site, close with the reporter’s rating', async () => {
    const { body: filed } = await file(as['case-gridworker'], 'street-vending', tianheGrid, { priority: 'high' });
    const code = filed.code;
    // Another department's handler: not theirs.
    const wrongDept = await act(as['case-city-handler'], code, { action: 'accept' });
    expect(wrongDept.status).toBe(403);
    // The grid worker cannot accept for the department; the analyst may not act at all.
    expect((await act(as['case-gridworker'], code, { action: 'accept' })).status).toBe(403);
    expect((await act(as['case-analyst'], code, { action: 'accept' })).status).toBe(403);
    // The Tianhe bureau's handler is scoped to Haizhu, yet sees and works its department's case.
    const handler = as['case-th-handler'];
    expect((await call<CaseDetail>(handler, 'GET', `/api/cases/${code}`)).body.availableActions).toEqual(['accept', 'return']);
    const accepted = await act(handler, code, { action: 'accept', expectedState: 'dispatched' });
    expect(accepted.body).toMatchObject({ state: 'accepted', assignee: 'case-th-handler' });
    expect(Date.parse(accepted.body.resolveDueAt ?? '')).toBeGreaterThan(Date.now());
    // Verifying before the fix: not from this state.
    expect((await act(as['case-gridworker'], code, { action: 'verify' })).status).toBe(409);
    expect((await act(handler, code, { action: 'start' })).body.state).toBe('in_progress');
    const noPhoto = await act(handler, code, { action: 'resolve', comment: 'stall removed' });
    expect(noPhoto.status).toBe(400);
    expect(noPhoto.body.errors?.[0].path).toBe('photoIds');
    // A photo of another case does not count.
    const { body: other } = await file(as['case-operator'], 'garbage-pile', tianheGrid);
    const foreign = await storedPhoto(other.code, as['case-operator']);
    expect((await act(handler, code, { action: 'resolve', photoIds: [foreign] })).body.errors?.[0].path).toBe('photoIds');
    const photo = await storedPhoto(code);
    const resolved = await act(handler, code, { action: 'resolve', photoIds: [photo], comment: 'stall removed' });
    expect(resolved.body.state).toBe('resolved');
    // A grid worker of another street may not verify; the case's own may.
    expect((await act(as['case-other-gridworker'], code, { action: 'verify' })).status).toBe(404);
    const verified = await act(as['case-gridworker'], code, { action: 'verify', comment: 'checked on site' });
    expect(verified.body.state).toBe('verified');
    // The reporter closes with a rating; without one, the field is named.
    expect((await act(as['case-gridworker'], code, { action: 'close' })).body.errors?.[0].path).toBe('rating');
    const closed = await act(as['case-gridworker'], code, { action: 'close', rating: 5 });
    expect(closed.body).toMatchObject({ state: 'closed', rating: 5, availableActions: [] });
    expect(closed.body.timeline.map((e) => e.action)).toEqual(['filed', 'dispatch', 'accept', 'start', 'resolve', 'verify', 'close']);
    expect(closed.body.timeline.find((e) => e.action === 'resolve')?.detail).toEqual({ photos: [photo] });
    // Nothing more: closed is final.
    expect((await act(as['case-operator'], code, { action: 'cancel', reason: 'late' })).status).toBe(409);
  });

  it('reopens a case whose fix does not hold, with a fresh resolve deadline; a return goes back to the command centre', async () => {
    const handler = as['case-th-handler'];
    const { body: filed } = await file(as['case-gridworker'], 'illegal-advertising', tianheGrid);
    await act(handler, filed.code, { action: 'accept' });
    await act(handler, filed.code, { action: 'resolve', photoIds: [await storedPhoto(filed.code)] });
    expect((await act(as['case-gridworker'], filed.code, { action: 'reject' })).body.errors?.[0].path).toBe('reason');
    const reopened = await act(as['case-gridworker'], filed.code, { action: 'reject', reason: 'the posters are back' });
    expect(reopened.body).toMatchObject({ state: 'in_progress' });
    expect(reopened.body.timeline.at(-1)).toMatchObject({ action: 'reject', comment: 'the posters are back', fromState: 'resolved' });

    const { body: wrong } = await file(as['case-gridworker'], 'street-vending', tianheGrid);
    expect((await act(handler, wrong.code, { action: 'return' })).body.errors?.[0].path).toBe('reason');
    const returned = await act(handler, wrong.code, { action: 'return', reason: 'this is a market with a permit' });
    expect(returned.body).toMatchObject({ state: 'returned', department: null, acceptDueAt: null });
    // Out of the department's queue: the handler, scoped to Haizhu, no longer sees it.
    expect((await call(handler, 'GET', `/api/cases/${wrong.code}`)).status).toBe(404);
    const redispatched = await act(as['case-operator'], wrong.code, { action: 'dispatch', department: 'market-regulation' });
    expect(redispatched.body).toMatchObject({ state: 'dispatched', department: 'market-regulation' });
    const rerouted = await act(as['case-operator'], wrong.code, { action: 'reroute', department: 'market-regulation' });
    expect(rerouted.body.errors?.[0].path).toBe('department');
  });

  it('lets one of three racing accepts through and answers the others 409, writing nothing for them', async () => {
    const { body: filed } = await file(as['case-gridworker'], 'street-vending', tianheGrid);
    const handler = as['case-th-handler'];
    const answers = await Promise.all([1, 2, 3].map(() => act(handler, filed.code, { action: 'accept' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const after = (await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${filed.code}`)).body;
    expect(after.timeline.filter((e) => e.action === 'accept')).toHaveLength(1);
    // A stale view: the client saw `dispatched`, the case moved on.
    expect((await act(as['case-operator'], filed.code, { action: 'invalidate', reason: 'x', expectedState: 'dispatched' })).status).toBe(
      409,
    );
  });

  it('merges a duplicate into the case that stands, linked both ways', async () => {
    const { body: first } = await file(as['case-gridworker'], 'garbage-pile', tianheGrid);
    const { body: second } = await file(as['case-operator'], 'garbage-pile', tianheGrid);
    expect((await act(as['case-operator'], second.code, { action: 'merge', mergeInto: second.code })).body.errors?.[0].path).toBe(
      'mergeInto',
    );
    const merged = await act(as['case-operator'], second.code, { action: 'merge', mergeInto: first.code });
    expect(merged.body).toMatchObject({ state: 'duplicate', mergedInto: first.code });
    const survivor = (await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${first.code}`)).body;
    expect(survivor.mergedFrom).toEqual([second.code]);
    expect(survivor.timeline.at(-1)).toMatchObject({ action: 'merged_in', detail: { case: second.code } });
    // Merging into a case that is itself merged away is refused.
    const { body: third } = await file(as['case-operator'], 'garbage-pile', tianheGrid);
    expect((await act(as['case-operator'], third.code, { action: 'merge', mergeInto: second.code })).body.errors?.[0].path).toBe(
      'mergeInto',
    );
  });

  it('answers a retried filing with the case the first attempt filed', async () => {
    const body = { clientRequestId: 'phone-7f3a-0001' };
    const answers = await Promise.all([1, 2, 3].map(() => file(as['case-gridworker'], 'streetlight', tianheGrid, body)));
    expect(new Set(answers.map((a) => a.body.code)).size).toBe(1);
    const rows = await stack.db.query(`SELECT count(*)::int AS n FROM city_case WHERE client_request_id = $1`, [body.clientRequestId]);
    expect(rows.rows[0].n).toBe(1);
    // Another person's request with the same id is another case.
    expect((await file(as['case-operator'], 'streetlight', tianheGrid, body)).body.code).not.toBe(answers[0].body.code);
  });

  it('keeps each reader to their areas, department and own cases, with filters and paging', async () => {
    const hz = as['case-hz-operator'];
    const mine = await call<CasePage>(hz, 'GET', '/api/cases?limit=500');
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((c) => c.districtCode === HAIZHU)).toBe(true);
    const { body: tianhe } = await file(as['case-gridworker'], 'noise', tianheGrid);
    expect((await call(hz, 'GET', `/api/cases/${tianhe.code}`)).status).toBe(404);
    expect((await act(hz, tianhe.code, { action: 'invalidate', reason: 'x' })).status).toBe(404);
    // A scoped operator files only inside its areas.
    const outside = await file(hz, 'noise', tianheGrid);
    expect(outside.status).toBe(400);
    expect(outside.body as unknown as Problem).toMatchObject({ errors: [{ path: 'location', message: 'outside your areas' }] });

    const op = as['case-operator'];
    const byDept = await call<CasePage>(op, 'GET', '/api/cases?department=th-urban-management&open=true');
    expect(byDept.body.items.every((c) => c.department === 'th-urban-management' && !['closed', 'duplicate'].includes(c.state))).toBe(true);
    const byGroup = await call<CasePage>(op, 'GET', '/api/cases?category=urban-management');
    expect(byGroup.body.items.every((c) => c.categoryGroup === 'urban-management')).toBe(true);
    const inStreet = await call<CasePage>(op, 'GET', `/api/cases?area=${tianheGrid.streetCode}`);
    expect(inStreet.body.items.length).toBeGreaterThan(0);
    expect(inStreet.body.items.every((c) => c.gridCode === tianheGrid.code)).toBe(true);
    expect((await call<CasePage>(op, 'GET', `/api/cases?q=${tianhe.code.toLowerCase()}`)).body.items.map((c) => c.code)).toEqual([
      tianhe.code,
    ]);
    expect((await call<CasePage>(op, 'GET', `/api/cases?q=${encodeURIComponent('%')}`)).body.items).toEqual([]);
    // Pages: two at a time, no case twice, newest first.
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: CasePage = (await call<CasePage>(op, 'GET', `/api/cases?limit=2${next ? `&before=${next}` : ''}`)).body;
      seen.push(...page.items.map((c) => c.code));
      next = page.next;
    } while (next);
    const all = (await call<CasePage>(op, 'GET', '/api/cases?limit=500')).body.items.map((c) => c.code);
    expect(seen).toEqual(all);
  });

  it('refuses bad input with the field at fault, never a 5xx', async () => {
    const op = as['case-operator'];
    const bad: [string, unknown, string][] = [
      ['unknown category', { category: 'nope', description: 'x', location: [tianheGrid.lon, tianheGrid.lat] }, 'category'],
      ['outside the city', { category: 'noise', description: 'x', location: [116.4, 39.9] }, 'location'],
      ['longitude out of range', { category: 'noise', description: 'x', location: [181, 23] }, 'location.0'],
      ['a NUL', { category: 'noise', description: 'a\u0000b', location: [tianheGrid.lon, tianheGrid.lat] }, 'description'],
      [
        'from the future',
        { category: 'noise', description: 'x', location: [tianheGrid.lon, tianheGrid.lat], reportedAt: '2999-01-01T00:00:00Z' },
        'reportedAt',
      ],
      [
        'year 0',
        { category: 'noise', description: 'x', location: [tianheGrid.lon, tianheGrid.lat], reportedAt: '0000-01-01T00:00:00Z' },
        'reportedAt',
      ],
      [
        'an unknown alert',
        {
          category: 'noise',
          description: 'x',
          location: [tianheGrid.lon, tianheGrid.lat],
          alertId: '00000000-0000-4000-8000-000000000000',
        },
        'alertId',
      ],
      ['empty description', { category: 'noise', description: '   ', location: [tianheGrid.lon, tianheGrid.lat] }, 'description'],
    ];
    for (const [what, body, path] of bad) {
      const answer = await call<Problem>(op, 'POST', '/api/cases', body);
      expect({ what, status: answer.status, paths: answer.body.errors?.map((e) => e.path) }).toEqual({
        what,
        status: 400,
        paths: expect.arrayContaining([path]),
      });
    }
    expect((await call(op, 'POST', '/api/cases', '{"category":')).status).toBe(400);
    expect((await call(op, 'GET', '/api/cases/GZ-TH-20261129-99999999999')).status).toBe(400);
    expect((await call(op, 'GET', '/api/cases/GZ-TH-20261129-9999')).status).toBe(404);
    expect((await call(op, 'GET', '/api/cases/..%2F..%2Fetc')).status).toBe(400);
    expect((await call(op, 'GET', '/api/cases?state=open,nope')).status).toBe(400);
    expect((await call(op, 'POST', '/api/cases/GZ-TH-20261129-0001/actions', { action: 'explode' })).status).toBe(400);
  });

  it('keeps routing rules unique per category and area, and for admins to change', async () => {
    const rule = { category: 'noise', areaCode: HAIZHU, department: 'ecology-environment' };
    expect((await call(as['case-operator'], 'POST', '/api/case-routing-rules', rule)).status).toBe(403);
    const created = await call<RoutingRuleView>(admin, 'POST', '/api/case-routing-rules', rule);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ category: 'noise', areaCode: HAIZHU, department: 'ecology-environment' });
    expect((await call(admin, 'POST', '/api/case-routing-rules', rule)).status).toBe(409);
    const routed = await file(as['case-operator'], 'noise', haizhuGrid);
    expect(routed.body).toMatchObject({ department: 'ecology-environment', routedBy: { id: created.body.id } });
    const badRule = await call<Problem>(admin, 'POST', '/api/case-routing-rules', {
      category: 'nope',
      areaCode: 'nowhere',
      department: 'nobody',
    });
    expect(badRule.body.errors?.map((e) => e.path).sort()).toEqual(['areaCode', 'category', 'department']);
    expect((await call(admin, 'DELETE', `/api/case-routing-rules/${created.body.id}`)).status).toBe(200);
    expect((await call(admin, 'DELETE', `/api/case-routing-rules/${created.body.id}`)).status).toBe(404);
    // The case it routed keeps its department and shows no rule any more.
    expect((await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${routed.body.code}`)).body).toMatchObject({
      department: 'ecology-environment',
      routedBy: null,
    });
  });

  it('takes photos in by content: location read from EXIF, metadata stripped, a thumbnail; anything else refused and not kept', async () => {
    const { body: filed } = await file(as['case-gridworker'], 'road-damage', tianheGrid);
    const jpeg = await samplePhoto('jpeg', { width: 400, height: 300, gps: { lat: tianheGrid.lat, lon: tianheGrid.lon }, orientation: 6 });
    const first = await upload(as['case-gridworker'], filed.code, jpeg, 'report');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      stage: 'report',
      mimeType: 'image/jpeg',
      width: 300,
      height: 400,
      attached: false,
      uploadedBy: 'case-gridworker',
    });
    expect(first.body.takenLocation?.[0]).toBeCloseTo(tianheGrid.lon, 4);
    expect(first.body.takenLocation?.[1]).toBeCloseTo(tianheGrid.lat, 4);
    // The same image again (a retry): the same photo.
    expect((await upload(as['case-gridworker'], filed.code, jpeg, 'report')).body.id).toBe(first.body.id);
    const bytesOf = async (size: string) => {
      const res = await fetch(`${stack.url}/api/cases/${filed.code}/photos/${first.body.id}?size=${size}`, {
        headers: { authorization: `Bearer ${as['case-operator']}` },
      });
      expect(res.status).toBe(200);
      return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
    };
    const full = await bytesOf('full');
    const meta = await sharp(full.bytes).metadata();
    expect({ type: full.type, format: meta.format, exif: meta.exif, orientation: meta.orientation }).toEqual({
      type: 'image/jpeg',
      format: 'jpeg',
      exif: undefined,
      orientation: undefined,
    });
    expect([meta.width, meta.height]).toEqual([300, 400]);
    const thumbnail = await bytesOf('thumbnail');
    expect(thumbnail.type).toBe('image/webp');
    expect((await sharp(thumbnail.bytes).metadata()).width).toBeLessThanOrEqual(320);
    expect((await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${filed.code}`)).body.photos.map((p) => p.id)).toEqual([
      first.body.id,
    ]);

    const before = (await stack.db.query(`SELECT count(*)::int AS n FROM case_photo`)).rows[0].n;
    const refused: [string, Buffer, string, number, string][] = [
      ['a renamed executable', executableHead(), 'image/jpeg', 415, 'case_photo_type'],
      [
        'an SVG',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'image/png',
        415,
        'case_photo_type',
      ],
      ['a JPEG cut in half', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg', 422, 'case_photo_broken'],
      ['nothing', Buffer.alloc(0), 'image/jpeg', 422, 'case_photo_empty'],
    ];
    for (const [what, bytes, type, status, problem] of refused) {
      const answer = await upload(as['case-gridworker'], filed.code, bytes, 'report', type);
      expect({ what, status: answer.status, type: answer.body.type }).toEqual({ what, status, type: expect.stringContaining(problem) });
    }
    const tooLarge = await upload(as['case-gridworker'], filed.code, Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'report');
    expect(tooLarge.status).toBe(413);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM case_photo`)).rows[0].n).toBe(before);
    // Outside the caller's areas the case does not exist; a stage that does not exist is named.
    expect((await upload(as['case-hz-operator'], filed.code, jpeg, 'report')).status).toBe(404);
    expect((await upload(as['case-gridworker'], filed.code, jpeg, 'before')).status).toBe(400);
  });

  it('suggests duplicates: the same category within 100 m and 48 h, open, seen by the caller; and on the later case for dispatchers', async () => {
    // A grid of its own, so other tests' cases do not count here.
    const place = await gridIn(TIANHE, 7);
    const { body: first } = await file(as['case-gridworker'], 'public-toilet', place);
    const near = [place.lon + 0.0005, place.lat]; // about 51 m east
    const far = [place.lon + 0.002, place.lat]; // about 205 m east
    const ask = (token: string, category: string, [lon, lat]: number[]) =>
      call<{ case: { code: string }; distanceMeters: number }[]>(
        token,
        'GET',
        `/api/cases/duplicates?category=${category}&lon=${lon}&lat=${lat}`,
      );
    const found = await ask(as['case-operator'], 'public-toilet', near);
    expect(found.status).toBe(200);
    expect(found.body.map((d) => d.case.code)).toEqual([first.code]);
    expect(found.body[0].distanceMeters).toBeGreaterThan(40);
    expect(found.body[0].distanceMeters).toBeLessThan(60);
    expect((await ask(as['case-operator'], 'public-toilet', far)).body).toEqual([]);
    expect((await ask(as['case-operator'], 'garbage-pile', near)).body.map((d) => d.case.code)).not.toContain(first.code);
    // Out of a caller's areas there is nothing to suggest.
    expect((await ask(as['case-hz-operator'], 'public-toilet', near)).body).toEqual([]);
    expect((await ask(as['case-operator'], 'public-toilet', [200, 0])).status).toBe(400);

    const { body: second } = await file(as['case-operator'], 'public-toilet', { ...place, lon: near[0], lat: near[1] });
    const seen = (await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${second.code}`)).body;
    expect(seen.possibleDuplicates.map((d) => d.case.code)).toEqual([first.code]);
    // The earlier case is the one to keep: it does not suggest the later one.
    expect((await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${first.code}`)).body.possibleDuplicates).toEqual([]);
    // An older case (filed three days ago) is not a duplicate any more.
    await stack.db.query(`UPDATE city_case SET created_at = now() - interval '72 hours' WHERE code = $1`, [first.code]);
    expect((await ask(as['case-operator'], 'public-toilet', near)).body.map((d) => d.case.code)).toEqual([second.code]);
    // Merged: no longer open, no longer suggested.
    await act(as['case-operator'], second.code, { action: 'merge', mergeInto: first.code });
    expect((await ask(as['case-operator'], 'public-toilet', near)).body).toEqual([]);
  });

  it('splits a second problem off a case: a new case routed on its own, same reporter, linked both ways', async () => {
    const { body: original } = await file(as['case-gridworker'], 'garbage-pile', tianheGrid);
    const body = { category: 'illegal-parking', description: 'a van blocks the bins', reason: 'two problems in one report' };
    expect((await call(as['case-gridworker'], 'POST', `/api/cases/${original.code}/split`, body)).status).toBe(403);
    expect((await call(as['case-hz-operator'], 'POST', `/api/cases/${original.code}/split`, body)).status).toBe(404);
    const split = await call<CaseDetail>(as['case-operator'], 'POST', `/api/cases/${original.code}/split`, body);
    expect(split.status).toBe(201);
    expect(split.body).toMatchObject({
      category: 'illegal-parking',
      department: 'public-security',
      splitFrom: original.code,
      source: 'grid_worker',
    });
    expect(split.body.location).toEqual(original.location);
    // The reporter follows it: the grid worker sees it as theirs, and may close it with a rating later.
    expect(split.body.timeline.map((e) => e.action)).toEqual(['filed', 'dispatch', 'split_from']);
    const after = (await call<CaseDetail>(as['case-gridworker'], 'GET', `/api/cases/${original.code}`)).body;
    expect(after.splitInto).toEqual([split.body.code]);
    expect(after.timeline.at(-1)).toMatchObject({ action: 'split', comment: body.reason, detail: { case: split.body.code } });
    expect((await call(as['case-operator'], 'POST', `/api/cases/${original.code}/split`, { ...body, reason: undefined })).status).toBe(400);
    // The answer says who may split, as the split itself decides: the command centre in its areas, on a case not final.
    expect(after.maySplit).toBe(false);
    expect((await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${original.code}`)).body.maySplit).toBe(true);
    expect(
      (await call(as['case-operator'], 'POST', `/api/cases/${split.body.code}/actions`, { action: 'merge', mergeInto: original.code }))
        .status,
    ).toBe(200);
    expect((await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${split.body.code}`)).body.maySplit).toBe(false);
    expect((await call(as['case-operator'], 'POST', `/api/cases/${split.body.code}/split`, body)).status).toBe(409);
  });

  it('serves open cases as GeoJSON points for a map layer, in the caller’s sight, by box, state, group, overdue and supervision', async () => {
    const { body: mapped } = await file(as['case-operator'], 'signal-fault', haizhuGrid);
    type Layer = {
      type: string;
      truncated: boolean;
      features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    const layer = await call<Layer>(as['case-operator'], 'GET', '/api/cases/map');
    expect(layer.status).toBe(200);
    expect(layer.body.type).toBe('FeatureCollection');
    const feature = layer.body.features.find((f) => f.id === mapped.code);
    expect(feature?.geometry.coordinates).toEqual(mapped.location);
    expect(feature?.properties).toMatchObject({
      state: 'dispatched',
      category: 'signal-fault',
      categoryName: '信号灯故障',
      overdue: false,
      supervisionLevel: 0,
    });
    // Closed cases are left out unless asked for; a box elsewhere holds nothing of it.
    expect(layer.body.features.every((f) => !['closed', 'duplicate', 'invalid', 'cancelled'].includes(String(f.properties.state)))).toBe(
      true,
    );
    const [lon, lat] = mapped.location;
    const inBox = await call<Layer>(
      as['case-operator'],
      'GET',
      `/api/cases/map?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`,
    );
    expect(inBox.body.features.map((f) => f.id)).toContain(mapped.code);
    const elsewhere = await call<Layer>(
      as['case-operator'],
      'GET',
      `/api/cases/map?bbox=${lon + 0.01},${lat + 0.01},${lon + 0.02},${lat + 0.02}`,
    );
    expect(elsewhere.body.features.map((f) => f.id)).not.toContain(mapped.code);
    expect(
      (await call<Layer>(as['case-operator'], 'GET', '/api/cases/map?category=traffic')).body.features.every(
        (f) => f.properties.category === 'signal-fault' || f.properties.category === 'illegal-parking',
      ),
    ).toBe(true);
    expect(
      (await call<Layer>(as['case-operator'], 'GET', '/api/cases/map?state=closed')).body.features.every(
        (f) => f.properties.state === 'closed',
      ),
    ).toBe(true);
    expect(
      (await call<Layer>(as['case-operator'], 'GET', '/api/cases/map?supervised=true')).body.features.every(
        (f) => Number(f.properties.supervisionLevel) > 0,
      ),
    ).toBe(true);
    // A second case, so that one is fewer than the caller sees (this test may run on its own).
    await file(as['case-operator'], 'signal-fault', haizhuGrid);
    const one = await call<Layer>(as['case-operator'], 'GET', '/api/cases/map?limit=1');
    expect(one.body).toMatchObject({ truncated: true });
    expect(one.body.features).toHaveLength(1);
    // A Tianhe-scoped grid worker does not see Haizhu's cases.
    expect((await call<Layer>(as['case-gridworker'], 'GET', '/api/cases/map')).body.features.map((f) => f.id)).not.toContain(mapped.code);
    expect((await call(as['case-operator'], 'GET', '/api/cases/map?bbox=1,2,3')).status).toBe(400);
  });

  it('serves open cases as vector tiles in the caller’s sight, answered anew once a case changes and 304 until then', async () => {
    const filed = (await file(as['case-gridworker'], 'street-vending', tianheGrid)).body;
    const tile = tileOf(filed.location[0], filed.location[1], 14);
    const path = `/api/tiles/cases/${tile.z}/${tile.x}/${tile.y}.mvt`;
    const get = async (token: string, etag?: string) => {
      const res = await fetch(`${stack.url}${path}`, {
        headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) },
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      const cases = res.status === 200 ? (decodeTile(bytes, tile).cases ?? []) : [];
      return { status: res.status, etag: res.headers.get('etag') ?? '', cacheControl: res.headers.get('cache-control'), cases };
    };
    const point = (answer: Awaited<ReturnType<typeof get>>) => answer.cases.find((f) => f.properties.code === filed.code);

    const first = await get(as['case-operator']);
    expect(first.status).toBe(200);
    expect(first.cacheControl).toBe('private, no-cache');
    expect(point(first)?.properties).toEqual({
      code: filed.code,
      category: 'street-vending',
      state: 'dispatched',
      priority: filed.priority,
      supervisionLevel: 0,
      due: Math.floor(Date.parse(filed.acceptDueAt ?? '') / 1000),
    });
    const [lon, lat] = point(first)?.geometry.coordinates as [number, number];
    expect(lon).toBeCloseTo(filed.location[0], 3);
    expect(lat).toBeCloseTo(filed.location[1], 3);
    expect((await get(as['case-operator'], first.etag)).status).toBe(304);

    // The sight: its street's grid worker and the department it went to see it (the handler's own
    // areas are Haizhu's); an operator of Haizhu does not.
    expect(point(await get(as['case-gridworker']))).toBeDefined();
    expect(point(await get(as['case-th-handler']))).toBeDefined();
    const haizhu = await get(as['case-hz-operator']);
    expect(haizhu.status).toBe(200);
    expect(point(haizhu)).toBeUndefined();

    // A change is seen at once: the old ETag no longer holds, and the point has its new state; a case
    // that ends leaves the tiles.
    expect((await act(as['case-th-handler'], filed.code, { action: 'accept' })).status).toBe(200);
    const accepted = (await call<CaseDetail>(as['case-operator'], 'GET', `/api/cases/${filed.code}`)).body;
    const after = await get(as['case-operator'], first.etag);
    expect(after.status).toBe(200);
    expect(point(after)?.properties).toMatchObject({ state: 'accepted', due: Math.floor(Date.parse(accepted.resolveDueAt ?? '') / 1000) });
    expect((await act(as['case-th-handler'], filed.code, { action: 'return', reason: 'a market with a permit' })).status).toBe(200);
    expect((await act(as['case-operator'], filed.code, { action: 'invalidate', reason: 'not a problem' })).status).toBe(200);
    const ended = await get(as['case-operator'], after.etag);
    expect(ended.status).toBe(200);
    expect(point(ended)).toBeUndefined();
  });
});
