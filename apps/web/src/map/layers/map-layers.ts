import type { Map as MapLibreMap } from 'maplibre-gl';

/** Removes layers and a source, tolerating a map that is already being torn down. */
export function removeLayersAndSource(map: MapLibreMap, layerIds: readonly string[], sourceId: string): void {
  try {
    for (const id of layerIds) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(sourceId)) map.removeSource(sourceId);
  } catch {
    // map.remove() already ran: nothing left to clean.
  }
}
