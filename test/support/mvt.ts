import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/** One decoded feature: its properties and its geometry in lon/lat. */
export interface DecodedFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

/** A Mapbox Vector Tile's layers and their features, read with Mapbox's own decoder. */
export function decodeTile(bytes: Uint8Array, tile: { z: number; x: number; y: number }): Record<string, DecodedFeature[]> {
  const decoded = new VectorTile(new PbfReader(bytes));
  const layers: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(decoded.layers)) {
    layers[name] = Array.from({ length: layer.length }, (_, i) => {
      const feature = layer.feature(i).toGeoJSON(tile.x, tile.y, tile.z);
      return { properties: { ...feature.properties }, geometry: feature.geometry as DecodedFeature['geometry'] };
    });
  }
  return layers;
}
