import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AlertService, escalationJobId, HISTORY_ACTOR } from '@cityops/alerts';
import { ServerEvents, type AlertChangedEvent, type AlertDetail, type AlertView, type WebhookSecret } from '@cityops/contracts';
import { QueueService } from '@cityops/core';
import { SEGMENT_LOAD_INDICATOR } from '@cityops/demo';
import { IndicatorService } from '@cityops/indicators';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { connectLive, waitFor } from '../support/live-client';
import { login, startStack, type TestStack } from '../support/stack';

const KEY = 'test.history_load';
const STEP_MS = 300_000;

/**
 * Warning from 0.8 (held down to 0.75), critical from 1.0, after ten minutes: longer than the
 * five-minute steps of a computed history, so a pending period can lapse between two points.
 */
const THRESHOLDS = {
  levels: [
    { level: 'warning' as const, op: '>=' as const, value: 0.8, clear: 0.75 },
    { level: 'critical' as const, op: '>=' as const, value: 1.0 },
  ],
  pendingSeconds: 600,
  keepFiringSeconds: 0,
};

describe('alerts derived from an indicator’s stored history (AlertService.deriveFromHistory)', () => {
  let stack: TestStack;
  let app: INestApplicationContext;
  let alerts: AlertService;
  let admin: string;
  /** Three course segments: one alert that fired and resolved, a pending one that lapsed, one still firing at the end. */
  let resolvedArea: number;
  let lapsedArea: number;
  let firingArea: number;
  /** The window: twelve five-minute points ending a minute ago. */
  const to = new Date(Math.floor((Date.now() - 60_000) / STEP_MS) * STEP_MS);
  const point = (i: number) => new Date(to.getTime() - (11 - i) * STEP_MS);
  const from = point(0);

  beforeAll(async () => {
    // No worker: nothing recomputes or evaluates the indicator behind the test's back.
    stack = await startStack({ workers: 0, env: { CONNECTOR_ALLOW_HOSTS: '127.0.0.1' } });
    app = await NestFactory.createApplicationContext(PrepareModule.forRoot(stack.config), { logger: false });
    alerts = app.get(AlertService);
    admin = await login(stack.url);
    await app.get(IndicatorService).upsert({ ...SEGMENT_LOAD_INDICATOR, key: KEY, name: '历史负荷 (test)', thresholds: THRESHOLDS });
    const segments = await stack.db.query<{ id: number }>(`SELECT id FROM area WHERE zone_set = 'gz-marathon' ORDER BY seq LIMIT 3`);
    [resolvedArea, lapsedArea, firingArea] = segments.rows.map((r) => r.id);
    // The history as IndicatorService.computeHistory leaves it: one value per area and point.
    const series: Record<number, number[]> = {
      [resolvedArea]: [0.5, 0.5, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [lapsedArea]: [0.5, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [firingArea]: [0.5, 0.5, 0.5, 0.5, 0.5, 0.85, 0.85, 0.85, 1.2, 1.2, 1.2, 1.2],
    };
    for (const [areaId, values] of Object.entries(series)) {
      await stack.db.query(
        `INSERT INTO indicator_value (indicator_key, area_id, ts, value) SELECT $1, $2, ts, value FROM unnest($3::timestamptz[], $4::float8[]) AS v(ts, value)`,
        [KEY, Number(areaId), values.map((_, i) => point(i)), values],
      );
    }
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${stack.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const stored = async () =>
    (
      await stack.db.query<{ alerts: number; events: number }>(
        `SELECT (SELECT count(*) FROM alert WHERE indicator_key = $1)::int AS alerts,
                (SELECT count(*) FROM alert_event e JOIN alert a ON a.id = e.alert_id WHERE a.indicator_key = $1)::int AS events`,
        [KEY],
      )
    ).rows[0];
  const alertOf = async (areaId: number): Promise<AlertDetail> => {
    const [listed] = await api<AlertView[]>(`/api/alerts?indicator=${KEY}&area=${areaId}&limit=10`);
    return api<AlertDetail>(`/api/alerts/${listed.id}`);
  };

  it('stores the alerts the series implies, with their history at the past instants, and tells nobody (but the escalation)', async () => {
    await api<WebhookSecret>('/api/webhooks', {
      method: 'POST',
      body: JSON.stringify({ name: 'every change', url: 'http://127.0.0.1:9/hook' }),
    });
    const live = await connectLive(stack.url, admin, ['alerts']);
    try {
      expect(await alerts.deriveFromHistory([KEY], { from, to })).toEqual(new Map([[KEY, 3]]));

      const resolved = await alertOf(resolvedArea);
      expect(resolved).toMatchObject({
        state: 'resolved',
        level: 'warning',
        startedAt: point(2).toISOString(),
        // Ten minutes pending: fired at the fourth point, resolved when the load dropped.
        firedAt: point(4).toISOString(),
        resolvedAt: point(6).toISOString(),
        value: 0.5,
      });
      expect(resolved.history.map((h) => [h.at, h.change, h.level, h.actor])).toEqual([
        [point(2).toISOString(), 'pending', 'warning', HISTORY_ACTOR],
        [point(4).toISOString(), 'fired', 'warning', HISTORY_ACTOR],
        [point(6).toISOString(), 'resolved', 'warning', HISTORY_ACTOR],
      ]);

      const lapsed = await alertOf(lapsedArea);
      expect(lapsed).toMatchObject({
        state: 'resolved',
        firedAt: null,
        startedAt: point(1).toISOString(),
        resolvedAt: point(2).toISOString(),
      });
      expect(lapsed.history.map((h) => h.change)).toEqual(['pending', 'lapsed']);

      const firing = await alertOf(firingArea);
      expect(firing).toMatchObject({
        state: 'firing',
        level: 'critical',
        startedAt: point(5).toISOString(),
        firedAt: point(7).toISOString(),
        resolvedAt: null,
        value: 1.2,
        threshold: 1.0,
      });
      expect(firing.history.map((h) => [h.at, h.change, h.level])).toEqual([
        [point(5).toISOString(), 'pending', 'warning'],
        [point(7).toISOString(), 'fired', 'warning'],
        [point(8).toISOString(), 'escalated', 'critical'],
      ]);

      // The replay's read (changed since the window's start, and those still open) finds all three.
      const replayed = await api<AlertView[]>(`/api/alerts?indicator=${KEY}&since=${from.toISOString()}&limit=100`);
      expect(replayed.map((a) => a.areaId).sort()).toEqual([resolvedArea, lapsedArea, firingArea].sort());

      // Nothing was notified: webhook deliveries are recorded in the change's own call, so none now means none at all.
      expect((await stack.db.query(`SELECT 1 FROM webhook_delivery`)).rowCount).toBe(0);
      expect((await stack.db.query(`SELECT 1 FROM city_case WHERE alert_id IS NOT NULL`)).rowCount).toBe(0);
      // But the alert critical for longer than the escalation wait (five minutes) is due to go up at once (no worker here takes it).
      const queue = app.get(QueueService).queue('alerts');
      expect(await queue.getJob(escalationJobId(firing.id, 1))).toMatchObject({
        data: { alertId: firing.id, step: 1 },
        opts: { delay: 0 },
      });
      expect(await queue.getJob(escalationJobId(resolved.id, 1))).toBeUndefined();

      // A second run (a restart during set-up) stores nothing more.
      const before = await stored();
      expect(await alerts.deriveFromHistory([KEY], { from, to })).toEqual(new Map([[KEY, 0]]));
      expect(await stored()).toEqual(before);
      // Nor over a window that starts later, where the first alert would seem to start later too: it overlaps the one stored.
      expect(await alerts.deriveFromHistory([KEY], { from: point(3), to })).toEqual(new Map([[KEY, 0]]));
      expect(await stored()).toEqual(before);

      // The live round continues the alert firing at the end: the same alert, one open per key.
      const changes = await alerts.evaluate(KEY, THRESHOLDS, [{ areaId: firingArea, value: 1.3, ts: new Date() }]);
      expect(changes.map((c) => [c.change, c.alert.id, c.alert.startedAt])).toEqual([['updated', firing.id, firing.startedAt]]);
      const open = await stack.db.query(`SELECT id FROM alert WHERE indicator_key = $1 AND state IN ('pending', 'firing')`, [KEY]);
      expect(open.rows).toEqual([{ id: firing.id }]);

      // Published in order: the live change arrives, and nothing of the derivation came before it.
      const heard = () =>
        live.events.filter((e) => e.event === ServerEvents.alertChanged).map((e) => (e.payload as AlertChangedEvent).alert.id);
      await waitFor(() => heard().length > 0, 10000, 'the live change on the socket');
      expect(heard()).toEqual([firing.id]);
    } finally {
      live.socket.close();
    }
  });
});
