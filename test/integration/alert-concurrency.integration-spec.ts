import type { Client } from 'pg';
import { AlertService } from '@cityops/alerts';
import type { AlertChangedEvent, IndicatorValuesEvent } from '@cityops/contracts';
import { startStack, type TestStack } from '../support/stack';

describe('alerts: at most one open alert per segment, enforced by the database', () => {
  let stack: TestStack;
  let db: Client;
  let areaId: number;
  let areaCode: string;

  beforeAll(async () => {
    // Two worker processes' worth of services, each with its own connection pool.
    stack = await startStack({ api: false, workers: 2 });
    db = stack.db;
    const row = (await db.query(`SELECT id, code FROM area WHERE zone_set = 'gz-marathon' ORDER BY seq LIMIT 1`)).rows[0];
    areaId = row.id;
    areaCode = row.code;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const event = (value: number, ts: Date): IndicatorValuesEvent => ({
    indicatorKey: 'marathon.segment_load',
    computedAt: new Date().toISOString(),
    thresholds: { warning: 0.8, critical: 1.0, clear: 0.75 },
    values: [{ areaId, areaCode, areaName: 'segment', seq: 1, value, numerator: null, denominator: null, ts: ts.toISOString() }],
  });

  it('leaves exactly one open alert when two workers evaluate the same surge at once', async () => {
    const [a, b] = stack.workers.map((w) => w.get(AlertService));
    const results: AlertChangedEvent[][] = [];
    for (let round = 0; round < 10; round++) {
      const ts = new Date(Date.now() + round);
      results.push(...(await Promise.all([a.evaluate(event(1.1, ts)), b.evaluate(event(1.1, ts))])));
    }
    const open = await db.query(`SELECT id FROM alert WHERE area_id = $1 AND state = 'open'`, [areaId]);
    expect(open.rowCount).toBe(1);
    expect(results.flat().filter((c) => c.change === 'opened')).toHaveLength(1);
  });

  it('refuses a second open alert for the same indicator and area even when written directly', async () => {
    await expect(
      db.query(
        `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts) VALUES ('marathon.segment_load', $1, 'warning', 'open', 0.9, 0.8, now())`,
        [areaId],
      ),
    ).rejects.toThrow(/alert_one_open_per_area/);
  });

  it('ignores a late value older than the one the alert last saw', async () => {
    const [a] = stack.workers.map((w) => w.get(AlertService));
    const changes = await a.evaluate(event(0.1, new Date(Date.now() - 3600_000)));
    expect(changes).toEqual([]);
    const open = await db.query(`SELECT level FROM alert WHERE area_id = $1 AND state = 'open'`, [areaId]);
    expect(open.rows).toEqual([{ level: 'critical' }]);
  });
});
