import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  PlaylistDefinition,
  PlaylistEntry,
  PlaylistView,
  SceneCameras,
  SceneCases,
  SceneDefinition,
  SceneKind,
  SceneKpi,
  SceneView,
} from '@cityops/contracts';

interface SceneRow {
  key: string;
  kind: SceneKind;
  name: string;
  name_en: string | null;
  zone_set: string | null;
  indicator_key: string | null;
  feed_key: string | null;
  total_label: string | null;
  total_label_en: string | null;
  total_unit: string | null;
  total_unit_en: string | null;
  zone_label: string | null;
  zone_label_en: string | null;
  zone_unit: string | null;
  zone_unit_en: string | null;
  focus_area_id: number | null;
  layers: string[];
  kpis: StoredTile[];
  cameras: SceneCameras | null;
  bounds: [[number, number], [number, number]] | null;
  position: number;
  enabled: boolean;
}

/**
 * The `kpis` column holds the scene's tiles: its KPI tiles, and the cases panel as an entry tagged
 * `panel: 'cases'` (the panel came after the column; a tagged entry keeps every stored scene as it
 * was, with no new column). Only this file knows: the contract has `kpis` and `cases` apart.
 */
type StoredTile = SceneKpi | ({ panel: 'cases' } & SceneCases);

const isCasesPanel = (t: StoredTile): t is { panel: 'cases' } & SceneCases => 'panel' in t && t.panel === 'cases';

function casesOf(tiles: readonly StoredTile[]): SceneCases | null {
  const panel = tiles.find(isCasesPanel);
  return panel ? { areaId: panel.areaId } : null;
}

const storedTiles = (d: SceneDefinition): StoredTile[] => [
  ...d.kpis,
  ...(d.cases ? [{ panel: 'cases' as const, areaId: d.cases.areaId }] : []),
];

const toView = (r: SceneRow): SceneView => ({
  key: r.key,
  kind: r.kind,
  name: r.name,
  nameEn: r.name_en,
  zoneSet: r.zone_set,
  indicatorKey: r.indicator_key,
  feedKey: r.feed_key,
  totalLabel: r.total_label,
  totalLabelEn: r.total_label_en,
  totalUnit: r.total_unit,
  totalUnitEn: r.total_unit_en,
  zoneLabel: r.zone_label,
  zoneLabelEn: r.zone_label_en,
  zoneUnit: r.zone_unit,
  zoneUnitEn: r.zone_unit_en,
  focusAreaId: r.focus_area_id,
  layers: r.layers,
  kpis: r.kpis.filter((t): t is SceneKpi => !isCasesPanel(t)),
  cameras: r.cameras,
  cases: casesOf(r.kpis),
  bounds: r.bounds,
  position: r.position,
  enabled: r.enabled,
});

const COLUMNS = `key, kind, name, name_en, zone_set, indicator_key, feed_key, total_label, total_label_en, total_unit, total_unit_en,
  zone_label, zone_label_en, zone_unit, zone_unit_en, focus_area_id, layers, kpis, cameras, bounds, position, enabled`;

interface PlaylistRow {
  key: string;
  name: string;
  display_id: string | null;
  entries: PlaylistEntry[];
  interrupt_on_critical: boolean;
  hold_seconds: number | null;
  updated_at: Date;
}

const toPlaylist = (r: PlaylistRow): PlaylistView => ({
  key: r.key,
  name: r.name,
  displayId: r.display_id,
  entries: r.entries,
  interruptOnCritical: r.interrupt_on_critical,
  holdSeconds: r.hold_seconds,
  updatedAt: r.updated_at.toISOString(),
});

const PLAYLIST_COLUMNS = 'key, name, display_id, entries, interrupt_on_critical, hold_seconds, updated_at';

@Injectable()
export class SceneRepository {
  constructor(private readonly db: DataSource) {}

  /** In the wall's order: position, then key. */
  async list(filter: { enabledOnly: boolean }): Promise<SceneView[]> {
    const rows: SceneRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM scene ${filter.enabledOnly ? 'WHERE enabled' : ''} ORDER BY position, key`,
    );
    return rows.map(toView);
  }

  async find(key: string): Promise<SceneView | null> {
    const rows: SceneRow[] = await this.db.query(`SELECT ${COLUMNS} FROM scene WHERE key = $1`, [key]);
    return rows[0] ? toView(rows[0]) : null;
  }

  async upsert(key: string, d: SceneDefinition): Promise<SceneView> {
    const rows: SceneRow[] = await this.db.query(
      `INSERT INTO scene (key, kind, name, name_en, zone_set, indicator_key, feed_key, total_label, total_label_en, total_unit,
                          total_unit_en, zone_label, zone_label_en, zone_unit, zone_unit_en, focus_area_id, layers, kpis, cameras,
                          bounds, position, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
       ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
              zone_set = EXCLUDED.zone_set, indicator_key = EXCLUDED.indicator_key, feed_key = EXCLUDED.feed_key,
              total_label = EXCLUDED.total_label, total_label_en = EXCLUDED.total_label_en, total_unit = EXCLUDED.total_unit,
              total_unit_en = EXCLUDED.total_unit_en, zone_label = EXCLUDED.zone_label, zone_label_en = EXCLUDED.zone_label_en,
              zone_unit = EXCLUDED.zone_unit, zone_unit_en = EXCLUDED.zone_unit_en, focus_area_id = EXCLUDED.focus_area_id,
              layers = EXCLUDED.layers, kpis = EXCLUDED.kpis, cameras = EXCLUDED.cameras, bounds = EXCLUDED.bounds,
              position = EXCLUDED.position, enabled = EXCLUDED.enabled, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        key,
        d.kind,
        d.name,
        d.nameEn,
        d.zoneSet,
        d.indicatorKey,
        d.feedKey,
        d.totalLabel,
        d.totalLabelEn,
        d.totalUnit,
        d.totalUnitEn,
        d.zoneLabel,
        d.zoneLabelEn,
        d.zoneUnit,
        d.zoneUnitEn,
        d.focusAreaId,
        JSON.stringify(d.layers),
        JSON.stringify(storedTiles(d)),
        d.cameras === null ? null : JSON.stringify(d.cameras),
        d.bounds === null ? null : JSON.stringify(d.bounds),
        d.position,
        d.enabled,
      ],
    );
    return toView(rows[0]);
  }

  /** The deleted scene, or null when there was none. */
  async delete(key: string): Promise<SceneView | null> {
    // Through a CTE: TypeORM answers a bare DELETE with [rows, count], a SELECT with the rows.
    const rows: SceneRow[] = await this.db.query(
      `WITH gone AS (DELETE FROM scene WHERE key = $1 RETURNING *) SELECT ${COLUMNS} FROM gone`,
      [key],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async listPlaylists(): Promise<PlaylistView[]> {
    const rows: PlaylistRow[] = await this.db.query(`SELECT ${PLAYLIST_COLUMNS} FROM wall_playlist ORDER BY key`);
    return rows.map(toPlaylist);
  }

  async findPlaylist(key: string): Promise<PlaylistView | null> {
    const rows: PlaylistRow[] = await this.db.query(`SELECT ${PLAYLIST_COLUMNS} FROM wall_playlist WHERE key = $1`, [key]);
    return rows[0] ? toPlaylist(rows[0]) : null;
  }

  /** A display's own playlist, else the default one. */
  async playlistForDisplay(displayId: string | null, defaultKey: string): Promise<PlaylistView | null> {
    const rows: PlaylistRow[] = await this.db.query(
      `SELECT ${PLAYLIST_COLUMNS} FROM wall_playlist WHERE display_id = $1 OR key = $2
       ORDER BY (display_id IS NOT DISTINCT FROM $1) DESC LIMIT 1`,
      [displayId, defaultKey],
    );
    return rows[0] ? toPlaylist(rows[0]) : null;
  }

  /** The key of the playlist another display row already holds, or null. */
  async playlistKeyOfDisplay(displayId: string): Promise<string | null> {
    const rows: { key: string }[] = await this.db.query(`SELECT key FROM wall_playlist WHERE display_id = $1`, [displayId]);
    return rows[0]?.key ?? null;
  }

  async upsertPlaylist(key: string, d: PlaylistDefinition): Promise<PlaylistView> {
    // An unchanged body leaves the row (and its updated_at) as it was: a retried PUT changes nothing.
    const rows: PlaylistRow[] = await this.db.query(
      `INSERT INTO wall_playlist (key, name, display_id, entries, interrupt_on_critical, hold_seconds)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, display_id = EXCLUDED.display_id, entries = EXCLUDED.entries,
              interrupt_on_critical = EXCLUDED.interrupt_on_critical, hold_seconds = EXCLUDED.hold_seconds, updated_at = now()
         WHERE (wall_playlist.name, wall_playlist.display_id, wall_playlist.entries, wall_playlist.interrupt_on_critical,
                wall_playlist.hold_seconds)
               IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.display_id, EXCLUDED.entries, EXCLUDED.interrupt_on_critical,
                EXCLUDED.hold_seconds)
       RETURNING ${PLAYLIST_COLUMNS}`,
      [key, d.name, d.displayId, JSON.stringify(d.entries), d.interruptOnCritical, d.holdSeconds],
    );
    if (rows[0]) return toPlaylist(rows[0]);
    // Nothing changed, so nothing was returned: the row as it stands.
    const kept = await this.findPlaylist(key);
    if (!kept) throw new Error(`playlist ${key} vanished during its upsert`);
    return kept;
  }

  async deletePlaylist(key: string): Promise<PlaylistView | null> {
    const rows: PlaylistRow[] = await this.db.query(
      `WITH gone AS (DELETE FROM wall_playlist WHERE key = $1 RETURNING *) SELECT ${PLAYLIST_COLUMNS} FROM gone`,
      [key],
    );
    return rows[0] ? toPlaylist(rows[0]) : null;
  }
}
