import { Queue } from 'bullmq';
import { CaseSetupService, CaseSupervisionService, supervisionInstant } from '@cityops/cases';
import type { CaseChangedEvent, CaseDetail } from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const TIANHE = '440106';
const HAIZHU = '440105';
/** Accept within 1 working hour: one supervision level an hour. */
const MANHOLE = 'manhole-cover';

interface Grid {
  code: string;
  lon: number;
  lat: number;
}

describe('deadline supervision (督办): overdue stages climb the hierarchy, live, with a controllable clock', () => {
  let stack: TestStack;
  let admin: string;
  let operator: string;
  let handler: string;
  let grid: Grid;
  let supervision: CaseSupervisionService;
  let queue: Queue;

  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const file = async (category: string): Promise<{ detail: CaseDetail; id: string }> => {
    const filed = await call<CaseDetail>(operator, 'POST', '/api/cases', {
      category,
      description: 'overdue test',
      location: [grid.lon, grid.lat],
    });
    expect(filed.status).toBe(201);
    const id = (await stack.db.query<{ id: string }>(`SELECT id::text FROM city_case WHERE code = $1`, [filed.body.code])).rows[0].id;
    return { detail: filed.body, id };
  };
  const detail = async (code: string) => (await call<CaseDetail>(operator, 'GET', `/api/cases/${code}`)).body;
  const caseSetup = () => stack.workers[0].get(CaseSetupService, { strict: false });

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    const op = await createUser(stack.url, admin, { username: 'sup-operator', roles: ['operator'] });
    operator = await login(stack.url, op.username, op.password);
    const h = await createUser(stack.url, admin, { username: 'sup-handler', roles: ['handler'], department: 'housing' });
    handler = await login(stack.url, h.username, h.password);
    grid = (
      await stack.db.query<Grid>(
        `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1 WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
        [TIANHE],
      )
    ).rows[0];
    supervision = stack.workers[0].get(CaseSupervisionService, { strict: false });
    queue = new Queue('cases', { connection: { url: stack.config.redis.url }, prefix: `${stack.config.redis.prefix}:bull` });
  });

  afterAll(async () => {
    await queue?.close();
    await stack?.stop();
  });

  it('schedules the first supervision at the accept deadline as a delayed job', async () => {
    const { detail: filed, id } = await file(MANHOLE);
    expect(filed).toMatchObject({ state: 'dispatched', department: 'housing', supervision: null });
    const due = Date.parse(filed.acceptDueAt ?? '');
    const job = await eventually(() => queue.getJob(`supervise-${id}-accept-${due}`), 5000, 'the delayed supervision job');
    expect(job.data).toEqual({ caseId: id });
    expect(job.timestamp + (job.opts.delay ?? 0)).toBeGreaterThanOrEqual(due - 5000);
  });

  it('raises an overdue case level by level as the clock moves, each level once, with a timeline entry and a live event', async () => {
    const { detail: filed, id } = await file(MANHOLE);
    const due = new Date(filed.acceptDueAt ?? '');
    const cityWide = await connectLive(stack.url, operator, ['cases']);
    const haizhu = await createUser(stack.url, admin, { username: 'sup-hz-operator', roles: ['operator'], scopes: [{ area: HAIZHU }] });
    const elsewhere = await connectLive(stack.url, await login(stack.url, haizhu.username, haizhu.password), ['cases']);
    try {
      // Before the deadline nothing happens.
      expect(await supervision.supervise(id, new Date(due.getTime() - 1))).toBe(false);
      // At the deadline: the community supervises.
      expect(await supervision.supervise(id, due)).toBe(true);
      let now = await detail(filed.code);
      expect(now.supervision).toMatchObject({ stage: 'accept', level: 1, areaLevel: 'community' });
      expect(now.areaPath.find((a) => a.level === 'community')?.code).toBe(now.supervision?.areaCode);
      expect(now.timeline.at(-1)).toMatchObject({
        action: 'supervised',
        actor: 'system',
        internal: false,
        detail: { stage: 'accept', level: 1 },
      });
      const event = await waitFor(
        () => cityWide.events.find((e) => e.event === 'case.changed' && (e.payload as CaseChangedEvent).action === 'supervised'),
        5000,
        'the supervised event',
      );
      expect((event.payload as CaseChangedEvent).case).toMatchObject({ code: filed.code, supervision: { level: 1 } });

      // Two working hours late, three workers at once: the district, written once.
      const third = await levelInstant(due, 3);
      const answers = await Promise.all([1, 2, 3].map(() => supervision.supervise(id, third)));
      expect(answers.filter(Boolean)).toHaveLength(1);
      now = await detail(filed.code);
      expect(now.supervision).toMatchObject({ level: 3, areaLevel: 'district', areaCode: TIANHE });
      expect(now.timeline.filter((e) => e.action === 'supervised').map((e) => e.detail.level)).toEqual([1, 3]);

      // The sweep takes it to the command centre, and no further.
      expect(await supervision.sweep(await levelInstant(due, 6))).toBeGreaterThanOrEqual(1);
      now = await detail(filed.code);
      expect(now.supervision).toMatchObject({ level: 4, areaLevel: 'city' });
      expect(await supervision.supervise(id, await levelInstant(due, 9))).toBe(false);
      // Nobody scoped to another district heard of it.
      expect(elsewhere.events.filter((e) => (e.payload as CaseChangedEvent).case?.code === filed.code)).toEqual([]);

      // Accepted: the accept stage's supervision is over; the resolve stage starts clean.
      const accepted = await call<CaseDetail>(handler, 'POST', `/api/cases/${filed.code}/actions`, { action: 'accept' });
      expect(accepted.body).toMatchObject({ state: 'accepted', supervision: null, overdue: null });
      expect(await supervision.supervise(id, await levelInstant(due, 6))).toBe(false);
    } finally {
      cityWide.socket.close();
      elsewhere.socket.close();
    }
  });

  it('fires on its own when a deadline really passes (a round-the-clock calendar and a category with a deadline of seconds)', async () => {
    await stack.db.query(`UPDATE working_calendar SET hours = '[{"start":"00:00","end":"24:00"}]', workdays = '{1,2,3,4,5,6,7}'`);
    await stack.db.query(`DELETE FROM working_calendar_day`);
    await caseSetup().loadCategories([
      {
        key: 'test-urgent',
        name: '测试急件',
        nameEn: 'Test urgent',
        responsePromiseHours: null,
        categories: [{ key: 'test-seconds', name: '秒级', nameEn: 'Seconds', acceptHours: 0.001, resolveHours: 1 }],
      },
    ]);
    await call(admin, 'POST', '/api/case-routing-rules', { category: 'test-urgent', areaCode: null, department: 'housing' });
    const { detail: filed } = await file('test-seconds');
    // 3.6 s after dispatch the delayed job runs in the worker.
    const supervised = await eventually(async () => (await detail(filed.code)).supervision, 20_000, 'the case to be supervised by its job');
    expect(supervised).toMatchObject({ stage: 'accept', level: 1 });
  });

  /** The instant a level is reached for the manhole cover's accept stage (1 working hour) on the stored calendar. */
  async function levelInstant(due: Date, level: number): Promise<Date> {
    const row = (
      await stack.db.query<{ utc_offset_minutes: number; hours: { start: string; end: string }[]; workdays: number[] }>(
        `SELECT * FROM working_calendar`,
      )
    ).rows[0];
    const days = (
      await stack.db.query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM working_calendar_day`)
    ).rows;
    return supervisionInstant(
      {
        utcOffsetMinutes: row.utc_offset_minutes,
        hours: row.hours,
        workdays: row.workdays,
        holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)),
        extraWorkdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)),
      },
      due,
      1,
      level,
    );
  }
});
