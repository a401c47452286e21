import { useEffect } from 'react';
import { useMap } from '../map-context';
import { AREA_BOUNDARY_LAYERS, AREA_TILES_SOURCE_ID, areaTileUrls, areaTilesSource } from './area-boundaries-layer.style';
import { removeLayersAndSource } from './map-layers';
import { type RenewAccess, useTileRenewal } from './useTileRenewal';

export interface AreaBoundariesLayerProps {
  /** Renews the access token after a tile answered 401; resolves true when tiles may be retried. */
  onUnauthorized?: RenewAccess;
}

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
  useTileRenewal(AREA_TILES_SOURCE_ID, areaTileUrls(window.location.origin), onUnauthorized);

  return null;
}
