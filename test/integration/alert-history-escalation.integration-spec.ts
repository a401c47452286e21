import { AlertService, escalationJobId } from '@cityops/alerts';
import { ServerEvents, type AlertChangedEvent } from '@cityops/contracts';
import { QueueService } from '@cityops/core';
import { SEGMENT_LOAD_INDICATOR } from '@cityops/demo';
import { IndicatorService } from '@cityops/indicators';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { kioskLogin, startStack, type TestStack } from '../support/stack';

const KEY = 'test.derived_escalation';
const STEP_MS = 300_000;
/** ALERT_ESCALATION_MINUTES 2: a job still waiting stays waiting for the whole test (nothing here waits for one). */
const ESCALATION_MS = 120_000;

/**
 * No pending period, no keep-firing, no no-data rule: the indicator is not time-driven, so the
 * worker's tick never recomputes it behind the test's back (and no data comes for its feed).
 */
const THRESHOLDS = {
  levels: [
    { level: 'warning' as const, op: '>=' as const, value: 0.8, clear: 0.75 },
    { level: 'critical' as const, op: '>=' as const, value: 1.0 },
  ],
  pendingSeconds: 0,
  keepFiringSeconds: 0,
};

describe('a derived alert still critical and firing gets its first escalation step (AlertService.deriveFromHistory)', () => {
  let stack: TestStack;
  let alerts: AlertService;
  /** Critical since long before now; critical only at the window's last point; a warning still firing. */
  let longCriticalArea: number;
  let newlyCriticalArea: number;
  let warningArea: number;
  /** The window: twelve five-minute points ending a minute ago. */
  const to = new Date(Math.floor((Date.now() - 60_000) / STEP_MS) * STEP_MS);
  const point = (i: number) => new Date(to.getTime() - (11 - i) * STEP_MS);
  const from = point(0);

  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { ALERT_ESCALATION_MINUTES: String(ESCALATION_MS / 60_000) } });
    alerts = stack.workers[0].get(AlertService);
    await stack.workers[0]
      .get(IndicatorService)
      .upsert({ ...SEGMENT_LOAD_INDICATOR, key: KEY, name: '派生升级 (test)', thresholds: THRESHOLDS });
    const segments = await stack.db.query<{ id: number }>(`SELECT id FROM area WHERE zone_set = 'gz-marathon' ORDER BY seq LIMIT 3`);
    [longCriticalArea, newlyCriticalArea, warningArea] = segments.rows.map((r) => r.id);
    const series: Record<number, number[]> = {
      [longCriticalArea]: [0.5, 0.5, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2],
      [newlyCriticalArea]: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.2],
      [warningArea]: [0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
    };
    for (const [areaId, values] of Object.entries(series)) {
      await stack.db.query(
        `INSERT INTO indicator_value (indicator_key, area_id, ts, value) SELECT $1, $2, ts, value FROM unnest($3::timestamptz[], $4::float8[]) AS v(ts, value)`,
        [KEY, Number(areaId), values.map((_, i) => point(i)), values],
      );
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const openAlert = async (areaId: number) =>
    (
      await stack.db.query<{ id: string; level: string; escalation_step: number; escalated_to: string | null }>(
        `SELECT id, level, escalation_step, escalated_to FROM alert WHERE indicator_key = $1 AND area_id = $2 AND state = 'firing'`,
        [KEY, areaId],
      )
    ).rows[0];
  const escalations = async (alertId: string) =>
    (
      await stack.db.query<{ comment: string; actor: string | null }>(
        `SELECT comment, actor FROM alert_event WHERE alert_id = $1 AND change = 'escalation' ORDER BY at, id`,
        [alertId],
      )
    ).rows;

  it('escalates at once one critical for longer than the wait, waits out the rest for one just critical, and never twice', async () => {
    const queue = stack.workers[0].get(QueueService).queue('alerts');
    const live = await connectLive(stack.url, await kioskLogin(stack.url), ['alerts']);
    try {
      // As if derived twenty seconds after the window's end: the newly critical alert has 100 of its 120 seconds left.
      const derivedAt = new Date(to.getTime() + 20_000);
      expect(await alerts.deriveFromHistory([KEY], { from, to }, derivedAt)).toEqual(new Map([[KEY, 3]]));
      const longCritical = await openAlert(longCriticalArea);
      const newlyCritical = await openAlert(newlyCriticalArea);
      const warning = await openAlert(warningArea);
      expect([longCritical.level, newlyCritical.level, warning.level]).toEqual(['critical', 'critical', 'warning']);

      const waiting = await queue.getJob(escalationJobId(newlyCritical.id, 1));
      expect(waiting?.opts.delay).toBe(100_000);
      expect(waiting?.data).toEqual({ alertId: newlyCritical.id, step: 1 });
      // A warning is never escalated.
      expect(await queue.getJob(escalationJobId(warning.id, 1))).toBeUndefined();

      // The real worker takes the job that was due at once: the commanders hear of it now, live.
      const heard = await waitFor(
        () =>
          live.events.find(
            (e) =>
              e.event === ServerEvents.alertChanged &&
              (e.payload as AlertChangedEvent).change === 'escalation' &&
              (e.payload as AlertChangedEvent).alert.id === longCritical.id,
          ),
        20000,
        'the escalation of the long-critical derived alert',
      );
      expect((heard.payload as AlertChangedEvent).alert.escalatedTo).toBe('commander');
      expect(await openAlert(longCriticalArea)).toMatchObject({ escalation_step: 1, escalated_to: 'commander' });
      // The escalation happened now, so it is no history entry of the derivation.
      expect(await escalations(longCritical.id)).toEqual([{ comment: 'commander', actor: null }]);
      // The next step is the live chain's: the whole wait from this escalation.
      await eventually(() => queue.getJob(escalationJobId(longCritical.id, 2)), 10000, 'the second step to be scheduled');
      expect((await queue.getJob(escalationJobId(longCritical.id, 2)))?.opts.delay).toBe(ESCALATION_MS);

      // Deriving again (a restart during set-up) stores nothing, so schedules nothing: the first step is not run again.
      const before = await queue.getJob(escalationJobId(newlyCritical.id, 1));
      expect(await alerts.deriveFromHistory([KEY], { from, to }, derivedAt)).toEqual(new Map([[KEY, 0]]));
      expect(await queue.getJob(escalationJobId(longCritical.id, 1))).toBeUndefined();
      const after = await queue.getJob(escalationJobId(newlyCritical.id, 1));
      expect(after?.timestamp).toBe(before?.timestamp);
      expect(await escalations(longCritical.id)).toEqual([{ comment: 'commander', actor: null }]);
      expect(await openAlert(newlyCriticalArea)).toMatchObject({ escalation_step: 0, escalated_to: null });
    } finally {
      live.socket.close();
    }
  });
});
