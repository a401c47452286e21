import type { LayerView, SceneView } from '@cityops/contracts';
import type { ZoneSetSummary } from '@cityops/geo';

export type ZoneSetLayerView = Extract<LayerView, { kind: 'geojson' }>;

/**
 * One GeoJSON layer per zone set, linked to the indicator of the first enabled scene (in the
 * wall's order) that shows it, so a map client knows what to colour the zones by.
 */
export function zoneSetLayers(zoneSets: readonly ZoneSetSummary[], scenes: readonly SceneView[]): ZoneSetLayerView[] {
  return zoneSets.map((zoneSet) => {
    const scene = scenes.find((s) => s.enabled && s.zoneSet === zoneSet.key) ?? null;
    return {
      key: `zones-${zoneSet.key}`,
      name: zoneSet.name,
      nameEn: zoneSet.nameEn,
      kind: 'geojson',
      url: `/api/areas?zoneSet=${encodeURIComponent(zoneSet.key)}&geometry=true`,
      zoneSet: zoneSet.key,
      indicator: scene?.indicatorKey ?? null,
      scene: scene?.key ?? null,
    };
  });
}
