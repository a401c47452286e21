import { AlertService } from '@cityops/alerts';
import {
  thresholdSpecSchema,
  type AlertChangedEvent,
  type AlertDetail,
  type AlertView,
  type ProblemDetails,
  type SilenceView,
  type ThresholdSpecInput,
} from '@cityops/contracts';
import { QueueService } from '@cityops/core';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { createUser, kioskLogin, login, startStack, type TestStack } from '../support/stack';

const INDICATOR = 'marathon.segment_load';
const TIANHE = '440106';
const HAIZHU = '440105';

const spec = (extra: Partial<ThresholdSpecInput> = {}) =>
  thresholdSpecSchema.parse({
    levels: [
      { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
      { level: 'critical', op: '>=', value: 1.0 },
    ],
    ...extra,
  });

describe('alert lifecycle on real PostGIS and Redis: pending, manual resolve, acknowledgement, silences, escalation', () => {
  let stack: TestStack;
  let admin: string;
  let operator: string;
  let alerts: AlertService;
  /** Marathon segments lying in one district and not the other, by district code. */
  const segments: Record<string, { id: number; code: string }[]> = {};
  const districtIds: Record<string, number> = {};

  beforeAll(async () => {
    // Escalation after 3 s (0.05 minutes), so the test can watch two steps.
    stack = await startStack({ workers: 1, env: { ALERT_ESCALATION_MINUTES: '0.05' } });
    admin = await login(stack.url);
    const op = await createUser(stack.url, admin, { username: 'life-operator', roles: ['operator'] });
    operator = await login(stack.url, op.username, op.password);
    alerts = stack.workers[0].get(AlertService);
    for (const [code, other] of [
      [TIANHE, HAIZHU],
      [HAIZHU, TIANHE],
    ]) {
      const ids = await stack.db.query<{ code: string; id: number }>(
        `SELECT code, id FROM area WHERE level = 'district' AND code = ANY ($1)`,
        [[code, other]],
      );
      districtIds[code] = ids.rows.find((r) => r.code === code)!.id;
      const otherId = ids.rows.find((r) => r.code === other)!.id;
      segments[code] = (
        await stack.db.query<{ id: number; code: string }>(
          `SELECT id, code FROM area
            WHERE level = 'zone' AND id IN (SELECT cityops_scope_area_ids(ARRAY[$1]::int[]))
              AND id NOT IN (SELECT cityops_scope_area_ids(ARRAY[$2]::int[]))
            ORDER BY seq`,
          [districtIds[code], otherId],
        )
      ).rows;
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A segment no other test uses (the first three of Tianhe are named by the tests that need them). */
  let nextSegment = 0;
  const freshSegment = async (): Promise<number> => {
    const rows = await stack.db.query<{ id: number }>(
      `SELECT id FROM area WHERE zone_set = 'gz-marathon' AND id <> ALL ($1::int[]) ORDER BY seq OFFSET $2 LIMIT 1`,
      [segments[TIANHE].slice(0, 3).map((s) => s.id), nextSegment++],
    );
    return rows.rows[0].id;
  };

  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const detail = async (id: string) => (await call<AlertDetail>(admin, 'GET', `/api/alerts/${id}`)).body;
  const fire = async (areaId: number, value: number, ts = new Date()): Promise<AlertChangedEvent> => {
    // The evaluation also looks again at the indicator's other open alerts (earlier tests'): take this area's change.
    const changes = await alerts.evaluate(INDICATOR, spec(), [{ areaId, value, ts }]);
    const change = changes.find((c) => c.alert.areaId === areaId);
    expect(change?.change).toBe('fired');
    return change as AlertChangedEvent;
  };

  it('fires a pending alert when its pending period ends, with no new value', async () => {
    const areaId = await freshSegment();
    const pending = spec({ pendingSeconds: 1 });
    const [first] = await alerts.evaluate(INDICATOR, pending, [{ areaId, value: 0.9, ts: new Date() }]);
    expect(first.change).toBe('pending');
    expect(first.alert).toMatchObject({ state: 'pending', firedAt: null, level: 'warning', threshold: 0.8, op: '>=' });
    // Only time passes: the open alert is evaluated again with the value it has.
    const fired = await eventually(
      async () => (await alerts.evaluate(INDICATOR, pending, [])).find((c) => c.alert.areaId === areaId && c.change === 'fired'),
      10000,
      'the pending alert to fire',
    );
    expect(fired.alert.id).toBe(first.alert.id);
    expect(Date.parse(fired.alert.firedAt!)).toBeGreaterThanOrEqual(Date.parse(first.alert.startedAt) + 1000);
    expect((await detail(first.alert.id)).history.map((h) => h.change)).toEqual(['pending', 'fired']);
  });

  it('lets a pending alert lapse when the value drops before its period ends: resolved, never fired', async () => {
    const areaId = await freshSegment();
    const pending = spec({ pendingSeconds: 600 });
    const [first] = await alerts.evaluate(INDICATOR, pending, [{ areaId, value: 0.9, ts: new Date(Date.now() - 1000) }]);
    const [lapsed] = await alerts.evaluate(INDICATOR, pending, [{ areaId, value: 0.5, ts: new Date() }]);
    expect(lapsed).toMatchObject({ change: 'lapsed', alert: { id: first.alert.id, state: 'resolved', firedAt: null } });
  });

  it('resolves an alert by hand with a reason; the next breaching value opens a new alert', async () => {
    const areaId = await freshSegment();
    const fired = await fire(areaId, 1.1, new Date(Date.now() - 2000));
    const missing = await call<ProblemDetails>(operator, 'POST', `/api/alerts/${fired.alert.id}/resolve`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.map((e) => e.path)).toEqual(['reason']);

    const done = await call<AlertView>(operator, 'POST', `/api/alerts/${fired.alert.id}/resolve`, { reason: '现场已疏导' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'resolved', resolvedBy: 'life-operator', resolveReason: '现场已疏导' });
    // A retry answers the alert as it stands.
    expect((await call<AlertView>(operator, 'POST', `/api/alerts/${fired.alert.id}/resolve`, { reason: 'again' })).body).toMatchObject({
      state: 'resolved',
      resolveReason: '现场已疏导',
    });
    expect((await detail(fired.alert.id)).history.at(-1)).toMatchObject({
      change: 'resolved',
      actor: 'life-operator',
      comment: '现场已疏导',
    });

    const [again] = await alerts.evaluate(INDICATOR, spec(), [{ areaId, value: 1.1, ts: new Date() }]);
    expect(again.change).toBe('fired');
    expect(again.alert.id).not.toBe(fired.alert.id);
  });

  it('keeps an acknowledgement’s comment on the alert and in its history', async () => {
    const fired = await fire(await freshSegment(), 0.9);
    const acked = await call<AlertView>(operator, 'POST', `/api/alerts/${fired.alert.id}/ack`, { comment: '已派人核查' });
    expect(acked.body).toMatchObject({ acknowledgedBy: 'life-operator', ackComment: '已派人核查', state: 'firing' });
    expect((await detail(fired.alert.id)).history.map((h) => [h.change, h.actor, h.comment])).toEqual([
      ['fired', null, null],
      ['acknowledged', 'life-operator', '已派人核查'],
    ]);
    const empty = await call<ProblemDetails>(operator, 'POST', `/api/alerts/${fired.alert.id}/ack`, { comment: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.map((e) => e.path)).toEqual(['comment']);
  });

  it('lists alerts by state, activity, indicator, area and time', async () => {
    const [areaId] = [segments[TIANHE][0].id];
    const since = new Date(Date.now() - 1000).toISOString();
    const fired = await fire(areaId, 0.95);
    const ids = async (query: string) => (await call<AlertView[]>(admin, 'GET', `/api/alerts?${query}`)).body.map((a) => a.id);
    expect(await ids(`active=true&area=${districtIds[TIANHE]}`)).toContain(fired.alert.id);
    expect(await ids(`active=true&area=${districtIds[HAIZHU]}`)).not.toContain(fired.alert.id);
    expect(await ids(`state=firing&indicator=${INDICATOR}&since=${encodeURIComponent(since)}`)).toContain(fired.alert.id);
    expect(await ids('state=resolved')).not.toContain(fired.alert.id);
    expect(await ids(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    const bad = await call<ProblemDetails>(admin, 'GET', '/api/alerts?active=maybe&state=open');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(['active', 'state']);
  });

  it('silences an alert by area (an ancestor covers its segments) and indicator, also once it is stale, until the silence ends', async () => {
    const areaId = segments[TIANHE][1].id;
    const stale = spec({ noData: { afterSeconds: 10, policy: 'stale' } });
    const [fired] = await alerts.evaluate(INDICATOR, stale, [{ areaId, value: 0.9, ts: new Date() }]);
    expect(fired.alert.silencedBy).toBeNull();
    const created = await call<SilenceView>(admin, 'POST', '/api/silences', {
      indicatorKey: INDICATOR,
      areaId: districtIds[TIANHE],
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: '演练',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: true, createdBy: 'admin', areaCode: TIANHE });
    expect((await detail(fired.alert.id)).silencedBy).toBe(created.body.id);
    // Another indicator's silence, or one that has not begun, covers nothing.
    const later = await call<SilenceView>(admin, 'POST', '/api/silences', {
      areaId,
      startsAt: new Date(Date.now() + 1800_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: 'later',
    });
    expect(later.body.active).toBe(false);

    // 20 s without data: stale, still silenced by the same silence.
    const changes = await alerts.evaluate(INDICATOR, stale, [], new Date(Date.now() + 20_000));
    expect(changes.find((c) => c.alert.id === fired.alert.id)).toMatchObject({
      change: 'stale',
      alert: { id: fired.alert.id, stale: true, silencedBy: created.body.id },
    });

    const ended = await call<SilenceView>(admin, 'DELETE', `/api/silences/${created.body.id}`);
    expect(ended.body).toMatchObject({ active: false, expiredAt: expect.any(String) });
    expect((await call<SilenceView>(admin, 'DELETE', `/api/silences/${created.body.id}`)).status).toBe(200);
    expect((await detail(fired.alert.id)).silencedBy).toBeNull();
    // Every write is on record, the retried end too.
    const audit = await eventually(
      async () => {
        const rows = (
          await stack.db.query<{ action: string }>(`SELECT action FROM audit.audit_event WHERE target_id = $1 ORDER BY id`, [
            created.body.id,
          ])
        ).rows;
        return rows.length >= 3 ? rows : null;
      },
      10000,
      'the audit events of the silence',
    );
    expect(audit.map((a) => a.action)).toEqual(['silence.create', 'silence.delete', 'silence.delete']);
  });

  it('refuses silences without a valid target or period, naming the field', async () => {
    const endsAt = new Date(Date.now() + 60_000).toISOString();
    const cases: [unknown, string][] = [
      [{ endsAt, reason: 'x' }, 'indicatorKey'],
      [{ areaId: 99999999, endsAt, reason: 'x' }, 'areaId'],
      [{ indicatorKey: 'no.such.indicator', endsAt, reason: 'x' }, 'indicatorKey'],
      [{ theme: 'traffic', endsAt: new Date(Date.now() - 60_000).toISOString(), reason: 'x' }, 'endsAt'],
      [{ theme: 'traffic', endsAt }, 'reason'],
    ];
    for (const [body, path] of cases) {
      const res = await call<ProblemDetails>(admin, 'POST', '/api/silences', body);
      expect({ status: res.status, paths: res.body.errors?.map((e) => e.path) }).toEqual({ status: 400, paths: [path] });
    }
  });

  it('lets a district operator silence only inside its district, and see and end only its own district’s silences', async () => {
    const user = await createUser(stack.url, admin, { username: 'life-tianhe-operator', roles: ['operator'], scopes: [{ area: TIANHE }] });
    const scoped = await login(stack.url, user.username, user.password);
    const endsAt = new Date(Date.now() + 600_000).toISOString();
    const cityWide = await call<ProblemDetails>(scoped, 'POST', '/api/silences', { indicatorKey: INDICATOR, endsAt, reason: 'x' });
    expect({ status: cityWide.status, paths: cityWide.body.errors?.map((e) => e.path) }).toEqual({ status: 400, paths: ['areaId'] });
    const elsewhere = await call<ProblemDetails>(scoped, 'POST', '/api/silences', { areaId: districtIds[HAIZHU], endsAt, reason: 'x' });
    expect({ status: elsewhere.status, paths: elsewhere.body.errors?.map((e) => e.path) }).toEqual({ status: 400, paths: ['areaId'] });
    const own = await call<SilenceView>(scoped, 'POST', '/api/silences', { areaId: segments[TIANHE][2].id, endsAt, reason: '封路施工' });
    expect(own.status).toBe(201);
    const other = await call<SilenceView>(admin, 'POST', '/api/silences', { areaId: districtIds[HAIZHU], endsAt, reason: 'other' });

    const listed = (await call<SilenceView[]>(scoped, 'GET', '/api/silences?active=true')).body.map((s) => s.id);
    expect(listed).toContain(own.body.id);
    expect(listed).not.toContain(other.body.id);
    expect((await call<ProblemDetails>(scoped, 'DELETE', `/api/silences/${other.body.id}`)).status).toBe(404);
    expect((await call<SilenceView>(admin, 'GET', '/api/silences')).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: other.body.id, active: true })]),
    );
    expect((await call<SilenceView>(scoped, 'DELETE', `/api/silences/${own.body.id}`)).body).toMatchObject({ active: false });
  });

  it('escalates a critical alert nobody acknowledges: to the commanders, then to the admins, each live on the socket', async () => {
    const live = await connectLive(stack.url, await kioskLogin(stack.url), ['alerts']);
    try {
      const fired = await fire(await freshSegment(), 1.3);
      const escalations = (to: string) =>
        live.events.find(
          (e) =>
            e.event === 'alert.changed' &&
            (e.payload as AlertChangedEvent).change === 'escalation' &&
            (e.payload as AlertChangedEvent).alert.id === fired.alert.id &&
            (e.payload as AlertChangedEvent).alert.escalatedTo === to,
        );
      await waitFor(() => escalations('commander'), 20000, 'escalation to the commanders');
      await waitFor(() => escalations('admin'), 20000, 'escalation to the admins');
      const history = (await detail(fired.alert.id)).history.filter((h) => h.change === 'escalation');
      expect(history.map((h) => h.comment)).toEqual(['commander', 'admin']);
    } finally {
      live.socket.close();
    }
  });

  it('does not escalate a critical alert acknowledged in time', async () => {
    const fired = await fire(await freshSegment(), 1.3);
    const queue = stack.workers[0].get(QueueService).queue('alerts');
    const jobId = `escalate-${fired.alert.id}-1`;
    expect(await queue.getJob(jobId)).toBeDefined();
    await call<AlertView>(operator, 'POST', `/api/alerts/${fired.alert.id}/ack`, {});
    // The job runs at its time, finds the alert acknowledged and is removed, having changed nothing.
    await eventually(async () => (await queue.getJob(jobId)) === undefined, 20000, 'the escalation job to run');
    const after = await detail(fired.alert.id);
    expect(after).toMatchObject({ escalatedAt: null, escalatedTo: null, acknowledgedBy: 'life-operator' });
    expect(await queue.getJob(`escalate-${fired.alert.id}-2`)).toBeUndefined();
  });
});
