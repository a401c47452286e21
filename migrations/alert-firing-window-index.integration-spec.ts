import { migrationOnFilledDatabase } from '../test/support/migration-under-test';
import { AlertFiringWindowIndex1796780000000 } from './1796780000000-alert-firing-window-index';

describe('migration 1796780000000 alert firing window index, on a database holding alerts', () => {
  it('indexes the alerts that fired by indicator and end of firing, which the timeline query then uses, and goes back down', async () => {
    await migrationOnFilledDatabase(
      'migfiring',
      AlertFiringWindowIndex1796780000000,
      async (ds) => {
        await ds.query(
          `INSERT INTO indicator (key, name, theme, grouping, source)
           SELECT 'load.' || n, '负荷', 'crowd', '{"zoneSet": "z"}',
                  '{"kind": "aggregate", "feed": "f", "metric": "m", "windowSeconds": 600, "perEntity": "latest", "across": "sum"}'
             FROM generate_series(0, 19) n`,
        );
        const [{ id: areaId }] = await ds.query<{ id: number }[]>(
          `INSERT INTO area (code, name, level, geom) VALUES ('C', '城市', 'city', ST_Multi(ST_MakeEnvelope(113, 23, 113.1, 23.1, 4326))) RETURNING id`,
        );
        // A year of resolved alerts over twenty indicators, a firing one and a pending one (never fired).
        await ds.query(
          `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, started_at, fired_at, resolved_at, updated_at)
           SELECT 'load.' || (g % 20), $1, 'warning', 'resolved', 0.9, 0.8, t, t, t, t + interval '20 minutes', t + interval '20 minutes'
             FROM (SELECT g, now() - g * interval '10 minutes' AS t FROM generate_series(1, 52000) g) s`,
          [areaId],
        );
        await ds.query(
          `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, started_at, fired_at)
           VALUES ('load.1', $1, 'critical', 'firing', 1.2, 1.0, now(), now(), now()),
                  ('load.2', $1, 'warning', 'pending', 0.9, 0.8, now(), now(), NULL)`,
          [areaId],
        );
      },
      async (full) => {
        expect((await full.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['AlertFiringWindowIndex1796780000000']);
        await full.query(`ANALYZE alert`);
        const overlapping = `SELECT id FROM alert a
          WHERE a.indicator_key = 'load.1' AND a.fired_at IS NOT NULL AND a.fired_at < now() + interval '1 minute'
            AND coalesce(a.resolved_at, 'infinity'::timestamptz) > now() - interval '1 day'`;
        const plan = (await full.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${overlapping}`)).map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain('alert_indicator_firing_end');
        // The indicator's alerts resolved in the last day (g = 1, 21, …, 141 of 145) and the firing one; no row changed.
        expect((await full.query(overlapping)).length).toBe(8 + 1);
        expect((await full.query(`SELECT count(*)::int AS n FROM alert`))[0].n).toBe(52002);

        await full.undoLastMigration({ transaction: 'each' });
        expect(await full.query(`SELECT to_regclass('alert_indicator_firing_end') AS i`)).toEqual([{ i: null }]);
        expect((await full.query(`SELECT count(*)::int AS n FROM alert`))[0].n).toBe(52002);
        expect((await full.runMigrations({ transaction: 'each' })).length).toBe(1);
      },
    );
  });
});
