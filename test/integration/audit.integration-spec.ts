import { randomUUID } from 'node:crypto';
import type { AuditEventView, AuditPage, ProblemDetails, SceneView } from '@cityops/contracts';
import { AuditService } from '@cityops/identity';
import { eventually } from '../support/eventually';
import { createUser, feedToken, kioskLogin, login, startStack, type TestStack } from '../support/stack';

/** Values that must never reach the audit trail, in any column. */
const SECRETS = ['pw-secret-7d1', 'query-secret-7d1', 'header-secret-7d1'];

describe('the audit trail: every write recorded once answered, read by admins only', () => {
  let stack: TestStack;
  let admin: string;
  let kiosk: string;

  /** A request with its own request id, so that its event can be found. */
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; type?: string } = {}) => {
    const requestId = `audit-test-${randomUUID()}`;
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, text, requestId, json: <T>() => JSON.parse(text) as T };
  };

  /** The events of one request, as the admin's API answers them. */
  const eventsOf = (requestId: string) =>
    stack.db
      .query<{ id: string }>(`SELECT id FROM audit.audit_event WHERE request_id = $1 ORDER BY id`, [requestId])
      .then(async ({ rows }) => {
        if (rows.length === 0) return [];
        const page = await call('GET', `/api/audit?before=${Number(rows.at(-1)!.id) + 1}&limit=${rows.length}`, { token: admin });
        return page.json<AuditPage>().events.filter((e) => e.requestId === requestId);
      });
  const eventOf = (requestId: string, what: string) =>
    eventually(async () => (await eventsOf(requestId))[0], 10000, `the audit event of ${what}`);

  const connector = (over: Record<string, unknown> = {}) => ({
    url: 'http://robot:pw-secret-7d1@127.0.0.1:9/air?token=query-secret-7d1&city=gz',
    format: 'json',
    intervalSeconds: 3600,
    metric: 'level',
    mapping: { value: 'v' },
    headers: { 'x-api-key': 'header-secret-7d1' },
    ...over,
  });

  beforeAll(async () => {
    // The connectors' source would be on this machine, which connectors may name only when allowed.
    stack = await startStack({ workers: 0, env: { CONNECTOR_ALLOW_HOSTS: '127.0.0.1' } });
    admin = await login(stack.url);
    kiosk = await kioskLogin(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('records a created feed: who, from where, what it looks like after, its connector secrets masked', async () => {
    const created = await call('POST', '/api/feeds', {
      token: admin,
      body: { key: 'audit-air', name: '空气质量 audit', metrics: [{ key: 'level' }], connector: connector() },
    });
    expect(created.status).toBe(201);

    const event = await eventOf(created.requestId, 'POST /api/feeds');
    expect(event).toMatchObject({
      action: 'feed.create',
      outcome: 'success',
      actorKind: 'user',
      actorName: 'admin',
      actorRoles: ['admin'],
      targetType: 'feed',
      targetId: 'audit-air',
      before: null,
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
      requestId: created.requestId,
      detail: { method: 'POST', route: '/api/feeds', status: 201 },
    });
    expect(event.after).toMatchObject({ key: 'audit-air', name: '空气质量 audit', connector: { headers: { 'x-api-key': '********' } } });
    expect(Date.parse(event.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records a changed feed with how it was before and after', async () => {
    await call('POST', '/api/feeds', { token: admin, body: { key: 'audit-water', name: 'before', metrics: [{ key: 'level' }] } });
    const changed = await call('PUT', '/api/feeds/audit-water', {
      token: admin,
      body: { name: 'after', metrics: [{ key: 'level' }, { key: 'flow' }], connector: connector() },
    });
    expect(changed.status).toBe(200);

    const event = await eventOf(changed.requestId, 'PUT /api/feeds/:key');
    expect(event).toMatchObject({
      action: 'feed.update',
      outcome: 'success',
      targetType: 'feed',
      targetId: 'audit-water',
      before: { key: 'audit-water', name: 'before', connector: null },
      after: { key: 'audit-water', name: 'after' },
      detail: { route: '/api/feeds/:key', params: { key: 'audit-water' }, status: 200 },
    });
    expect((event.after as { metrics: unknown[] }).metrics).toHaveLength(2);
  });

  it('records a wall scene put with the scene before and after', async () => {
    const scene = (await call('GET', '/api/scenes', { token: admin })).json<SceneView[]>()[0];
    const { key, ...definition } = scene;
    const put = await call('PUT', `/api/scenes/${key}`, { token: admin, body: { ...definition, totalLabel: '在场人数（审计）' } });
    expect(put.status).toBe(200);

    const event = await eventOf(put.requestId, 'PUT /api/scenes/:key');
    expect(event).toMatchObject({
      action: 'scene.update',
      targetType: 'scene',
      targetId: key,
      before: { key, totalLabel: scene.totalLabel },
      after: { key, totalLabel: '在场人数（审计）' },
    });
  });

  it('records a failed write with the problem it answered, and a refused one as denied', async () => {
    const missing = await call('PUT', '/api/feeds/audit-no-such-feed', { token: admin, body: { name: 'x', metrics: [{ key: 'a' }] } });
    expect(missing.status).toBe(404);
    expect(await eventOf(missing.requestId, 'a 404')).toMatchObject({
      action: 'feed.update',
      outcome: 'failed',
      targetId: 'audit-no-such-feed',
      before: null,
      after: null,
      detail: { status: 404, problem: { type: 'urn:cityops:problem:feed_not_found' } },
    });

    const invalid = await call('POST', '/api/feeds', { token: admin, body: { key: 'Not A Key', name: '' } });
    expect(invalid.status).toBe(400);
    expect(await eventOf(invalid.requestId, 'a 400')).toMatchObject({
      action: 'feed.create',
      outcome: 'failed',
      detail: { status: 400, problem: { type: 'urn:cityops:problem:validation_failed' } },
    });

    // A wall display may read, not write: the guard's refusal is on record, with who tried.
    const refused = await call('POST', '/api/feeds', { token: kiosk, body: { key: 'audit-kiosk', name: 'k', metrics: [{ key: 'a' }] } });
    expect(refused.status).toBe(403);
    expect(await eventOf(refused.requestId, 'a 403')).toMatchObject({
      action: 'feed.create',
      outcome: 'denied',
      actorKind: 'display',
      actorName: 'wall-kiosk',
      actorRoles: [],
      detail: { status: 403 },
    });
  });

  it('records nothing for a write without a valid token (nobody to name), nor for sign-in, which is for AuthService to record', async () => {
    const anonymous = await call('POST', '/api/feeds', { body: { key: 'audit-anon', name: 'a', metrics: [{ key: 'a' }] } });
    expect(anonymous.status).toBe(401);
    const signIn = await call('POST', '/api/auth/login', { body: { username: 'admin', password: 'wrong-password' } });
    expect(signIn.status).toBe(401);
    // A later write's event is stored, so these two would be by now.
    const later = await call('POST', '/api/feeds', { token: admin, body: { key: 'audit-later', name: 'l', metrics: [{ key: 'a' }] } });
    await eventOf(later.requestId, 'a later write');
    expect(await eventsOf(anonymous.requestId)).toEqual([]);
    expect((await eventsOf(signIn.requestId)).filter((e) => e.action === 'auth.login')).toEqual([]);
  });

  it('records a push as one event with its counts, not its records', async () => {
    const ts = new Date().toISOString();
    const pushed = await call('POST', '/api/feeds/marathon-crowd/records', {
      token: feedToken,
      body: [
        { metric: 'headcount', value: 1, ts, area: 'GZM-01', props: { password: 'in-a-record-7d1' } },
        { metric: 'headcount', value: 2, ts, area: 'NO-SUCH-AREA' },
      ],
    });
    expect(pushed.status).toBe(200);

    const events = await eventually(async () => {
      const found = await eventsOf(pushed.requestId);
      return found.length ? found : null;
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'feed.records.push',
      outcome: 'success',
      actorKind: 'feed',
      targetType: 'feed',
      targetId: 'marathon-crowd',
      detail: { result: { accepted: 1, duplicates: 0, rejected: 1 } },
    });
    expect(JSON.stringify(events[0])).not.toContain('in-a-record-7d1');
    expect(JSON.stringify(events[0])).not.toContain('NO-SUCH-AREA');
  });

  it('records an area import with its counts, not its boundaries', async () => {
    const tag = randomUUID().slice(0, 6);
    const ring = [
      [113.3, 23.1],
      [113.31, 23.1],
      [113.31, 23.11],
      [113.3, 23.11],
      [113.3, 23.1],
    ];
    const features = [1, 2].map((i) => ({
      type: 'Feature',
      properties: { code: `AUD-${tag}-${i}`, name: `审计区 ${i}` },
      geometry: { type: 'Polygon', coordinates: [ring.map(([lon, lat]) => [lon + i * 0.02, lat])] },
    }));
    const imported = await call('POST', '/api/areas/import', {
      token: admin,
      body: {
        level: 'zone',
        zoneSet: `audit-${tag}`,
        codeField: 'code',
        nameField: 'name',
        featureCollection: { type: 'FeatureCollection', features },
      },
    });
    expect(imported.status).toBe(200);

    const event = await eventOf(imported.requestId, 'POST /api/areas/import');
    expect(event).toMatchObject({
      action: 'area.import',
      outcome: 'success',
      targetType: 'area',
      detail: { result: { imported: 2, updated: 0 } },
    });
    expect(JSON.stringify(event)).not.toContain('113.3');
  });

  it('keeps the event of a request whose path PostgreSQL could not store, made storable', async () => {
    const hostile = await call('PUT', '/api/feeds/a%00b', { token: admin, body: { name: 'x', metrics: [{ key: 'a' }] } });
    expect(hostile.status).toBe(400);
    expect(await eventOf(hostile.requestId, 'a path with NUL')).toMatchObject({
      action: 'feed.update',
      outcome: 'failed',
      targetId: 'a\uFFFDb',
    });
  });

  it('never stores a secret: connector credentials, query values and header values stay masked everywhere', async () => {
    const key = `audit-secret-${randomUUID().slice(0, 8)}`;
    const created = await call('POST', '/api/feeds', {
      token: admin,
      body: { key, name: 's', metrics: [{ key: 'level' }], connector: connector() },
    });
    expect(created.status).toBe(201);
    // Sent back masked keeps the stored secret; sent anew replaces it: both are changes with secrets on both sides.
    const kept = await call('PUT', `/api/feeds/${key}`, {
      token: admin,
      body: { name: 'kept', metrics: [{ key: 'level' }], connector: connector({ headers: { 'x-api-key': '********' } }) },
    });
    const replaced = await call('PUT', `/api/feeds/${key}`, {
      token: admin,
      body: { name: 'again', metrics: [{ key: 'level' }], connector: connector() },
    });
    expect([kept.status, replaced.status]).toEqual([200, 200]);
    // A person's passwords: the one an admin set, and the one the person chose.
    const person = await createUser(stack.url, admin, { username: `audit-pw-${randomUUID().slice(0, 6)}`, roles: ['viewer'] });
    SECRETS.push(person.password);
    // The events of earlier writes are in by now: each request's event is stored after it was answered, in order.
    for (const request of [created, kept, replaced]) await eventOf(request.requestId, 'a write with secrets');
    const { rows } = await stack.db.query<{ row: string }>(`SELECT to_jsonb(e)::text AS row FROM audit.audit_event e`);
    expect(rows.length).toBeGreaterThan(5);
    for (const secret of SECRETS) expect(rows.filter((r) => r.row.includes(secret))).toEqual([]);
    const csv = await call('GET', '/api/audit.csv', { token: admin });
    for (const secret of SECRETS) expect(csv.text).not.toContain(secret);
  });

  it('filters by actor, action prefix, target, outcome and time, newest first, a page at a time', async () => {
    const audit = stack.api!.get(AuditService);
    const tag = randomUUID().slice(0, 8);
    const actor = { kind: 'user', id: `u-${tag}`, name: `filter-${tag}`, roles: ['admin'] };
    for (let i = 0; i < 7; i++) {
      await audit.record({
        action: i % 2 ? 'test.filter.odd' : 'test.filter.even',
        outcome: i === 6 ? 'denied' : 'success',
        actor,
        targetType: 'thing',
        targetId: `${tag}-${i % 3}`,
        detail: { i },
      });
    }
    const get = async (query: string) => {
      const res = await call('GET', `/api/audit?${query}`, { token: admin });
      expect([query, res.status]).toEqual([query, 200]);
      return res.json<AuditPage>();
    };
    const order = (events: AuditEventView[]) => events.map((e) => (e.detail as { i: number }).i);

    expect(order((await get(`actor=filter-${tag}`)).events)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(order((await get(`actor=u-${tag}`)).events)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(order((await get(`actor=filter-${tag}&action=test.filter.o`)).events)).toEqual([5, 3, 1]);
    expect(order((await get(`actor=filter-${tag}&action=test.`)).events)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    // A prefix is text, not a pattern: % and _ match only themselves.
    expect((await get(`actor=filter-${tag}&action=test%25`)).events).toEqual([]);
    expect(order((await get(`targetType=thing&targetId=${tag}-0`)).events)).toEqual([6, 3, 0]);
    expect(order((await get(`actor=filter-${tag}&outcome=denied`)).events)).toEqual([6]);

    const first = await get(`actor=filter-${tag}&limit=3`);
    expect(order(first.events)).toEqual([6, 5, 4]);
    expect(first.nextBefore).toBe(first.events[2].id);
    const second = await get(`actor=filter-${tag}&limit=3&before=${first.nextBefore}`);
    expect(order(second.events)).toEqual([3, 2, 1]);
    const third = await get(`actor=filter-${tag}&limit=3&before=${second.nextBefore}`);
    expect(order(third.events)).toEqual([0]);
    expect(third.nextBefore).toBeNull();

    const all = (await get(`actor=filter-${tag}`)).events;
    const middle = all[3].at;
    const since = order((await get(`actor=filter-${tag}&from=${encodeURIComponent(middle)}`)).events);
    const until = order((await get(`actor=filter-${tag}&to=${encodeURIComponent(middle)}`)).events);
    // `from` takes the event at that time, `to` leaves it out: together they are every event, once.
    expect([...since, ...until].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(since).toContain(3);
    expect((await get(`actor=filter-${tag}&from=2999-01-01T00:00:00Z`)).events).toEqual([]);
  });

  it('refuses filters it cannot use with a 400 problem', async () => {
    for (const query of [
      'limit=501',
      'limit=0',
      'before=-1',
      'before=99999999999999999999',
      'outcome=maybe',
      'from=yesterday',
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    ]) {
      const res = await call('GET', `/api/audit?${query}`, { token: admin });
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.json<ProblemDetails>().type).toBe('urn:cityops:problem:validation_failed');
    }
  });

  it('exports the filtered events as CSV: UTF-8 with a byte-order mark, formulas defused, Chinese intact', async () => {
    const audit = stack.api!.get(AuditService);
    const tag = randomUUID().slice(0, 8);
    await audit.record({
      action: 'test.csv.first',
      outcome: 'success',
      actor: { kind: 'user', name: `csv-${tag}` },
      targetId: '+8613800000000',
    });
    await audit.record({
      action: 'test.csv.second',
      outcome: 'failed',
      actor: { kind: 'user', name: `csv-${tag}` },
      targetType: 'thing',
      targetId: '=HYPERLINK("http://example.org","点我")',
      detail: { note: '天河区, "quoted"\nnext line' },
    });

    const res = await fetch(`${stack.url}/api/audit.csv?actor=csv-${tag}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header, ...rows] = text.split('\r\n').filter((line, i, all) => line !== '' || i < all.length - 1);
    expect(header).toBe(
      'id,at,actor_kind,actor_id,actor_name,actor_roles,action,target_type,target_id,outcome,client_address,request_id,before,after,detail',
    );
    // Newest first; the formula is a text cell (leading apostrophe), quoted because it holds quotes and a comma.
    expect(rows[0]).toContain(`,csv-${tag},,test.csv.second,thing,"'=HYPERLINK(""http://example.org"",""点我"")",failed,`);
    expect(text).toContain('"{""note"":""天河区, \\""quoted\\""\\nnext line""}"');
    expect(rows.find((r) => r.includes('test.csv.first'))).toContain(`,'+8613800000000,success,`);
    expect(rows.filter((r) => /^\d+,/.test(r))).toHaveLength(2);

    const limited = await call('GET', `/api/audit.csv?actor=csv-${tag}&limit=1`, { token: admin });
    expect(limited.text.split('\r\n').filter((l) => /^\d+,/.test(l))).toHaveLength(1);
  });

  it('answers 403 to anyone but an admin, 401 without a token', async () => {
    const commander = await createUser(stack.url, admin, {
      username: `audit-cmd-${randomUUID().slice(0, 6)}`,
      roles: ['commander', 'analyst'],
    });
    const person = await login(stack.url, commander.username, commander.password);
    for (const path of ['/api/audit', '/api/audit.csv']) {
      expect([path, (await call('GET', path, { token: person })).status]).toEqual([path, 403]);
      expect([path, (await call('GET', path, { token: kiosk })).status]).toEqual([path, 403]);
      expect([path, (await call('GET', path, { token: feedToken })).status]).toEqual([path, 403]);
      expect([path, (await call('GET', path)).status]).toEqual([path, 401]);
    }
  });

  it('stores every event of a burst, each record() settling once its event is in', async () => {
    const audit = stack.api!.get(AuditService);
    const tag = randomUUID().slice(0, 8);
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        audit.record({ action: 'test.burst', outcome: 'success', actor: { kind: 'system', name: tag }, detail: { i } }),
      ),
    );
    const { rows } = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.audit_event WHERE actor_name = $1`, [tag]);
    expect(rows[0].n).toBe(300);
  });
});
