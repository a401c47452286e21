import { createHash } from 'node:crypto';
import {
  displaySecretSchema,
  displayViewSchema,
  feedKeySecretSchema,
  feedKeyViewSchema,
  loginResponseSchema,
  type AreaView,
  type DisplaySecret,
  type DisplayView,
  type FeedKeySecret,
  type FeedKeyView,
  type LoginResponse,
  type PrincipalView,
  type ProblemDetails,
} from '@cityops/contracts';
import { initLogger, type AppConfig } from '@cityops/core';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { createUser, login, startStack, suiteConfig, type TestStack } from '../support/stack';

const DISPLAY_SESSION_DAYS = 45;

interface Answer<T = unknown> {
  status: number;
  body: T;
}

/**
 * Feed keys and display devices as admins manage them, tried with the credentials themselves on
 * two API processes: the one the admin talks to (`here`, which caches sessions and keys for a
 * minute, so what it refuses at once it refuses because the change was applied to its cache) and
 * another (`elsewhere`, SESSION_CHECK_SECONDS=1), where the change arrives through the database.
 */
describe('machine credentials: per-feed keys and display devices, managed by admins', () => {
  let here: TestStack;
  let elsewhere: TestStack;
  let admin: string;
  let districts: AreaView[];
  /** Every line any process of the suite logged, to look for secrets in. */
  const logLines: string[] = [];
  /** Every secret the API handed out. */
  const secrets: string[] = [];

  async function call<T = unknown>(
    stack: TestStack,
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer<T>> {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  const asAdmin = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(here, method, path, admin, body);

  /** The answer has exactly the documented shape: it parses, and nothing is left over. */
  function documented<T>(schema: { parse(value: unknown): T }, body: unknown): T {
    const parsed = schema.parse(body);
    expect(parsed).toEqual(body);
    return parsed;
  }

  function problemPaths(answer: Answer): string[] {
    return ((answer.body as ProblemDetails).errors ?? []).map((e) => e.path);
  }

  async function createFeedKey(feed: string, name: string): Promise<FeedKeySecret> {
    const created = await asAdmin<FeedKeySecret>('POST', '/api/feed-keys', { feed, name });
    expect(created.status).toBe(201);
    secrets.push(created.body.secret);
    return documented(feedKeySecretSchema, created.body);
  }

  async function registerDisplay(name: string, scopes: object[]): Promise<DisplaySecret> {
    const created = await asAdmin<DisplaySecret>('POST', '/api/displays', { name, description: `${name} on test`, scopes });
    expect(created.status).toBe(201);
    secrets.push(created.body.token);
    return documented(displaySecretSchema, created.body);
  }

  async function kiosk(stack: TestStack, token: string): Promise<Answer<LoginResponse>> {
    const answer = await call<LoginResponse>(stack, 'POST', '/api/auth/kiosk', null, { token });
    if (answer.status === 200) documented(loginResponseSchema, answer.body);
    return answer;
  }

  const refresh = (stack: TestStack, refreshToken: string) =>
    call<LoginResponse>(stack, 'POST', '/api/auth/refresh', null, { refreshToken });

  const pushRecords = (stack: TestStack, feed: string, secret: string, id: string) =>
    call<{ accepted: number }>(stack, 'POST', `/api/feeds/${feed}/records`, secret, [
      { id, metric: 'count', value: 1, ts: new Date().toISOString() },
    ]);

  async function feedKeyRow(id: string): Promise<FeedKeyView> {
    const list = await asAdmin<FeedKeyView[]>('GET', '/api/feed-keys');
    const found = list.body.find((k) => k.id === id);
    if (!found) throw new Error(`feed key ${id} is not listed`);
    return found;
  }

  async function displayRow(id: string): Promise<DisplayView> {
    const list = await asAdmin<DisplayView[]>('GET', '/api/displays');
    const found = list.body.find((d) => d.id === id);
    if (!found) throw new Error(`display ${id} is not listed`);
    return found;
  }

  beforeAll(async () => {
    const config = await suiteConfig({ SESSION_CHECK_SECONDS: '60', DISPLAY_SESSION_DAYS: String(DISPLAY_SESSION_DAYS) });
    // After suiteConfig, which starts the suite's logger: every line is kept here.
    initLogger('debug', 'test', { write: (line: string) => void logLines.push(line) });
    here = await startStack({ config, workers: 0 });
    const elsewhereConfig: AppConfig = { ...config, sessions: { ...config.sessions, checkSeconds: 1 } };
    elsewhere = await startStack({ config: elsewhereConfig, workers: 0 });
    admin = await login(here.url);
    districts = (await asAdmin<AreaView[]>('GET', '/api/areas?level=district')).body;
    expect(districts.length).toBeGreaterThanOrEqual(2);
    for (const key of ['cred-a', 'cred-b']) {
      const feed = await asAdmin('POST', '/api/feeds', { key, name: key, metrics: [{ key: 'count' }] });
      expect(feed.status).toBe(201);
    }
  });
  afterAll(async () => {
    await elsewhere?.stop();
    await here?.stop();
    initLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test');
  });

  describe('feed keys', () => {
    it('creates a key shown once that pushes to its own feed only and reads nothing', async () => {
      const { key, secret } = await createFeedKey('cred-a', 'counting system');
      expect(secret).toMatch(/^cofk_[A-Za-z0-9_-]{43}$/);
      expect(key).toMatchObject({ feed: 'cred-a', name: 'counting system', prefix: secret.slice(0, 12), createdBy: 'admin' });
      expect(key).toMatchObject({ lastUsedAt: null, rotatedAt: null, revokedAt: null });

      const pushed = await pushRecords(here, 'cred-a', secret, 'own-feed');
      expect(pushed).toMatchObject({ status: 200, body: { accepted: 1 } });
      expect((await pushRecords(here, 'cred-b', secret, 'other-feed')).status).toBe(403);
      const entities = await call(here, 'PUT', '/api/feeds/cred-b/entities', secret, []);
      expect(entities.status).toBe(403);

      const reads = [
        '/api/feeds',
        '/api/feeds/cred-a',
        '/api/feeds/health',
        '/api/feeds/cred-a/sample',
        '/api/feeds/cred-a/entities',
        '/api/feeds/cred-a/rejected',
        '/api/areas',
        `/api/areas/${districts[0].id}`,
        '/api/alerts',
        '/api/layers',
        '/api/indicators',
        '/api/app-config',
        '/api/scenes',
        '/api/departments',
        '/api/auth/me',
        '/api/users',
        '/api/feed-keys',
        '/api/displays',
      ];
      for (const path of reads) expect([path, (await call(here, 'GET', path, secret)).status]).toEqual([path, 403]);
    });

    it('stores only the hash of the key, and notes when it was last used', async () => {
      const { key, secret } = await createFeedKey('cred-a', 'hash check');
      const stored = await here.db.query<{ secret_hash: string; everything: string }>(
        `SELECT secret_hash, row_to_json(k)::text AS everything FROM feed_key k WHERE id = $1`,
        [key.id],
      );
      expect(stored.rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(stored.rows[0].everything).not.toContain(secret);
      expect(stored.rows[0].everything).not.toContain(secret.slice(12));

      expect((await pushRecords(here, 'cred-a', secret, 'last-used')).status).toBe(200);
      const used = await feedKeyRow(key.id);
      expect(used.lastUsedAt).not.toBeNull();
      expect(Date.parse(used.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(key.createdAt));
      expect(JSON.stringify(used)).not.toContain(secret);
    });

    it('rotates: the old key is refused at once here and within SESSION_CHECK_SECONDS elsewhere, the new one works', async () => {
      const { key, secret: old } = await createFeedKey('cred-a', 'rotated');
      // Both processes have the key in their caches.
      expect((await pushRecords(here, 'cred-a', old, 'rot-1')).status).toBe(200);
      expect((await pushRecords(elsewhere, 'cred-a', old, 'rot-2')).status).toBe(200);

      const rotated = await asAdmin<FeedKeySecret>('POST', `/api/feed-keys/${key.id}/rotate`);
      expect(rotated.status).toBe(200);
      secrets.push(rotated.body.secret);
      documented(feedKeySecretSchema, rotated.body);
      expect(rotated.body.secret).not.toBe(old);
      expect(rotated.body.key).toMatchObject({ id: key.id, prefix: rotated.body.secret.slice(0, 12), revokedAt: null });
      expect(rotated.body.key.rotatedAt).not.toBeNull();

      expect((await pushRecords(here, 'cred-a', old, 'rot-3')).status).toBe(401);
      await eventually(
        async () => (await pushRecords(elsewhere, 'cred-a', old, 'rot-4')).status === 401,
        10000,
        'the old key refused elsewhere',
      );
      expect((await pushRecords(here, 'cred-a', rotated.body.secret, 'rot-5')).status).toBe(200);
      expect((await pushRecords(elsewhere, 'cred-a', rotated.body.secret, 'rot-6')).status).toBe(200);
    });

    it('revokes (twice is harmless): refused at once here and within SESSION_CHECK_SECONDS elsewhere; the name is free again', async () => {
      const { key, secret } = await createFeedKey('cred-b', 'revoked');
      expect((await pushRecords(here, 'cred-b', secret, 'rev-1')).status).toBe(200);
      expect((await pushRecords(elsewhere, 'cred-b', secret, 'rev-2')).status).toBe(200);

      const revoked = await asAdmin<FeedKeyView>('DELETE', `/api/feed-keys/${key.id}`);
      expect(revoked.status).toBe(200);
      documented(feedKeyViewSchema, revoked.body);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect((await pushRecords(here, 'cred-b', secret, 'rev-3')).status).toBe(401);
      await eventually(
        async () => (await pushRecords(elsewhere, 'cred-b', secret, 'rev-4')).status === 401,
        10000,
        'the key refused elsewhere',
      );

      const again = await asAdmin<FeedKeyView>('DELETE', `/api/feed-keys/${key.id}`);
      expect(again).toEqual({ status: 200, body: revoked.body });
      expect((await asAdmin('POST', `/api/feed-keys/${key.id}/rotate`)).status).toBe(409);

      const listed = await asAdmin<FeedKeyView[]>('GET', '/api/feed-keys?feed=cred-b&revoked=true');
      expect(listed.body.map((k) => k.id)).toContain(key.id);
      expect(listed.body.every((k) => k.feed === 'cred-b' && k.revokedAt !== null)).toBe(true);
      const active = await asAdmin<FeedKeyView[]>('GET', '/api/feed-keys?revoked=false');
      expect(active.body.map((k) => k.id)).not.toContain(key.id);
      // The set-up key of the demo feed is listed like any other.
      expect(active.body).toEqual(expect.arrayContaining([expect.objectContaining({ feed: 'marathon-crowd', name: 'demo-simulator' })]));

      const successor = await createFeedKey('cred-b', 'revoked');
      expect(successor.key.id).not.toBe(key.id);
    });

    it('refuses a second active key of a name (409), an unknown feed, an empty name or a NUL (400 naming the field)', async () => {
      await createFeedKey('cred-a', 'twice');
      const twice = await asAdmin('POST', '/api/feed-keys', { feed: 'cred-a', name: 'twice' });
      expect(twice.status).toBe(409);
      // The same name on another feed is another key.
      await createFeedKey('cred-b', 'twice');

      const unknownFeed = await asAdmin('POST', '/api/feed-keys', { feed: 'no-such-feed', name: 'x' });
      expect(unknownFeed.status).toBe(400);
      expect(problemPaths(unknownFeed)).toEqual(['feed']);
      const empty = await asAdmin('POST', '/api/feed-keys', { feed: 'cred-a', name: '   ' });
      expect(empty.status).toBe(400);
      expect(problemPaths(empty)).toEqual(['name']);
      const nul = await asAdmin('POST', '/api/feed-keys', '{"feed":"cred-a","name":"a\\u0000b"}');
      expect(nul.status).toBe(400);
      expect(problemPaths(nul)).toEqual(['name']);
      const missing = await asAdmin('POST', '/api/feed-keys', {});
      expect(missing.status).toBe(400);
      expect(problemPaths(missing).sort()).toEqual(['feed', 'name']);
    });

    it('answers 404 for unknown keys and 400 for ids that are not ids', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await asAdmin('POST', `/api/feed-keys/${unknown}/rotate`)).status).toBe(404);
      expect((await asAdmin('DELETE', `/api/feed-keys/${unknown}`)).status).toBe(404);
      const bad = await asAdmin('DELETE', '/api/feed-keys/not-an-id');
      expect(bad.status).toBe(400);
      expect(problemPaths(bad)).toEqual(['id']);
      expect((await asAdmin('GET', '/api/feed-keys?revoked=maybe')).status).toBe(400);
    });
  });

  describe('display devices', () => {
    it('registers a display whose token opens a session that reads what the wall shows and nothing else', async () => {
      const { display, token } = await registerDisplay('east wall', [{ area: districts[0].code }]);
      expect(token).toMatch(/^codp_[A-Za-z0-9_-]{43}$/);
      expect(display).toMatchObject({ name: 'east wall', description: 'east wall on test', prefix: token.slice(0, 12), lastSeenAt: null });
      expect(display.scopes).toEqual([expect.objectContaining({ kind: 'area', code: districts[0].code, level: 'district' })]);

      const stored = await here.db.query<{ token_hash: string; everything: string }>(
        `SELECT token_hash, row_to_json(d)::text AS everything FROM display_device d WHERE id = $1`,
        [display.id],
      );
      expect(stored.rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(stored.rows[0].everything).not.toContain(token);

      const session = await kiosk(here, token);
      expect(session.status).toBe(200);
      expect(session.body.user).toMatchObject({ kind: 'display', id: display.id, username: 'east wall', roles: [], cityWide: false });
      expect((await displayRow(display.id)).lastSeenAt).not.toBeNull();

      const access = session.body.accessToken;
      const readable = [
        '/api/areas',
        '/api/alerts',
        '/api/indicators/marathon.segment_load/latest',
        '/api/app-config',
        '/api/feeds/health',
        '/api/layers',
        '/api/auth/me',
      ];
      for (const path of readable) expect([path, (await call(here, 'GET', path, access)).status]).toEqual([path, 200]);
      const refused = [
        '/api/feeds',
        '/api/feeds/marathon-crowd',
        '/api/feeds/marathon-crowd/sample',
        '/api/feeds/marathon-crowd/entities',
        '/api/feeds/marathon-crowd/rejected',
        '/api/departments',
        '/api/users',
        '/api/feed-keys',
        '/api/displays',
      ];
      for (const path of refused) expect([path, (await call(here, 'GET', path, access)).status]).toEqual([path, 403]);
      expect((await pushRecords(here, 'cred-a', access, 'from-a-wall')).status).toBe(403);
    });

    it('renews its own session again and again, each refresh token good once; a spent one ends the session', async () => {
      const { token } = await registerDisplay('renewing wall', [{ area: districts[0].code }]);
      const first = await kiosk(here, token);
      expect(first.status).toBe(200);
      const sessions = [first.body];
      for (let i = 0; i < 6; i++) {
        const stack = i % 2 === 0 ? here : elsewhere;
        const next = await refresh(stack, sessions[sessions.length - 1].refreshToken);
        expect([i, next.status]).toEqual([i, 200]);
        documented(loginResponseSchema, next.body);
        const ahead = Date.parse(next.body.refreshExpiresAt) - Date.now();
        expect(Math.abs(ahead - DISPLAY_SESSION_DAYS * 86_400_000)).toBeLessThan(5 * 60_000);
        expect((await call(stack, 'GET', '/api/areas', next.body.accessToken)).status).toBe(200);
        sessions.push(next.body);
      }
      expect(new Set(sessions.map((s) => s.refreshToken)).size).toBe(sessions.length);

      // A spent token shows up again: it was copied, so the whole session ends.
      const reused = await refresh(here, sessions[2].refreshToken);
      expect(reused.status).toBe(401);
      const latest = sessions[sessions.length - 1];
      expect((await refresh(here, latest.refreshToken)).status).toBe(401);
      expect((await call(here, 'GET', '/api/areas', latest.accessToken)).status).toBe(401);
      await eventually(
        async () => (await call(elsewhere, 'GET', '/api/areas', latest.accessToken)).status === 401,
        10000,
        'the ended session refused elsewhere',
      );
      // The display itself is not revoked: it opens a new session with its token.
      expect((await kiosk(here, token)).status).toBe(200);
    });

    it('changes name, description and scopes; the scope reaches its session within SESSION_CHECK_SECONDS', async () => {
      const { display, token } = await registerDisplay('moving wall', [{ area: districts[0].code }]);
      const session = await kiosk(elsewhere, token);
      const me = () => call<PrincipalView>(elsewhere, 'GET', '/api/auth/me', session.body.accessToken);
      expect((await me()).body.scopes.map((s) => s.kind === 'area' && s.code)).toEqual([districts[0].code]);

      const changed = await asAdmin<DisplayView>('PATCH', `/api/displays/${display.id}`, {
        name: 'moved wall',
        description: null,
        scopes: [{ area: districts[1].code }, { zoneSet: 'gz-marathon' }],
      });
      expect(changed.status).toBe(200);
      documented(displayViewSchema, changed.body);
      expect(changed.body).toMatchObject({ id: display.id, name: 'moved wall', description: null, prefix: display.prefix });
      expect(changed.body.scopes).toEqual([
        expect.objectContaining({ kind: 'area', code: districts[1].code }),
        expect.objectContaining({ kind: 'zoneSet', key: 'gz-marathon' }),
      ]);
      await eventually(
        async () => {
          const now = (await me()).body;
          return now.username === 'moved wall' && now.scopes.length === 2;
        },
        10000,
        'the new scope in the display’s session',
      );
      // The session goes on: a new scope is no reason to sign the wall out.
      expect((await me()).status).toBe(200);

      const onlyDescription = await asAdmin<DisplayView>('PATCH', `/api/displays/${display.id}`, { description: 'by the door' });
      expect(onlyDescription.body).toMatchObject({ name: 'moved wall', description: 'by the door', scopes: changed.body.scopes });
    });

    it('refuses a bad scope, an empty name, a NUL or a taken name, and answers 404 for unknown displays', async () => {
      await registerDisplay('taken wall', [{ area: districts[0].code }]);
      const { display } = await registerDisplay('another wall', [{ area: districts[0].code }]);

      const badScope = await asAdmin('POST', '/api/displays', {
        name: 'x',
        scopes: [{ area: districts[0].code }, { area: 'NO-SUCH-AREA' }],
      });
      expect(badScope.status).toBe(400);
      expect(problemPaths(badScope)).toEqual(['scopes.1.area']);
      const badZoneSet = await asAdmin('PATCH', `/api/displays/${display.id}`, { scopes: [{ zoneSet: 'no-such-set' }] });
      expect(badZoneSet.status).toBe(400);
      expect(problemPaths(badZoneSet)).toEqual(['scopes.0.zoneSet']);
      const noScope = await asAdmin('POST', '/api/displays', { name: 'x', scopes: [] });
      expect(noScope.status).toBe(400);
      expect(problemPaths(noScope)).toEqual(['scopes']);
      const empty = await asAdmin('POST', '/api/displays', { name: ' ', scopes: [{ area: districts[0].code }] });
      expect(empty.status).toBe(400);
      expect(problemPaths(empty)).toEqual(['name']);
      const nul = await asAdmin('PATCH', `/api/displays/${display.id}`, '{"description":"a\\u0000"}');
      expect(nul.status).toBe(400);
      expect(problemPaths(nul)).toEqual(['description']);

      expect((await asAdmin('POST', '/api/displays', { name: 'taken wall', scopes: [{ area: districts[0].code }] })).status).toBe(409);
      expect((await asAdmin('PATCH', `/api/displays/${display.id}`, { name: 'taken wall' })).status).toBe(409);
      expect((await displayRow(display.id)).name).toBe('another wall');

      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await asAdmin('PATCH', `/api/displays/${unknown}`, { name: 'y' })).status).toBe(404);
      expect((await asAdmin('POST', `/api/displays/${unknown}/rotate`)).status).toBe(404);
      expect((await asAdmin('DELETE', `/api/displays/${unknown}`)).status).toBe(404);
      expect((await asAdmin('GET', '/api/displays?revoked=1')).status).toBe(400);
    });

    it('rotates: the old token opens nothing and its sessions end; the new token opens a session', async () => {
      const { display, token: old } = await registerDisplay('rotated wall', [{ area: districts[0].code }]);
      const before = await kiosk(elsewhere, old);
      expect((await call(elsewhere, 'GET', '/api/areas', before.body.accessToken)).status).toBe(200);

      const rotated = await asAdmin<DisplaySecret>('POST', `/api/displays/${display.id}/rotate`);
      expect(rotated.status).toBe(200);
      secrets.push(rotated.body.token);
      documented(displaySecretSchema, rotated.body);
      expect(rotated.body.token).not.toBe(old);
      expect(rotated.body.display).toMatchObject({ id: display.id, prefix: rotated.body.token.slice(0, 12), revokedAt: null });
      expect(rotated.body.display.rotatedAt).not.toBeNull();

      const open = await here.db.query(`SELECT id FROM auth_session WHERE principal_id = $1 AND revoked_at IS NULL`, [display.id]);
      expect(open.rows).toEqual([]);
      expect((await kiosk(here, old)).status).toBe(401);
      expect((await refresh(here, before.body.refreshToken)).status).toBe(401);
      await eventually(
        async () => (await call(elsewhere, 'GET', '/api/areas', before.body.accessToken)).status === 401,
        10000,
        'the old session refused elsewhere',
      );
      const after = await kiosk(here, rotated.body.token);
      expect(after.status).toBe(200);
      expect((await call(elsewhere, 'GET', '/api/areas', after.body.accessToken)).status).toBe(200);
    });

    it('revokes (twice is harmless): its access token, refresh token and live socket end within SESSION_CHECK_SECONDS', async () => {
      const { display, token } = await registerDisplay('revoked wall', [{ area: districts[0].code }]);
      const session = await kiosk(elsewhere, token);
      const live = await connectLive(elsewhere.url, session.body.accessToken, ['alerts']);
      expect(live.ack.ok).toBe(true);
      expect((await call(elsewhere, 'GET', '/api/alerts', session.body.accessToken)).status).toBe(200);
      const sessionHere = await kiosk(here, token);
      expect((await call(here, 'GET', '/api/alerts', sessionHere.body.accessToken)).status).toBe(200);

      const revoked = await asAdmin<DisplayView>('DELETE', `/api/displays/${display.id}`);
      expect(revoked.status).toBe(200);
      documented(displayViewSchema, revoked.body);
      expect(revoked.body.revokedAt).not.toBeNull();
      const open = await here.db.query(`SELECT id FROM auth_session WHERE principal_id = $1 AND revoked_at IS NULL`, [display.id]);
      expect(open.rows).toEqual([]);

      expect((await call(here, 'GET', '/api/alerts', sessionHere.body.accessToken)).status).toBe(401);
      await eventually(
        async () => (await call(elsewhere, 'GET', '/api/alerts', session.body.accessToken)).status === 401,
        10000,
        'the revoked display’s access token refused',
      );
      await waitFor(() => live.socket.disconnected, 10000, 'the revoked display’s socket disconnected');
      expect(live.events).toEqual(
        expect.arrayContaining([expect.objectContaining({ event: 'error', payload: expect.objectContaining({ status: 401 }) })]),
      );
      expect((await refresh(elsewhere, session.body.refreshToken)).status).toBe(401);
      expect((await kiosk(here, token)).status).toBe(401);

      expect(await asAdmin('DELETE', `/api/displays/${display.id}`)).toEqual({ status: 200, body: revoked.body });
      expect((await asAdmin('PATCH', `/api/displays/${display.id}`, { name: 'back again' })).status).toBe(409);
      expect((await asAdmin('POST', `/api/displays/${display.id}/rotate`)).status).toBe(409);
      const listed = await asAdmin<DisplayView[]>('GET', '/api/displays?revoked=true');
      expect(listed.body.map((d) => d.id)).toContain(display.id);
      expect((await asAdmin<DisplayView[]>('GET', '/api/displays?revoked=false')).body.map((d) => d.id)).not.toContain(display.id);
      // Its name is free for a new display.
      await registerDisplay('revoked wall', [{ area: districts[0].code }]);
    });
  });

  it('lets only admins manage machine credentials (403 for other roles, displays and feed keys)', async () => {
    const operator = await createUser(here.url, admin, { username: 'cred-operator', roles: ['operator', 'analyst', 'commander'] });
    const person = await login(here.url, operator.username, operator.password);
    const wall = await registerDisplay('curious wall', [{ area: districts[0].code }]);
    const wallSession = (await kiosk(here, wall.token)).body.accessToken;
    const { key, secret } = await createFeedKey('cred-a', 'curious key');
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/feed-keys'],
      ['POST', '/api/feed-keys', { feed: 'cred-a', name: 'sneaky' }],
      ['POST', `/api/feed-keys/${key.id}/rotate`],
      ['DELETE', `/api/feed-keys/${key.id}`],
      ['GET', '/api/displays'],
      ['POST', '/api/displays', { name: 'sneaky', scopes: [{ area: districts[0].code }] }],
      ['PATCH', `/api/displays/${wall.display.id}`, { name: 'sneaky' }],
      ['POST', `/api/displays/${wall.display.id}/rotate`],
      ['DELETE', `/api/displays/${wall.display.id}`],
    ];
    for (const [method, path, body] of routes) {
      for (const [who, token] of [
        ['operator', person],
        ['display', wallSession],
        ['feed key', secret],
      ] as const) {
        expect([method, path, who, (await call(here, method, path, token, body)).status]).toEqual([method, path, who, 403]);
      }
      expect([method, path, 'nobody', (await call(here, method, path, null, body)).status]).toEqual([method, path, 'nobody', 401]);
    }
    // Nothing was changed by the refused calls.
    expect((await feedKeyRow(key.id)).revokedAt).toBeNull();
    expect(await displayRow(wall.display.id)).toMatchObject({ name: 'curious wall', revokedAt: null });
    expect((await pushRecords(here, 'cred-a', secret, 'still-works')).status).toBe(200);
  });

  it('never writes a key or display token to the log', async () => {
    // Each kind of secret goes through its whole life here, and is used, so that every code path that logs runs.
    const { key, secret } = await createFeedKey('cred-a', 'logged key');
    expect((await pushRecords(here, 'cred-a', secret, 'logged')).status).toBe(200);
    const rotatedKey = await asAdmin<FeedKeySecret>('POST', `/api/feed-keys/${key.id}/rotate`);
    secrets.push(rotatedKey.body.secret);
    expect((await pushRecords(here, 'cred-a', secret, 'logged-old')).status).toBe(401);
    expect((await asAdmin('DELETE', `/api/feed-keys/${key.id}`)).status).toBe(200);
    const { display, token } = await registerDisplay('logged wall', [{ area: districts[0].code }]);
    expect((await kiosk(here, token)).status).toBe(200);
    const rotatedDisplay = await asAdmin<DisplaySecret>('POST', `/api/displays/${display.id}/rotate`);
    secrets.push(rotatedDisplay.body.token);
    expect((await kiosk(here, token)).status).toBe(401);
    expect((await asAdmin('DELETE', `/api/displays/${display.id}`)).status).toBe(200);

    // The log was being written: the credential events are there, without their secrets.
    for (const event of [
      'feed key created',
      'feed key rotated',
      'feed key revoked',
      'display device registered',
      'display token rotated',
    ]) {
      expect([event, logLines.some((line) => line.includes(event))]).toEqual([event, true]);
    }
    const leaked = secrets.filter((s) => logLines.some((line) => line.includes(s) || line.includes(s.slice(12))));
    expect(leaked).toEqual([]);
  });
});
