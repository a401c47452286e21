import type { VectorTileSource } from 'maplibre-gl';
import { useEffect } from 'react';
import { useMap } from '../map-context';
import { AREA_BOUNDARY_LAYERS, AREA_TILES_SOURCE_ID, areaTileUrls, areaTilesSource } from './area-boundaries-layer.style';
import { removeLayersAndSource } from './map-layers';

export interface AreaBoundariesLayerProps {
  /** Renews the access token after a tile answered 401; resolves true when tiles may be retried. */
  onUnauthorized?: () => Promise<boolean>;
}

const RENEW_COOLDOWN_MS = 10_000;

/**
 * Street / community / grid boundary lines from our own vector tiles: the base map that works
 * without any outside tile server. Static: added once, removed on unmount.
 */
export function AreaBoundariesLayer({ onUnauthorized }: AreaBoundariesLayerProps) {
  const map = useMap();

  useEffect(() => {
    map.addSource(AREA_TILES_SOURCE_ID, areaTilesSource(window.location.origin));
    for (const layer of AREA_BOUNDARY_LAYERS) map.addLayer(layer);
    return () =>
      removeLayersAndSource(
        map,
        AREA_BOUNDARY_LAYERS.map((layer) => layer.id),
        AREA_TILES_SOURCE_ID,
      );
  }, [map]);

  // An expired token makes tiles fail with 401: renew it, then reload the tiles.
  useEffect(() => {
    if (!onUnauthorized) return undefined;
    let renewing = false;
    const subscription = map.on('error', (event) => {
      const status = (event.error as { status?: unknown } | undefined)?.status;
      const sourceId = (event as unknown as { sourceId?: unknown }).sourceId;
      if (status !== 401 || sourceId !== AREA_TILES_SOURCE_ID || renewing) return;
      renewing = true;
      void onUnauthorized()
        .then((renewed) => {
          const source = map.getSource<VectorTileSource>(AREA_TILES_SOURCE_ID);
          if (renewed && source) source.setTiles(areaTileUrls(window.location.origin));
        })
        .finally(() => {
          setTimeout(() => {
            renewing = false;
          }, RENEW_COOLDOWN_MS);
        });
    });
    return () => subscription.unsubscribe();
  }, [map, onUnauthorized]);

  return null;
}
