import type { Client } from 'pg';
import { AlertService } from '@cityops/alerts';
import type { AlertChangedEvent, IndicatorValuesEvent } from '@cityops/contracts';
import { startStack, type TestStack } from '../support/stack';

describe('alerts: at most one open alert per segment, enforced by the database', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    // Two worker processes' worth of services, each with its own connection pool.
    stack = await startStack({ api: false, workers: 2 });
    db = stack.db;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Each test has a segment of its own (by course order), so that it runs alone or after the others alike. */
  const segment = async (seq: number): Promise<{ id: number; code: string }> =>
    (await db.query(`SELECT id, code FROM area WHERE zone_set = 'gz-marathon' AND seq = $1`, [seq])).rows[0];

  const event = (area: { id: number; code: string }, value: number, ts: Date): IndicatorValuesEvent => ({
    indicatorKey: 'marathon.segment_load',
    name: 'segment load',
    nameEn: null,
    theme: 'major_events',
    unit: 'ratio',
    format: { decimals: 0, percent: true },
    computedAt: new Date().toISOString(),
    thresholds: {
      levels: [
        { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
        { level: 'critical', op: '>=', value: 1.0 },
      ],
      pendingSeconds: 0,
      keepFiringSeconds: 0,
    },
    values: [
      {
        areaId: area.id,
        areaCode: area.code,
        areaName: 'segment',
        seq: 1,
        value,
        numerator: null,
        denominator: null,
        ts: ts.toISOString(),
      },
    ],
  });

  it('leaves exactly one open alert when two workers evaluate the same surge at once', async () => {
    const area = await segment(1);
    const [a, b] = stack.workers.map((w) => w.get(AlertService));
    const results: AlertChangedEvent[][] = [];
    for (let round = 0; round < 10; round++) {
      const ts = new Date(Date.now() + round);
      results.push(...(await Promise.all([a.evaluate(event(area, 1.1, ts)), b.evaluate(event(area, 1.1, ts))])));
    }
    const open = await db.query(`SELECT id FROM alert WHERE area_id = $1 AND state = 'open'`, [area.id]);
    expect(open.rowCount).toBe(1);
    expect(results.flat().filter((c) => c.change === 'opened')).toHaveLength(1);
  });

  it('refuses a second open alert for the same indicator and area even when written directly', async () => {
    const area = await segment(2);
    const [a] = stack.workers.map((w) => w.get(AlertService));
    expect((await a.evaluate(event(area, 0.9, new Date()))).map((c) => c.change)).toEqual(['opened']);
    await expect(
      db.query(
        `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts) VALUES ('marathon.segment_load', $1, 'warning', 'open', 0.9, 0.8, now())`,
        [area.id],
      ),
    ).rejects.toThrow(/alert_one_open_per_area/);
  });

  it('ignores a late value older than the one the alert last saw', async () => {
    const area = await segment(3);
    const [a] = stack.workers.map((w) => w.get(AlertService));
    expect((await a.evaluate(event(area, 1.1, new Date()))).map((c) => c.change)).toEqual(['opened']);
    const changes = await a.evaluate(event(area, 0.1, new Date(Date.now() - 3600_000)));
    expect(changes).toEqual([]);
    const open = await db.query(`SELECT level FROM alert WHERE area_id = $1 AND state = 'open'`, [area.id]);
    expect(open.rows).toEqual([{ level: 'critical' }]);
  });
});
