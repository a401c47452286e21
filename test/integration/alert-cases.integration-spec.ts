import type { AlertChangedEvent, AlertDetail, CaseDetail, CasePage } from '@cityops/contracts';
import { connectLive, waitFor } from '../support/live-client';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const INDICATOR = 'marathon.segment_load';
const TIANHE = '440106';
const HAIZHU = '440105';

interface Answer<T> {
  status: number;
  body: T;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

describe('cases filed from an alert: linked both ways, scoped, filed once', () => {
  let stack: TestStack;
  let admin: string;
  const as: Record<string, string> = {};
  /** A point of a Tianhe grid and the ids of an alert in Tianhe and one in Haizhu. */
  let point: [number, number];
  let tianheAlert: string;
  let haizhuAlert: string;

  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };

  /** A firing alert on the district itself (its area's centre is where a case from it is filed). */
  const raiseAlert = async (district: string): Promise<string> =>
    (
      await stack.db.query<{ id: string }>(
        `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, fired_at)
         SELECT $1, id, 'critical', 'firing', 1.3, 1.0, now(), now() FROM area WHERE level = 'district' AND code = $2
         RETURNING id`,
        [INDICATOR, district],
      )
    ).rows[0].id;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    const grid = await stack.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM area g JOIN area d ON d.code = $1
        WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
      [TIANHE],
    );
    point = [grid.rows[0].lon, grid.rows[0].lat];
    tianheAlert = await raiseAlert(TIANHE);
    haizhuAlert = await raiseAlert(HAIZHU);
    const users: [string, string[], { area: string }[] | undefined, string | null][] = [
      ['ac-operator', ['operator'], undefined, null],
      ['ac-th-operator', ['operator'], [{ area: TIANHE }], null],
      ['ac-hz-operator', ['operator'], [{ area: HAIZHU }], null],
      ['ac-hz-handler', ['handler'], [{ area: HAIZHU }], 'th-urban-management'],
    ];
    for (const [username, roles, scopes, department] of users) {
      const user = await createUser(stack.url, admin, { username, roles, scopes, department });
      as[username] = await login(stack.url, user.username, user.password);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('files once per request id, as source alert, and links the case and the alert both ways', async () => {
    const live = await connectLive(stack.url, as['ac-th-operator'], ['alerts']);
    try {
      const request = {
        category: 'street-vending',
        description: '天河告警：路段拥挤',
        location: point,
        alertId: tianheAlert,
        clientRequestId: 'alert-cases-1',
      };
      // A double click: two submissions at once, one case.
      const [first, second] = await Promise.all([
        call<CaseDetail>(as['ac-th-operator'], 'POST', '/api/cases', request),
        call<CaseDetail>(as['ac-th-operator'], 'POST', '/api/cases', request),
      ]);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.code).toBe(first.body.code);
      const code = first.body.code;
      expect(first.body).toMatchObject({
        source: 'alert',
        alertId: tianheAlert,
        alert: { id: tianheAlert, level: 'critical', state: 'firing', indicatorKey: INDICATOR, areaCode: TIANHE },
      });
      // The area's name in both languages, for the page's language.
      expect(first.body.alert).toMatchObject({ areaName: expect.stringContaining('天河'), areaNameEn: expect.stringMatching(/Tianhe/) });
      expect(first.body.timeline[0]).toMatchObject({ action: 'filed', detail: { source: 'alert', alertId: tianheAlert } });

      // The alert's side: its history names the case once, and its listeners hear of it.
      const alert = await call<AlertDetail>(as['ac-th-operator'], 'GET', `/api/alerts/${tianheAlert}`);
      expect(alert.body.history.filter((h) => h.change === 'case_filed')).toEqual([
        expect.objectContaining({ change: 'case_filed', actor: 'ac-th-operator', comment: code }),
      ]);
      await waitFor(
        () =>
          live.events.some(
            (e) =>
              e.event === 'alert.changed' &&
              (e.payload as AlertChangedEvent).change === 'case_filed' &&
              (e.payload as AlertChangedEvent).alert.id === tianheAlert,
          ),
        10_000,
        'alert.changed case_filed',
      );
      const ofAlert = await call<CasePage>(as['ac-th-operator'], 'GET', `/api/alerts/${tianheAlert}/cases`);
      expect(ofAlert.status).toBe(200);
      expect(ofAlert.body.items.map((c) => c.code)).toEqual([code]);
      const filtered = await call<CasePage>(as['ac-operator'], 'GET', `/api/cases?alert=${tianheAlert}`);
      expect(filtered.body.items.map((c) => c.code)).toEqual([code]);
    } finally {
      live.socket.disconnect();
    }
  });

  it('lists only the alert’s cases the caller may see, and hides an alert outside the caller’s areas', async () => {
    const filed = await call<CaseDetail>(as['ac-operator'], 'POST', '/api/cases', {
      category: 'noise',
      description: '第二件',
      location: point,
      alertId: tianheAlert,
    });
    expect(filed.status).toBe(201);
    // A city-wide operator sees both cases of the Tianhe alert, newest first.
    const all = await call<CasePage>(as['ac-operator'], 'GET', `/api/alerts/${tianheAlert}/cases`);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0].code).toBe(filed.body.code);
    // Outside the caller's areas the alert is not found, as GET /api/alerts/:id says; the filter just finds nothing.
    expect((await call(as['ac-hz-operator'], 'GET', `/api/alerts/${tianheAlert}/cases`)).status).toBe(404);
    expect((await call<CasePage>(as['ac-hz-operator'], 'GET', `/api/cases?alert=${tianheAlert}`)).body.items).toEqual([]);
    // The Haizhu alert has no case yet.
    expect((await call<CasePage>(as['ac-hz-operator'], 'GET', `/api/alerts/${haizhuAlert}/cases`)).body.items).toEqual([]);
    // Paging through the alert's cases.
    const page = await call<CasePage>(as['ac-operator'], 'GET', `/api/alerts/${tianheAlert}/cases?limit=1`);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.next).toBe(filed.body.code);
    const rest = await call<CasePage>(as['ac-operator'], 'GET', `/api/alerts/${tianheAlert}/cases?limit=1&before=${page.body.next}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.items[0].code).not.toBe(filed.body.code);
  });

  it('shows the alert on the case only to a caller who may see the alert', async () => {
    // A Tianhe case of 城管 goes to the district's bureau: its Haizhu-scoped handler sees the case, not the alert.
    const filed = await call<CaseDetail>(as['ac-th-operator'], 'POST', '/api/cases', {
      category: 'street-vending',
      description: '第三件',
      location: point,
      alertId: tianheAlert,
    });
    expect(filed.body.department).toBe('th-urban-management');
    const seen = await call<CaseDetail>(as['ac-hz-handler'], 'GET', `/api/cases/${filed.body.code}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ alertId: tianheAlert, alert: null });
  });

  it('refuses a bad alert filter or id with 400, an unknown alert with 404, and an alert outside the filer’s areas', async () => {
    const op = as['ac-operator'];
    expect((await call<Problem>(op, 'GET', '/api/cases?alert=not-a-uuid')).status).toBe(400);
    expect((await call<Problem>(op, 'GET', '/api/alerts/not-a-uuid/cases')).status).toBe(400);
    expect((await call<Problem>(op, 'GET', `/api/alerts/${tianheAlert}/cases?limit=0`)).status).toBe(400);
    expect((await call<Problem>(op, 'GET', '/api/alerts/00000000-0000-4000-8000-000000000000/cases')).status).toBe(404);
    const outside = await call<Problem>(as['ac-hz-operator'], 'POST', '/api/cases', {
      category: 'noise',
      description: 'x',
      location: point,
      alertId: tianheAlert,
    });
    expect(outside.status).toBe(400);
    expect(outside.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['alertId']));
  });
});
