import { migrationOnFilledDatabase } from '../test/support/migration-under-test';
import { AlertLifecycle1796310000000 } from './1796310000000-alert-lifecycle';

describe('migration 1796310000000 alert lifecycle, on a database holding alerts', () => {
  it('turns open alerts into firing ones that fired when they opened, keeps resolved ones, and goes back down', async () => {
    await migrationOnFilledDatabase(
      'miglife',
      AlertLifecycle1796310000000,
      async (ds) => {
        await ds.query(
          `INSERT INTO indicator (key, name, theme, grouping, source) VALUES ('load', '负荷', 'crowd', '{"zoneSet": "z"}',
             '{"kind": "aggregate", "feed": "f", "metric": "m", "windowSeconds": 600, "perEntity": "latest", "across": "sum"}')`,
        );
        const [{ id: areaId }] = await ds.query<{ id: number }[]>(
          `INSERT INTO area (code, name, level, geom) VALUES ('C', '城市', 'city', ST_Multi(ST_MakeEnvelope(113, 23, 113.1, 23.1, 4326))) RETURNING id`,
        );
        const [{ id: open }] = await ds.query<{ id: string }[]>(
          `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, opened_at)
           VALUES ('load', $1, 'critical', 'open', 1.2, 1.0, now(), '2025-10-01T08:00:00Z') RETURNING id`,
          [areaId],
        );
        const [{ id: resolved }] = await ds.query<{ id: string }[]>(
          `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, opened_at, resolved_at)
           VALUES ('load', $1, 'warning', 'resolved', 0.5, 0.8, now(), '2025-10-01T07:00:00Z', '2025-10-01T07:30:00Z') RETURNING id`,
          [areaId],
        );
        await ds.query(`INSERT INTO alert_event (alert_id, change, level, value) VALUES ($1, 'opened', 'critical', 1.2)`, [open]);
        return { areaId, open, resolved };
      },
      async (full, { areaId, open, resolved }) => {
        expect((await full.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['AlertLifecycle1796310000000']);
        const rows = await full.query<
          {
            id: string;
            state: string;
            started_at: Date;
            fired_at: Date;
            resolved_at: Date | null;
            op: string;
          }[]
        >(`SELECT id, state, started_at, fired_at, resolved_at, op FROM alert ORDER BY started_at DESC`);
        expect(rows.map((r) => ({ id: r.id, state: r.state, fired: r.fired_at.toISOString(), op: r.op }))).toEqual([
          { id: open, state: 'firing', fired: '2025-10-01T08:00:00.000Z', op: '>=' },
          { id: resolved, state: 'resolved', fired: '2025-10-01T07:00:00.000Z', op: '>=' },
        ]);
        expect(await full.query(`SELECT change FROM alert_event WHERE alert_id = $1`, [open])).toEqual([{ change: 'fired' }]);
        // The new states and the one-open rule hold for the converted rows too.
        await expect(
          full.query(
            `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts) VALUES ('load', $1, 'notice', 'pending', 1, 1, now())`,
            [areaId],
          ),
        ).rejects.toThrow(/alert_one_open_per_area/);
        await full.query(`UPDATE alert SET state = 'resolved', resolved_at = now() WHERE id = $1`, [open]);
        await full.query(
          `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts) VALUES ('load', $1, 'notice', 'pending', 1, 1, now())`,
          [areaId],
        );
        await full.query(
          `INSERT INTO alert_silence (area_id, starts_at, ends_at, reason, created_by) VALUES ($1, now(), now() + interval '1 hour', 'drill', 'admin')`,
          [areaId],
        );

        await full.undoLastMigration({ transaction: 'each' });
        // Down: what fired stays (as open or resolved), the pending alert the old schema cannot hold is gone.
        expect(await full.query(`SELECT id, state FROM alert ORDER BY opened_at DESC`)).toEqual([
          { id: open, state: 'resolved' },
          { id: resolved, state: 'resolved' },
        ]);
        expect(await full.query(`SELECT change FROM alert_event WHERE alert_id = $1`, [open])).toEqual([{ change: 'opened' }]);
        expect(await full.query(`SELECT to_regclass('alert_silence') AS t`)).toEqual([{ t: null }]);
        // And up again over the data it left.
        expect((await full.runMigrations({ transaction: 'each' })).length).toBe(1);
      },
    );
  });
});
