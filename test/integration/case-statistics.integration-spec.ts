import { CaseStatisticsService } from '@cityops/cases';
import type { CaseDetail, CaseStatistics, IndicatorValuesEvent } from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const TIANHE = '440106';
const HAIZHU = '440105';

interface Grid {
  lon: number;
  lat: number;
}

describe('case statistics: per district, street and department, and as indicators among the vital signs', () => {
  let stack: TestStack;
  let admin: string;
  let operator: string;
  let hzOperator: string;
  let handler: string;
  let gridWorker: string;
  const grids: Record<string, Grid> = {};

  const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const file = async (category: string, district: string) =>
    (
      await call<CaseDetail>(operator, 'POST', '/api/cases', {
        category,
        description: 'stats',
        location: [grids[district].lon, grids[district].lat],
      })
    ).body;
  const act = (token: string, code: string, body: Record<string, unknown>) =>
    call<CaseDetail>(token, 'POST', `/api/cases/${code}/actions`, body);

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    const users: [string, string[], { area: string }[] | undefined, string | null][] = [
      ['stats-operator', ['operator'], undefined, null],
      ['stats-hz-operator', ['operator'], [{ area: HAIZHU }], null],
      ['stats-handler', ['handler'], undefined, 'th-urban-management'],
      ['stats-gridworker', ['grid_worker'], undefined, null],
    ];
    const tokens: string[] = [];
    for (const [username, roles, scopes, department] of users) {
      const u = await createUser(stack.url, admin, { username, roles, scopes, department });
      tokens.push(await login(stack.url, u.username, u.password));
    }
    [operator, hzOperator, handler, gridWorker] = tokens;
    for (const district of [TIANHE, HAIZHU]) {
      grids[district] = (
        await stack.db.query<Grid>(
          `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
             FROM area g JOIN area d ON d.code = $1 WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
          [district],
        )
      ).rows[0];
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts volume, on-time stages, time to close, rating and the enterprise promise per district and department', async () => {
    // Tianhe: one closed with a rating, one accepted late, one still waiting past its deadline; Haizhu: one open.
    const closed = await file('street-vending', TIANHE);
    await act(handler, closed.code, { action: 'accept' });
    const photo = await fetch(`${stack.url}/api/cases/${closed.code}/photos?stage=resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${handler}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(await samplePhoto('jpeg')),
    });
    await act(handler, closed.code, { action: 'resolve', photoIds: [((await photo.json()) as { id: string }).id] });
    expect((await act(gridWorker, closed.code, { action: 'verify' })).body.state).toBe('verified');
    expect((await act(operator, closed.code, { action: 'close', rating: 4 })).body.state).toBe('closed');

    const lateAccept = await file('street-vending', TIANHE);
    await stack.db.query(`UPDATE city_case SET accept_due_at = now() - interval '1 hour' WHERE code = $1`, [lateAccept.code]);
    await act(handler, lateAccept.code, { action: 'accept' });
    const waiting = await file('illegal-advertising', TIANHE);
    await stack.db.query(`UPDATE city_case SET accept_due_at = now() - interval '1 hour' WHERE code = $1`, [waiting.code]);
    await file('garbage-pile', HAIZHU);
    // 企业呼: one answered within 24 hours, one filed 30 hours ago and not answered.
    const kept = await file('permit-help', HAIZHU);
    await stack.db.query(`UPDATE city_case SET state = 'accepted', accepted_at = created_at + interval '2 hours' WHERE code = $1`, [
      kept.code,
    ]);
    const missed = await file('permit-help', HAIZHU);
    await stack.db.query(`UPDATE city_case SET created_at = now() - interval '30 hours' WHERE code = $1`, [missed.code]);

    const byDistrict = await call<CaseStatistics>(operator, 'GET', '/api/cases/statistics?by=district');
    expect(byDistrict.status).toBe(200);
    const th = byDistrict.body.rows.find((r) => r.key === TIANHE);
    const hz = byDistrict.body.rows.find((r) => r.key === HAIZHU);
    expect(th).toMatchObject({
      name: '天河区',
      filed: 3,
      open: 2,
      closed: 1,
      ratings: 1,
      meanRating: 4,
      enterpriseRequests: 0,
      promiseKeptRate: null,
    });
    // Accept: one on time (the closed one), one accepted late, one waiting past its deadline.
    expect(th?.acceptOnTimeRate).toBeCloseTo(1 / 3);
    // The counts behind the rates, for totals weighted by them.
    expect(th).toMatchObject({ acceptOnTime: 1, acceptLate: 2, resolveOnTime: 1, resolveLate: 0, promiseKept: 0, promiseMissed: 0 });
    expect(th?.resolveOnTimeRate).toBe(1);
    expect(th?.meanHoursToClose).toBeGreaterThan(0);
    expect(hz).toMatchObject({ filed: 3, enterpriseRequests: 2, promiseKeptRate: 0.5, promiseKept: 1, promiseMissed: 1 });

    const byDepartment = await call<CaseStatistics>(operator, 'GET', '/api/cases/statistics?by=department');
    expect(byDepartment.body.rows.find((r) => r.key === 'th-urban-management')).toMatchObject({
      name: '天河区城市管理和综合执法局',
      filed: 3,
    });
    const byStreet = await call<CaseStatistics>(operator, 'GET', '/api/cases/statistics?by=street');
    expect(byStreet.body.rows.reduce((n, r) => n + r.filed, 0)).toBe(6);

    // A Haizhu operator sees Haizhu only; a window before any case holds nothing; a window backwards is refused.
    expect((await call<CaseStatistics>(hzOperator, 'GET', '/api/cases/statistics')).body.rows.map((r) => r.key)).toEqual([HAIZHU]);
    expect((await call<CaseStatistics>(operator, 'GET', '/api/cases/statistics?to=2020-01-01T00:00:00Z')).body.rows).toEqual([]);
    expect((await call(operator, 'GET', '/api/cases/statistics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400);
    expect((await call(operator, 'GET', '/api/cases/statistics?by=grid')).status).toBe(400);
  });

  it('publishes every street’s counts into the case-statistics feed, which the case indicators compute from', async () => {
    const statistics = stack.workers[0].get(CaseStatisticsService, { strict: false });
    const streets = (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM area WHERE level = 'street'`)).rows[0].n;
    const tianheId = (await stack.db.query<{ id: number }>(`SELECT id FROM area WHERE code = $1`, [TIANHE])).rows[0].id;
    const published = new Date();
    expect(await statistics.publish(published)).toBe(streets * 4);
    /** The indicator's values once computed from what was just published. */
    const computedSince = (key: string) =>
      eventually(
        async () => {
          const latest = (await call<IndicatorValuesEvent>(admin, 'GET', `/api/indicators/${key}/latest`)).body;
          // A value is as of its newest reading: the published one, not an earlier round's.
          return latest.values.find((v) => v.areaId === tianheId && Date.parse(v.ts) >= published.getTime());
        },
        30_000,
        `${key} of Tianhe computed from the published statistics`,
      );
    // The one waiting past its accept deadline.
    expect((await computedSince('cases.overdue')).value).toBe(1);
    const perTenK = await computedSince('cases.open_per_10k');
    expect(perTenK.value).toBeGreaterThan(0);
    expect(perTenK.numerator).toBe(2);
  });
});
