import { migrationOnFilledDatabase } from '../test/support/migration-under-test';
import { EntityHistoryFeedTsIndex1796800000000 } from './1796800000000-entity-history-feed-ts-index';

describe('migration 1796800000000 (entity_history (feed_key, ts) index), on a database holding entity states', () => {
  it('builds the index concurrently over the stored states, replaces one a failed build left invalid, and goes back down', async () => {
    await migrationOnFilledDatabase(
      'migenthist',
      EntityHistoryFeedTsIndex1796800000000,
      async (ds) => {
        await ds.query(`INSERT INTO feed (key, name) VALUES ('vehicles', '车辆'), ('cameras', '摄像头')`);
        await ds.query(
          `INSERT INTO entity (feed_key, entity_id, ts) SELECT f, 'E' || g, now() FROM unnest(ARRAY['vehicles', 'cameras']) f, generate_series(1, 50) g`,
        );
        await ds.query(
          `INSERT INTO entity_history (feed_key, entity_id, ts)
           SELECT f, 'E' || (g % 50 + 1), now() - (g || ' minutes')::interval FROM unnest(ARRAY['vehicles', 'cameras']) f, generate_series(1, 10000) g`,
        );
        // What a build that failed halfway leaves under the name: an INVALID index (here a unique one the data breaks).
        await expect(ds.query(`CREATE UNIQUE INDEX CONCURRENTLY entity_history_feed_ts ON entity_history (feed_key)`)).rejects.toThrow(
          /could not create unique index/,
        );
      },
      async (full) => {
        const index = () =>
          full.query<{ definition: string; valid: boolean }[]>(
            `SELECT pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid
               FROM pg_index i WHERE i.indexrelid = to_regclass('entity_history_feed_ts')`,
          );
        expect(await index()).toEqual([{ definition: expect.stringMatching(/^CREATE UNIQUE INDEX/), valid: false }]);

        expect((await full.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['EntityHistoryFeedTsIndex1796800000000']);
        expect(await index()).toEqual([
          { definition: 'CREATE INDEX entity_history_feed_ts ON public.entity_history USING btree (feed_key, ts)', valid: true },
        ]);
        expect(await full.query(`SELECT count(*)::int AS n FROM entity_history`)).toEqual([{ n: 20000 }]);
        await full.query(`ANALYZE entity_history`);
        const plan = (
          await full.query<{ 'QUERY PLAN': string }[]>(
            `EXPLAIN SELECT ctid FROM entity_history WHERE feed_key = 'vehicles' AND ts < now() - interval '160 hours' LIMIT 5000`,
          )
        )
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        expect(plan).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) entity_history_feed_ts/);

        await full.undoLastMigration({ transaction: 'each' });
        expect(await index()).toEqual([]);
        expect((await full.runMigrations({ transaction: 'each' })).length).toBe(1);
        expect(await index()).toEqual([expect.objectContaining({ valid: true })]);
      },
    );
  });
});
