import type { AreaView, ProblemDetails, UserView } from '@cityops/contracts';
import { createUser, login, startStack, type TestStack } from '../support/stack';

/** `/api/users`: admins manage people, their roles, area scopes and departments. */
describe('users: roles, area scopes and departments, managed by admins', () => {
  let stack: TestStack;
  let admin: string;
  let districts: AreaView[];

  const send = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const problem = async (res: Response) => ({ status: res.status, body: (await res.json()) as ProblemDetails });
  const newUser = (overrides: Record<string, unknown> = {}) => ({
    username: 'district.analyst',
    displayName: '天河区分析员',
    password: 'Tianhe-analyst-2026',
    roles: ['analyst'],
    scopes: [{ area: districts[0].code }],
    department: null,
    ...overrides,
  });

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    districts = (await (await send('GET', '/api/areas?level=district', admin)).json()) as AreaView[];
    expect(districts.length).toBeGreaterThan(1);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a person with roles, a district scope and a department, and shows the scope by name', async () => {
    const res = await send(
      'POST',
      '/api/users',
      admin,
      newUser({ roles: ['analyst', 'operator', 'analyst'], department: 'public-security' }),
    );
    expect(res.status).toBe(201);
    const user = (await res.json()) as UserView;
    expect(user).toMatchObject({
      username: 'district.analyst',
      displayName: '天河区分析员',
      roles: ['analyst', 'operator'],
      department: 'public-security',
      disabled: false,
      mustChangePassword: true,
      cityWide: false,
      lastSignInAt: null,
      scopes: [{ kind: 'area', id: districts[0].id, code: districts[0].code, name: districts[0].name, level: 'district' }],
    });
    const row = await stack.db.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE id = $1`, [user.id]);
    expect(row.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(user)).not.toContain('Tianhe-analyst-2026');
    expect((await send('POST', '/api/users', admin, newUser())).status).toBe(409);
  });

  it('explains every refusal with the field it names, and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: [{ area: 'no-such-area' }] }, 'scopes.0.area'],
      [{ scopes: [{ zoneSet: 'no-such-set' }] }, 'scopes.0.zoneSet'],
      [{ scopes: [] }, 'scopes'],
      [{ scopes: [{ area: districts[0].code, zoneSet: 'x' }] }, 'scopes.0'],
      [{ department: 'no-such-department' }, 'department'],
      [{ username: 'Upper Case' }, 'username'],
      [{ username: 'nul\u0000name' }, 'username'],
      [{ roles: ['superuser'] }, 'roles.0'],
      [{ roles: [] }, 'roles'],
      [{ password: 'short' }, 'password'],
      [{ password: 'password1234' }, 'password'],
      [{ password: 'refused-1234567' }, 'password'],
    ];
    for (const [overrides, path] of cases) {
      const { status, body } = await problem(await send('POST', '/api/users', admin, newUser({ username: 'refused', ...overrides })));
      expect([path, status]).toEqual([path, 400]);
      expect([path, body.errors?.map((e) => e.path)]).toEqual([path, expect.arrayContaining([path])]);
    }
    expect((await stack.db.query(`SELECT 1 FROM app_user WHERE username = 'refused'`)).rowCount).toBe(0);
  });

  it('lists people by role, department, area (their scope holds it or an ancestor), text and state', async () => {
    await createUser(stack.url, admin, { username: 'city.viewer', roles: ['viewer'] });
    await createUser(stack.url, admin, { username: 'other.district', roles: ['commander'], scopes: [{ area: districts[1].code }] });
    const names = async (query: string) =>
      ((await (await send('GET', `/api/users?${query}`, admin)).json()) as UserView[]).map((u) => u.username).sort();
    expect(await names('role=viewer')).toEqual(['city.viewer']);
    // The demo's simulated handler of the department (made by the set-up from SIMULATOR_TOKEN) is one of them.
    expect(await names('department=public-security')).toEqual(['demo-handler-public-security', 'district.analyst']);
    // The district's people, and those who see the whole city (admin included), see it.
    expect(await names(`area=${encodeURIComponent(districts[1].code)}`)).toEqual(['admin', 'city.viewer', 'other.district']);
    expect(await names('q=OTHER')).toEqual(['other.district']);
    expect(await names('q=%25')).toEqual([]);
    expect(await names('disabled=true')).toEqual([]);
    expect((await send('GET', '/api/users?role=root', admin)).status).toBe(400);
  });

  it('changes roles, scope and department, and keeps an admin from locking themselves out', async () => {
    const user = await createUser(stack.url, admin, { username: 'moving.around', roles: ['viewer'] });
    const res = await send('PATCH', `/api/users/${user.id}`, admin, {
      roles: ['commander'],
      scopes: [{ area: districts[1].code }, { zoneSet: 'gz-marathon' }],
      department: null,
      displayName: '指挥长',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      roles: ['commander'],
      displayName: '指挥长',
      scopes: [
        { kind: 'area', code: districts[1].code },
        { kind: 'zoneSet', key: 'gz-marathon' },
      ],
    });
    const me = (await (await send('GET', '/api/auth/me', admin)).json()) as { id: string };
    expect((await problem(await send('PATCH', `/api/users/${me.id}`, admin, { disabled: true }))).status).toBe(409);
    expect((await problem(await send('PATCH', `/api/users/${me.id}`, admin, { roles: ['viewer'] }))).status).toBe(409);
    expect((await send('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', admin, { displayName: 'x' })).status).toBe(404);
    expect((await send('GET', '/api/users/not-a-uuid', admin)).status).toBe(400);
  });

  it('is for admins only', async () => {
    const user = await createUser(stack.url, admin, { username: 'not.an.admin', roles: ['commander', 'analyst'] });
    const token = await login(stack.url, user.username, user.password);
    expect((await send('GET', '/api/users', token)).status).toBe(403);
    expect((await send('POST', '/api/users', token, newUser({ username: 'sneaky' }))).status).toBe(403);
    expect((await send('PATCH', `/api/users/${user.id}`, token, { roles: ['admin'] })).status).toBe(403);
  });
});
