import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo, useState } from 'react';
import type { AreaView, LayerView } from '@cityops/contracts';
import { fetchAreas } from '../../api/analyst-map-api';
import { isAbortError } from '../../api/client';
import { areaGeometry, featureCollection } from '../geo';
import { useMap } from '../map-context';
import { catalogSourceId, catalogTileUrls, catalogVectorLayers, catalogVectorSource, zoneSetLayers } from './catalog-layer.style';
import { removeLayersAndSource } from './map-layers';
import { useLayerOpacity } from './useLayerOpacity';
import { type RenewAccess, useTileRenewal } from './useTileRenewal';

export interface CatalogLayerProps {
  /** Live layers and the cases layer have their own components (LiveLayer, CaseCatalogLayer). */
  layer: Exclude<LayerView, { kind: 'live' } | { kind: 'cases' }>;
  /** 0–1. */
  opacity: number;
  /** Renews the access token after a vector tile answered 401; resolves true when tiles may be retried. */
  onUnauthorized?: RenewAccess;
  /** A map layer to draw under (e.g. the labels), when it is there; else on top. */
  beforeId?: string;
}

/**
 * One layer of the catalog on the analyst's map and the wall's scenes: a vector-tile source for the big layers (areas,
 * entities, heat), or a zone set fetched whole as GeoJSON. Added when shown, removed when hidden;
 * the page orders the layers (moveLayer) after they are added.
 */
export function CatalogLayer({ layer, opacity, onUnauthorized, beforeId }: CatalogLayerProps) {
  const map = useMap();
  const specs = useMemo(() => (layer.kind === 'vector' ? catalogVectorLayers(layer) : zoneSetLayers(layer)), [layer]);
  const [zones, setZones] = useState<AreaView[] | null>(null);

  useEffect(() => {
    const sourceId = catalogSourceId(layer.key);
    if (layer.kind === 'vector') map.addSource(sourceId, catalogVectorSource(layer, window.location.origin));
    else map.addSource(sourceId, { type: 'geojson', data: featureCollection([]), promoteId: 'id' });
    const under = beforeId !== undefined && map.getLayer(beforeId) ? beforeId : undefined;
    for (const spec of specs) map.addLayer(spec, under);
    return () =>
      removeLayersAndSource(
        map,
        specs.map((s) => s.id),
        sourceId,
      );
  }, [map, layer, specs, beforeId]);

  // An expired token makes the tiles fail with 401 (a wall runs for days): renew it, then reload them.
  const tiles = useMemo(() => (layer.kind === 'vector' ? catalogTileUrls(layer, window.location.origin) : null), [layer]);
  useTileRenewal(catalogSourceId(layer.key), tiles, onUnauthorized);

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

  useLayerOpacity(specs, opacity);

  return null;
}
