import { migrationOnFilledDatabase } from '../test/support/migration-under-test';
import { IndicatorLatest1796340000000 } from './1796340000000-indicator-latest';

describe('migration 1796340000000 (indicator latest), on a database holding indicator values', () => {
  it("fills each area's newest value from the history, and goes back down", async () => {
    await migrationOnFilledDatabase(
      'miglatest',
      IndicatorLatest1796340000000,
      async (ds) => {
        await ds.query(
          `INSERT INTO indicator (key, name, theme, grouping, source) VALUES ('load', '负荷', 'crowd', '{"levels": ["city", "district"]}',
             '{"kind": "aggregate", "feed": "f", "metric": "m", "windowSeconds": 600, "perEntity": "latest", "across": "sum"}')`,
        );
        const [city] = await ds.query<{ id: number }[]>(
          `INSERT INTO area (code, name, level, geom) VALUES ('C', '城市', 'city', ST_Multi(ST_MakeEnvelope(113, 23, 113.2, 23.1, 4326)))
           RETURNING id`,
        );
        const [district] = await ds.query<{ id: number }[]>(
          `INSERT INTO area (code, name, level, parent_id, geom)
           VALUES ('D1', '区', 'district', $1, ST_Multi(ST_MakeEnvelope(113, 23, 113.1, 23.1, 4326))) RETURNING id`,
          [city.id],
        );
        const areas = [city, district];
        // Area 1: three values (a day ago in the default partition, two today); area 2: one.
        const now = Date.now();
        const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
        await ds.query(
          `INSERT INTO indicator_value (indicator_key, area_id, ts, value, numerator, denominator)
           VALUES ('load', $1, $3, 10, NULL, NULL), ('load', $1, $4, 11, NULL, NULL), ('load', $1, $5, 12, 120, 10),
                  ('load', $2, $3, 20, NULL, NULL)`,
          [areas[0].id, areas[1].id, at(60 * 30), at(10), at(5)],
        );
        return { areas, at };
      },
      async (full, { areas, at }) => {
        expect((await full.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['IndicatorLatest1796340000000']);
        const latest = await full.query(
          `SELECT area_id AS "areaId", value, numerator, denominator, ts FROM indicator_latest WHERE indicator_key = 'load' ORDER BY area_id`,
        );
        expect(latest).toEqual([
          { areaId: areas[0].id, value: 12, numerator: 120, denominator: 10, ts: new Date(at(5)) },
          { areaId: areas[1].id, value: 20, numerator: null, denominator: null, ts: new Date(at(60 * 30)) },
        ]);
        // Deleting the indicator takes its latest values with it.
        await full.query(`DELETE FROM indicator WHERE key = 'load'`);
        expect(await full.query(`SELECT count(*)::int AS n FROM indicator_latest`)).toEqual([{ n: 0 }]);

        await full.undoLastMigration({ transaction: 'each' });
        expect(await full.query(`SELECT to_regclass('indicator_latest') AS t`)).toEqual([{ t: null }]);
        expect((await full.runMigrations({ transaction: 'each' })).length).toBe(1);
      },
    );
  });
});
