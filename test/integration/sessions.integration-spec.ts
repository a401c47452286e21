import { JwtService } from '@nestjs/jwt';
import type { AuditEventView, LoginResponse, ProblemDetails, SessionUser, UserView } from '@cityops/contracts';
import { AuthService } from '@cityops/identity';
import { eventually } from '../support/eventually';
import { connectLive } from '../support/live-client';
import { createUser, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

/**
 * Sessions: short-lived access tokens, refresh tokens good once (a reused one ends the session),
 * sign-out, and revocation that reaches every request and socket within SESSION_CHECK_SECONDS.
 */
describe('sessions: refresh rotation, sign-out and revocation', () => {
  let stack: TestStack;
  let admin: string;

  const send = (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async (username: string, password: string): Promise<LoginResponse> => {
    const res = await send('POST', '/api/auth/login', null, { username, password });
    expect(res.status).toBe(200);
    return (await res.json()) as LoginResponse;
  };
  const refresh = (refreshToken: string) => send('POST', '/api/auth/refresh', null, { refreshToken });
  const status = async (path: string, token: string) => (await send('GET', path, token)).status;

  beforeAll(async () => {
    stack = await startStack({ workers: 0, env: { SESSION_CHECK_SECONDS: '1' } });
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('gives a short-lived access token and a refresh token, also as an HttpOnly cookie for the auth routes only', async () => {
    const res = await send('POST', '/api/auth/login', null, { username: 'admin', password: TEST_SECRETS.ADMIN_PASSWORD });
    const session = (await res.json()) as LoginResponse;
    const lifetime = Date.parse(session.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);
    expect(Date.parse(session.refreshExpiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`cityops_refresh=${encodeURIComponent(session.refreshToken)}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth/i);
    expect(session.user).toMatchObject({ username: 'admin', kind: 'user', roles: ['admin'], cityWide: true, mustChangePassword: false });
    // The token names only its session: roles and scope are read from the account on each request.
    const claims = new JwtService({ secret: TEST_SECRETS.JWT_SECRET }).decode<Record<string, unknown>>(session.accessToken);
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'kind', 'sid', 'sub']);
  });

  it('rotates the refresh token on every use; a spent one ends the whole session', async () => {
    const first = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const second = (await (await refresh(first.refreshToken)).json()) as LoginResponse;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await status('/api/auth/me', second.accessToken)).toBe(200);
    const third = (await (await refresh(second.refreshToken)).json()) as LoginResponse;

    // Someone replays the first token (copied from somewhere): refused, and the session ends for everyone.
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as ProblemDetails).detail).toMatch(/used already/);
    expect((await refresh(third.refreshToken)).status).toBe(401);
    expect(await status('/api/auth/me', third.accessToken)).toBe(401);
    // Other sessions of the same user are not touched.
    expect(await status('/api/auth/me', admin)).toBe(200);
  });

  it('reads the refresh token from its cookie when the body has none, and says so when neither has one', async () => {
    const session = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const viaCookie = await send(
      'POST',
      '/api/auth/refresh',
      null,
      {},
      { cookie: `other=1; cityops_refresh=${encodeURIComponent(session.refreshToken)}` },
    );
    expect(viaCookie.status).toBe(200);
    const none = await send('POST', '/api/auth/refresh', null, {});
    expect(none.status).toBe(400);
    expect(((await none.json()) as ProblemDetails).errors).toEqual([expect.objectContaining({ path: 'refreshToken' })]);
    for (const junk of ['x', `${'0'.repeat(36)}.0.abc`, 'a.b.c']) expect((await refresh(junk)).status).toBe(401);
    expect((await refresh('\u0000')).status).toBe(400);
  });

  it('signs out: the access token and the refresh token stop working at once, and the cookie is cleared', async () => {
    const session = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const out = await send('POST', '/api/auth/logout', session.accessToken);
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/cityops_refresh=;.*Expires=Thu, 01 Jan 1970/i);
    expect(await status('/api/auth/me', session.accessToken)).toBe(401);
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it('ends every session of a disabled user within SESSION_CHECK_SECONDS, sockets included, and refuses sign-in', async () => {
    const user = await createUser(stack.url, admin, { username: 'disable-me', roles: ['operator'] });
    const session = await signIn(user.username, user.password);
    const live = await connectLive(stack.url, session.accessToken, ['alerts']);
    expect(live.ack.ok).toBe(true);
    const disabled = await send('PATCH', `/api/users/${user.id}`, admin, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as UserView).disabled).toBe(true);
    await eventually(async () => (await status('/api/alerts', session.accessToken)) === 401, 5000, 'the access token to be refused');
    expect((await refresh(session.refreshToken)).status).toBe(401);
    await eventually(() => !live.socket.connected, 5000, 'the socket to be closed');
    expect(live.events).toContainEqual(expect.objectContaining({ event: 'error', payload: expect.objectContaining({ status: 401 }) }));
    expect((await send('POST', '/api/auth/login', null, { username: user.username, password: user.password })).status).toBe(401);
  });

  it('applies a change of roles to a live session without a new sign-in', async () => {
    const user = await createUser(stack.url, admin, { username: 'promote-me', roles: ['viewer'] });
    const session = await signIn(user.username, user.password);
    expect(await status('/api/users', session.accessToken)).toBe(403);
    expect((await send('PATCH', `/api/users/${user.id}`, admin, { roles: ['admin'] })).status).toBe(200);
    await eventually(async () => (await status('/api/users', session.accessToken)) === 200, 5000, 'the new role to apply');
    expect((await send('PATCH', `/api/users/${user.id}`, admin, { roles: ['viewer'] })).status).toBe(200);
    await eventually(async () => (await status('/api/users', session.accessToken)) === 403, 5000, 'the role to be taken away');
  });

  it('closes a socket when its access token expires; the client renews and connects again', async () => {
    const session = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const claims = new JwtService({ secret: TEST_SECRETS.JWT_SECRET }).decode<{ sid: string; sub: string; kind: string }>(
      session.accessToken,
    );
    // A token of the same live session that runs out in two seconds, as a 15-minute one would.
    const shortLived = await new JwtService({ secret: TEST_SECRETS.JWT_SECRET }).signAsync(
      { sid: claims.sid, sub: claims.sub, kind: claims.kind },
      { expiresIn: 2 },
    );
    const live = await connectLive(stack.url, shortLived, ['alerts']);
    expect(live.ack.ok).toBe(true);
    await eventually(() => !live.socket.connected, 8000, 'the socket to be closed at expiry');
    expect(live.events).toContainEqual(
      expect.objectContaining({
        event: 'error',
        payload: expect.objectContaining({ status: 401, detail: 'the access token has expired' }),
      }),
    );
    const renewed = (await (await refresh(session.refreshToken)).json()) as LoginResponse;
    const again = await connectLive(stack.url, renewed.accessToken, ['alerts']);
    expect(again.ack.ok).toBe(true);
    again.socket.close();
  });

  it('forgets sessions that ended over a day ago (the hourly sessions.prune job), and no others', async () => {
    const live = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const ended = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const recent = await signIn('admin', TEST_SECRETS.ADMIN_PASSWORD);
    const sid = (token: string) => new JwtService({ secret: TEST_SECRETS.JWT_SECRET }).decode<{ sid: string }>(token).sid;
    await stack.db.query(`UPDATE auth_session SET revoked_at = now() - interval '25 hours' WHERE id = $1`, [sid(ended.accessToken)]);
    await stack.db.query(`UPDATE auth_session SET revoked_at = now() - interval '1 hour' WHERE id = $1`, [sid(recent.accessToken)]);
    expect(await stack.api!.get(AuthService).pruneEndedSessions()).toBeGreaterThanOrEqual(1);
    const left = await stack.db.query<{ id: string }>(`SELECT id FROM auth_session WHERE id = ANY($1)`, [
      [live, ended, recent].map((s) => sid(s.accessToken)),
    ]);
    expect(left.rows.map((r) => r.id).sort()).toEqual([sid(live.accessToken), sid(recent.accessToken)].sort());
  });

  it('puts sign-ins, failed sign-ins, a reused refresh token, sign-outs and password changes on the audit trail', async () => {
    const user = await createUser(stack.url, admin, { username: 'audited', roles: ['viewer'] });
    expect((await send('POST', '/api/auth/login', null, { username: 'audited', password: 'not-the-password' })).status).toBe(401);
    expect((await send('POST', '/api/auth/login', null, { username: 'nobody-here', password: 'whatever-it-is' })).status).toBe(401);
    const session = await signIn(user.username, user.password);
    const next = (await (await refresh(session.refreshToken)).json()) as LoginResponse;
    expect((await refresh(session.refreshToken)).status).toBe(401);
    const again = await signIn(user.username, user.password);
    expect((await send('POST', '/api/auth/logout', again.accessToken)).status).toBe(200);
    expect((await send('POST', '/api/auth/kiosk', null, { token: 'not-a-registered-display-token' })).status).toBe(401);

    const events = async (query: string) =>
      ((await (await send('GET', `/api/audit?${query}`, admin)).json()) as { events: AuditEventView[] }).events;
    const mine = (await events('action=auth.')).filter(
      (e) => ['audited', 'nobody-here'].includes(e.actorName ?? '') || e.actorId === user.id || e.actorKind === 'anonymous',
    );
    const summary = mine.map((e) => [e.action, e.outcome, e.actorName ?? e.actorKind, e.detail?.reason ?? null]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['auth.sign_in_failed', 'denied', 'audited', 'wrong password'],
        ['auth.sign_in_failed', 'denied', 'nobody-here', 'unknown user'],
        ['auth.sign_in', 'success', 'audited', null],
        ['auth.refresh_reused', 'denied', 'user', null],
        ['auth.sign_out', 'success', 'audited', null],
        ['auth.display_sign_in_failed', 'denied', 'anonymous', 'unknown or revoked token'],
        // createUser changed the first password.
        ['auth.password_change', 'success', 'audited', null],
      ]),
    );
    expect(mine.every((e) => e.clientAddress === '127.0.0.1' && e.requestId)).toBe(true);
    // A reused refresh token names the session it ended.
    const reused = mine.find((e) => e.action === 'auth.refresh_reused')!;
    expect(reused).toMatchObject({ targetType: 'session', actorId: user.id });
    expect(JSON.stringify(mine)).not.toContain(user.password);
    expect(JSON.stringify(mine)).not.toContain(next.refreshToken);

    // An admin's change to a person is on record with what it was and what it became.
    expect((await send('PATCH', `/api/users/${user.id}`, admin, { roles: ['analyst'] })).status).toBe(200);
    // The audit event is written as the answer ends, so it may come a moment after the answer.
    const [update] = await eventually(
      async () => {
        const found = await events(`action=user.update&targetId=${user.id}`);
        return found.length > 0 ? found : null;
      },
      5000,
      'the user.update audit event',
    );
    expect(update).toMatchObject({ outcome: 'success', actorName: 'admin', before: { roles: ['viewer'] }, after: { roles: ['analyst'] } });
  });

  describe('a password set by an admin', () => {
    it('must be changed before anything else: only who-am-I, the change and sign-out work until then', async () => {
      const created = await send('POST', '/api/users', admin, {
        username: 'first-day',
        displayName: '新同事',
        password: 'temporary-Pass-42',
        roles: ['analyst'],
        scopes: [{ area: ((await (await send('GET', '/api/areas?level=city', admin)).json()) as { code: string }[])[0].code }],
      });
      expect(created.status).toBe(201);
      expect(((await created.json()) as UserView).mustChangePassword).toBe(true);
      const session = await signIn('first-day', 'temporary-Pass-42');
      expect(session.user.mustChangePassword).toBe(true);
      const blocked = await send('GET', '/api/alerts', session.accessToken);
      expect(blocked.status).toBe(403);
      expect(((await blocked.json()) as ProblemDetails).title).toBe('Password change required');
      expect(await status('/api/auth/me', session.accessToken)).toBe(200);
      await expect(connectLive(stack.url, session.accessToken, ['alerts'])).rejects.toThrow('change the password first');

      const change = (currentPassword: string, newPassword: string) =>
        send('POST', '/api/auth/password', session.accessToken, { currentPassword, newPassword });
      const wrong = await change('not-it', 'a-much-better-passphrase');
      expect(wrong.status).toBe(400);
      expect(((await wrong.json()) as ProblemDetails).errors).toEqual([expect.objectContaining({ path: 'currentPassword' })]);
      for (const [weak, reason] of [
        ['short', 'at least 10'],
        ['1234567890', 'commonly used'],
        ['first-day-password', 'user name'],
      ] as const) {
        const refused = await change('temporary-Pass-42', weak);
        expect(refused.status).toBe(400);
        expect(JSON.stringify(await refused.json())).toContain(reason);
      }
      const done = await change('temporary-Pass-42', 'a-much-better-passphrase');
      expect(done.status).toBe(200);
      expect(((await done.json()) as SessionUser).mustChangePassword).toBe(false);
      expect(await status('/api/alerts', session.accessToken)).toBe(200);
      expect((await send('POST', '/api/auth/login', null, { username: 'first-day', password: 'temporary-Pass-42' })).status).toBe(401);
    });

    it('ends every session of the user when an admin resets it', async () => {
      const user = await createUser(stack.url, admin, { username: 'forgetful', roles: ['viewer'] });
      const session = await signIn(user.username, user.password);
      const reset = await send('POST', `/api/users/${user.id}/password`, admin, { password: 'reset-by-admin-7781' });
      expect(reset.status).toBe(200);
      expect(((await reset.json()) as UserView).mustChangePassword).toBe(true);
      expect(await status('/api/auth/me', session.accessToken)).toBe(401);
      expect((await refresh(session.refreshToken)).status).toBe(401);
      expect((await signIn(user.username, 'reset-by-admin-7781')).user.mustChangePassword).toBe(true);
    });
  });
});
