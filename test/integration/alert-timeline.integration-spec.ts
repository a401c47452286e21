import type { AlertDetail, AlertTimeline, AlertView, ProblemDetails } from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const INDICATOR = 'marathon.segment_load';
const TIANHE = '440106';
const HAIZHU = '440105';
const MINUTE = 60_000;

/** A stretch as the test compares it: level and ISO times. */
const shown = (t: AlertTimeline) =>
  t.stretches.map((s) => ({ alertId: s.alertId, areaId: s.areaId, level: s.level, from: s.from, to: s.to }));
const iso = (ms: number) => new Date(ms).toISOString();
/** When the alert's history says `change` happened (its last such entry). */
function whenOf(detail: AlertDetail, change: string): number {
  const entry = detail.history.findLast((h) => h.change === change);
  if (!entry) throw new Error(`no ${change} in the history: ${detail.history.map((h) => h.change).join(', ')}`);
  return Date.parse(entry.at);
}

describe('GET /api/alerts/timeline: the levels an alert fired at over a window, on real readings', () => {
  let stack: TestStack;
  let admin: string;
  /** A course segment in Tianhe and not in Haizhu. */
  let segment: Segment;
  let alertId: string;
  /** When it fired (warning), went critical, came back to warning, resolved: from its history. */
  let fired: number;
  let escalated: number;
  let deescalated: number;
  let resolved: number;

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    const inTianheOnly = await stack.db.query<{ id: number }>(
      `SELECT id FROM area
        WHERE level = 'zone' AND id IN (SELECT cityops_scope_area_ids(ARRAY(SELECT id FROM area WHERE level = 'district' AND code = $1)))
          AND id NOT IN (SELECT cityops_scope_area_ids(ARRAY(SELECT id FROM area WHERE level = 'district' AND code = $2)))
        ORDER BY seq LIMIT 1`,
      [TIANHE, HAIZHU],
    );
    const id = inTianheOnly.rows[0].id;
    segment = (await segments(stack.url, admin)).find((s) => s.id === id) as Segment;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = async <T>(path: string, token = admin): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const timeline = async (from: number, to: number, extra = '', token = admin) =>
    get<AlertTimeline>(`/api/alerts/timeline?indicator=${INDICATOR}&from=${iso(from)}&to=${iso(to)}${extra}`, token);

  /** Posts a load (headcount ÷ capacity) for the segment, as the counting system would. */
  const load = async (ratio: number) => {
    const res = await postHeadcounts(stack.url, [{ code: segment.code, headcount: Math.round(segment.capacity * ratio) }]);
    expect(res.status).toBe(200);
  };
  /** The segment's alert once its history ends with `change`. */
  const after = (change: string) =>
    eventually(
      async () => {
        const detail = (await get<AlertDetail>(`/api/alerts/${alertId}`)).body;
        return detail.history.at(-1)?.change === change ? detail : null;
      },
      20000,
      `the alert to be ${change}`,
    );

  it('follows an alert going warning → critical → warning → resolved by real readings', async () => {
    await load(0.9);
    const opened = await eventually(
      async () => (await get<AlertView[]>(`/api/alerts?indicator=${INDICATOR}&area=${segment.id}&active=true`)).body[0],
      20000,
      'the segment’s alert to fire',
    );
    alertId = opened.id;
    expect(opened).toMatchObject({ state: 'firing', level: 'warning' });

    await load(1.2);
    const critical = await after('escalated');
    expect(critical.level).toBe('critical');
    // Still firing: the last stretch has no end, also in a window that ends before now.
    fired = whenOf(critical, 'fired');
    escalated = whenOf(critical, 'escalated');
    const open = await timeline(fired - MINUTE, Date.now() + MINUTE);
    expect(shown(open.body)).toEqual([
      { alertId, areaId: segment.id, level: 'warning', from: iso(fired), to: iso(escalated) },
      { alertId, areaId: segment.id, level: 'critical', from: iso(escalated), to: null },
    ]);

    await load(0.9);
    deescalated = whenOf(await after('deescalated'), 'deescalated');
    await load(0.5);
    const done = await after('resolved');
    resolved = whenOf(done, 'resolved');
    expect(done.history.map((h) => h.change)).toEqual(['fired', 'escalated', 'deescalated', 'resolved']);

    const whole = await timeline(fired - MINUTE, resolved + MINUTE);
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ indicatorKey: INDICATOR, from: iso(fired - MINUTE), to: iso(resolved + MINUTE), truncated: false });
    expect(shown(whole.body)).toEqual([
      { alertId, areaId: segment.id, level: 'warning', from: iso(fired), to: iso(escalated) },
      { alertId, areaId: segment.id, level: 'critical', from: iso(escalated), to: iso(deescalated) },
      { alertId, areaId: segment.id, level: 'warning', from: iso(deescalated), to: iso(resolved) },
    ]);
  });

  it('clips the stretches to the window and leaves out those outside it', async () => {
    const midCritical = Math.floor((escalated + deescalated) / 2);
    const midWarning = Math.floor((deescalated + resolved) / 2);
    expect(shown((await timeline(midCritical, midWarning)).body)).toEqual([
      { alertId, areaId: segment.id, level: 'critical', from: iso(midCritical), to: iso(deescalated) },
      { alertId, areaId: segment.id, level: 'warning', from: iso(deescalated), to: iso(midWarning) },
    ]);
    expect((await timeline(resolved, resolved + MINUTE)).body.stretches).toEqual([]);
    expect((await timeline(fired - 2 * MINUTE, fired)).body.stretches).toEqual([]);
  });

  it('gives at most `limit` stretches, the earliest, and says when it cut', async () => {
    const two = (await timeline(fired - MINUTE, resolved + MINUTE, '&limit=2')).body;
    expect(two.truncated).toBe(true);
    expect(two.stretches.map((s) => s.level)).toEqual(['warning', 'critical']);
    const three = (await timeline(fired - MINUTE, resolved + MINUTE, '&limit=3')).body;
    expect(three).toMatchObject({ truncated: false });
    expect(three.stretches).toHaveLength(3);
  });

  it.each<[string, (now: number) => string, string[]]>([
    ['a window ending before it starts', (now) => `indicator=${INDICATOR}&from=${iso(now)}&to=${iso(now - MINUTE)}`, ['to']],
    ['a window of no length', (now) => `indicator=${INDICATOR}&from=${iso(now)}&to=${iso(now)}`, ['to']],
    ['a window longer than 7 days', (now) => `indicator=${INDICATOR}&from=${iso(now - 8 * 86400_000)}&to=${iso(now)}`, ['to']],
    ['no window', () => `indicator=${INDICATOR}`, ['from', 'to']],
    ['a time without a zone', (now) => `indicator=${INDICATOR}&from=2026-11-30T08:00:00&to=${iso(now)}`, ['from']],
    ['no indicator', (now) => `from=${iso(now - MINUTE)}&to=${iso(now)}`, ['indicator']],
    ['a limit over 20,000', (now) => `indicator=${INDICATOR}&from=${iso(now - MINUTE)}&to=${iso(now)}&limit=20001`, ['limit']],
  ])('refuses %s with a 400 problem naming the field', async (_name, query, paths) => {
    const res = await fetch(`${stack.url}/api/alerts/timeline?${query(Date.now())}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as ProblemDetails;
    expect([...new Set(problem.errors?.map((e) => e.path))].sort()).toEqual(paths);
  });

  it('answers exactly 7 days', async () => {
    expect((await timeline(resolved + MINUTE - 7 * 86400_000, resolved + MINUTE)).body.stretches).toHaveLength(3);
  });

  it('shows a person only the alerts of their areas: scoped to another district, none', async () => {
    const haizhu = await createUser(stack.url, admin, { username: 'timeline-haizhu', roles: ['viewer'], scopes: [{ area: HAIZHU }] });
    const tianhe = await createUser(stack.url, admin, { username: 'timeline-tianhe', roles: ['viewer'], scopes: [{ area: TIANHE }] });
    const elsewhere = await timeline(fired - MINUTE, resolved + MINUTE, '', await login(stack.url, haizhu.username, haizhu.password));
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.stretches).toEqual([]);
    const home = await timeline(fired - MINUTE, resolved + MINUTE, '', await login(stack.url, tianhe.username, tianhe.password));
    expect(home.body.stretches.map((s) => s.alertId)).toEqual([alertId, alertId, alertId]);
  });
});
