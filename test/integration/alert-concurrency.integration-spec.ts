import type { Client } from 'pg';
import { AlertService, type AreaValue } from '@cityops/alerts';
import { thresholdSpecSchema, type AlertChangedEvent, type ThresholdSpecInput } from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';

const INDICATOR = 'marathon.segment_load';
const spec = (extra: Partial<ThresholdSpecInput> = {}) =>
  thresholdSpecSchema.parse({
    levels: [
      { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
      { level: 'critical', op: '>=', value: 1.0 },
    ],
    ...extra,
  });

describe('alerts: at most one pending or firing alert per segment, enforced by the database', () => {
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

  const value = (area: { id: number }, v: number, ts: Date): AreaValue[] => [{ areaId: area.id, value: v, ts: ts.toISOString() }];
  const services = () => stack.workers.map((w) => w.get(AlertService));

  it('leaves exactly one firing alert when two workers evaluate the same surge at once', async () => {
    const area = await segment(1);
    const [a, b] = services();
    const results: AlertChangedEvent[][] = [];
    for (let round = 0; round < 10; round++) {
      const ts = new Date(Date.now() + round);
      results.push(
        ...(await Promise.all([a.evaluate(INDICATOR, spec(), value(area, 1.1, ts)), b.evaluate(INDICATOR, spec(), value(area, 1.1, ts))])),
      );
    }
    const open = await db.query(`SELECT id FROM alert WHERE area_id = $1 AND state IN ('pending', 'firing')`, [area.id]);
    expect(open.rowCount).toBe(1);
    expect(results.flat().filter((c) => c.change === 'fired')).toHaveLength(1);
  });

  it('fires a pending alert once when two workers let its pending period end at the same moment', async () => {
    const area = await segment(4);
    const [a, b] = services();
    const pending = spec({ pendingSeconds: 1 });
    expect((await a.evaluate(INDICATOR, pending, value(area, 0.9, new Date()))).map((c) => c.change)).toEqual(['pending']);
    const fired: AlertChangedEvent[] = [];
    // Time alone (no value): both workers re-evaluate the open alert until one fires it.
    await eventually(
      async () => {
        const now = new Date();
        const rounds = await Promise.all([a.evaluate(INDICATOR, pending, [], now), b.evaluate(INDICATOR, pending, [], now)]);
        fired.push(...rounds.flat().filter((c) => c.change === 'fired'));
        return fired.length > 0;
      },
      10000,
      'the pending alert to fire',
    );
    await Promise.all([a.evaluate(INDICATOR, pending, []), b.evaluate(INDICATOR, pending, [])]);
    expect(fired).toHaveLength(1);
    const rows = await db.query(`SELECT state FROM alert WHERE area_id = $1 AND indicator_key = $2`, [area.id, INDICATOR]);
    expect(rows.rows).toEqual([{ state: 'firing' }]);
  });

  it('refuses a second pending or firing alert for the same indicator and area even when written directly', async () => {
    const area = await segment(2);
    const [a] = services();
    expect((await a.evaluate(INDICATOR, spec(), value(area, 0.9, new Date()))).map((c) => c.change)).toEqual(['fired']);
    await expect(
      db.query(
        `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts) VALUES ($1, $2, 'warning', 'pending', 0.9, 0.8, now())`,
        [INDICATOR, area.id],
      ),
    ).rejects.toThrow(/alert_one_open_per_area/);
  });

  it('ignores a late value older than the one the alert last saw', async () => {
    const area = await segment(3);
    const [a] = services();
    expect((await a.evaluate(INDICATOR, spec(), value(area, 1.1, new Date()))).map((c) => c.change)).toEqual(['fired']);
    const changes = await a.evaluate(INDICATOR, spec(), value(area, 0.1, new Date(Date.now() - 3600_000)));
    expect(changes).toEqual([]);
    const open = await db.query(`SELECT level FROM alert WHERE area_id = $1 AND state = 'firing'`, [area.id]);
    expect(open.rows).toEqual([{ level: 'critical' }]);
  });

  it('answers an alert with the level its history agrees with, however its level changes meanwhile', async () => {
    const area = await segment(7);
    const [writer, reader] = services();
    const start = Date.now();
    await writer.evaluate(INDICATOR, spec(), value(area, 0.9, new Date(start)));
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM alert WHERE area_id = $1 AND state = 'firing'`, [area.id]);
    const id = rows[0].id;
    // warning ↔ critical forty times, while the other process reads the alert as fast as it can.
    let writing = true;
    const changes = (async () => {
      try {
        for (let i = 1; i <= 40; i++) await writer.evaluate(INDICATOR, spec(), value(area, i % 2 ? 1.2 : 0.9, new Date(start + i * 1000)));
      } finally {
        writing = false;
      }
    })();
    const disagreements: string[] = [];
    let reads = 0;
    while (writing) {
      const detail = await reader.get(id);
      reads += 1;
      const last = detail.history.findLast((h) => ['fired', 'escalated', 'deescalated'].includes(h.change));
      if (last?.level !== detail.level) disagreements.push(`${detail.level} after ${last?.change ?? 'nothing'} (${last?.level ?? '-'})`);
    }
    await changes;
    expect(reads).toBeGreaterThan(0);
    expect(disagreements).toEqual([]);
  });
});
