import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SceneDefinition, SceneView } from '@cityops/contracts';

interface SceneRow {
  key: string;
  name: string;
  name_en: string | null;
  zone_set: string;
  indicator_key: string;
  feed_key: string | null;
  total_label: string;
  total_label_en: string | null;
  total_unit: string | null;
  total_unit_en: string | null;
  zone_label: string;
  zone_label_en: string | null;
  zone_unit: string | null;
  zone_unit_en: string | null;
  position: number;
  enabled: boolean;
}

const toView = (r: SceneRow): SceneView => ({
  key: r.key,
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
  position: r.position,
  enabled: r.enabled,
});

const COLUMNS = `key, name, name_en, zone_set, indicator_key, feed_key, total_label, total_label_en, total_unit, total_unit_en,
  zone_label, zone_label_en, zone_unit, zone_unit_en, position, enabled`;

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
      `INSERT INTO scene (key, name, name_en, zone_set, indicator_key, feed_key, total_label, total_label_en, total_unit,
                          total_unit_en, zone_label, zone_label_en, zone_unit, zone_unit_en, position, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, zone_set = EXCLUDED.zone_set,
              indicator_key = EXCLUDED.indicator_key, feed_key = EXCLUDED.feed_key, total_label = EXCLUDED.total_label,
              total_label_en = EXCLUDED.total_label_en, total_unit = EXCLUDED.total_unit, total_unit_en = EXCLUDED.total_unit_en,
              zone_label = EXCLUDED.zone_label, zone_label_en = EXCLUDED.zone_label_en, zone_unit = EXCLUDED.zone_unit,
              zone_unit_en = EXCLUDED.zone_unit_en, position = EXCLUDED.position, enabled = EXCLUDED.enabled, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        key,
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
        d.position,
        d.enabled,
      ],
    );
    return toView(rows[0]);
  }
}
