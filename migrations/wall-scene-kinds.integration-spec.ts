import { migrationOnFilledDatabase } from '../test/support/migration-under-test';
import { WallSceneKindsAndPlaylists1796390000000 } from './1796390000000-wall-scene-kinds-and-playlists';

describe('migration 1796390000000 (wall scene kinds and playlists), on a database holding a scene', () => {
  it('keeps the scene as an event, takes the new kinds and playlists, and goes back down', async () => {
    await migrationOnFilledDatabase(
      'migwall',
      WallSceneKindsAndPlaylists1796390000000,
      async (ds) => {
        await ds.query(`INSERT INTO zone_set (key, name) VALUES ('fair', '花市')`);
        await ds.query(
          `INSERT INTO indicator (key, name, theme, grouping, source) VALUES ('fair.load', '负荷', 'crowd', '{"zoneSet": "fair"}',
             '{"kind": "aggregate", "feed": "f", "metric": "m", "windowSeconds": 600, "perEntity": "latest", "across": "sum"}')`,
        );
        await ds.query(
          `INSERT INTO scene (key, name, zone_set, indicator_key, total_label, zone_label) VALUES ('fair', '花市', 'fair', 'fair.load', '人数', '花街')`,
        );
      },
      async (full) => {
        expect((await full.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['WallSceneKindsAndPlaylists1796390000000']);
        expect(await full.query(`SELECT key, kind, layers, kpis, cameras, focus_area_id FROM scene`)).toEqual([
          { key: 'fair', kind: 'event', layers: [], kpis: [], cameras: null, focus_area_id: null },
        ]);
        await full.query(`INSERT INTO scene (key, kind, name) VALUES ('city', 'overview', '总览')`);
        // An event without its zones, or another kind with them, is refused by the table itself.
        await expect(full.query(`INSERT INTO scene (key, kind, name) VALUES ('bad', 'event', '活动')`)).rejects.toThrow(
          /scene_event_fields/,
        );
        await expect(full.query(`INSERT INTO scene (key, kind, name, zone_set) VALUES ('bad', 'theme', '主题', 'fair')`)).rejects.toThrow(
          /scene_event_fields/,
        );
        await full.query(
          `INSERT INTO wall_playlist (key, name, entries) VALUES ('default', '轮播', '[{"scene": "city", "dwellSeconds": 30}]')`,
        );
        await expect(full.query(`INSERT INTO wall_playlist (key, name, entries) VALUES ('empty', '空', '[]')`)).rejects.toThrow(/check/i);

        await full.undoLastMigration({ transaction: 'each' });
        expect(await full.query(`SELECT to_regclass('wall_playlist') AS t`)).toEqual([{ t: null }]);
        // The event scene stays; the overview (which the old schema cannot hold) goes.
        expect(await full.query(`SELECT key FROM scene`)).toEqual([{ key: 'fair' }]);
        expect((await full.runMigrations({ transaction: 'each' })).length).toBe(1);
      },
    );
  });
});
