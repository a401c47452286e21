import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo, useState } from 'react';
import type { AreaView, LayerView } from '@cityops/contracts';
import { fetchAreas } from '../../api/analyst-map-api';
import { isAbortError } from '../../api/client';
import { areaGeometry, featureCollection } from '../geo';
import { useMap } from '../map-context';
import { catalogSourceId, catalogVectorLayers, catalogVectorSource, opacityPaint, zoneSetLayers } from './catalog-layer.style';
import { removeLayersAndSource } from './map-layers';

export interface CatalogLayerProps {
  /** Live layers have their own component (LiveLayer). */
  layer: Exclude<LayerView, { kind: 'live' }>;
  /** 0–1. */
  opacity: number;
}

/**
 * One layer of the catalog on the analyst's map: a vector-tile source for the big layers (areas,
 * entities, heat), or a zone set fetched whole as GeoJSON. Added when shown, removed when hidden;
 * the page orders the layers (moveLayer) after they are added.
 */
export function CatalogLayer({ layer, opacity }: CatalogLayerProps) {
  const map = useMap();
  const specs = useMemo(() => (layer.kind === 'vector' ? catalogVectorLayers(layer) : zoneSetLayers(layer)), [layer]);
  const [zones, setZones] = useState<AreaView[] | null>(null);

  useEffect(() => {
    const sourceId = catalogSourceId(layer.key);
    if (layer.kind === 'vector') map.addSource(sourceId, catalogVectorSource(layer, window.location.origin));
    else map.addSource(sourceId, { type: 'geojson', data: featureCollection([]), promoteId: 'id' });
    for (const spec of specs) map.addLayer(spec);
    return () =>
      removeLayersAndSource(
        map,
        specs.map((s) => s.id),
        sourceId,
      );
  }, [map, layer, specs]);

  // A zone set's areas (with their boundaries) come from the layer's URL.
  useEffect(() => {
    if (layer.kind !== 'geojson') return undefined;
    const controller = new AbortController();
    fetchAreas({ zoneSet: layer.zoneSet, geometry: true }, controller.signal).then(setZones, (error: unknown) => {
      if (!isAbortError(error)) console.warn('[map] zone set failed', error);
    });
    return () => controller.abort();
  }, [layer]);

  useEffect(() => {
    if (!zones) return;
    const features = zones.flatMap((z) => {
      const geometry = areaGeometry(z);
      return geometry
        ? [
            {
              type: 'Feature' as const,
              id: z.id,
              geometry,
              properties: { id: z.id, code: z.code, name: z.name, nameEn: z.nameEn, level: z.level, capacity: z.capacity, seq: z.seq },
            },
          ]
        : [];
    });
    void map.getSource<GeoJSONSource>(catalogSourceId(layer.key))?.setData(featureCollection(features));
  }, [map, layer.key, zones]);

  useEffect(() => {
    for (const spec of specs) {
      if (!map.getLayer(spec.id)) continue;
      for (const [property, value] of Object.entries(opacityPaint(spec.type, opacity)))
        map.setPaintProperty(spec.id, property as Parameters<typeof map.setPaintProperty>[1], value);
    }
  }, [map, specs, opacity]);

  return null;
}
