import type { LayerView } from '@cityops/contracts';

/** A scene's layer keys matched against the catalog: what can be drawn (bottom first) and what cannot. */
export interface SceneLayers {
  layers: LayerView[];
  /** Keys the catalog does not hold (a feed removed, a layer with no data yet), in the scene's order. */
  missing: string[];
}

/**
 * The catalog layers a scene names, in the scene's order (bottom first). A key named twice is
 * drawn once, where it first appears. A key the catalog lacks is reported, not an error: the
 * rest of the scene still shows.
 */
export function resolveSceneLayers(keys: readonly string[], catalog: readonly LayerView[]): SceneLayers {
  const byKey = new Map(catalog.map((layer) => [layer.key, layer]));
  const seen = new Set<string>();
  const layers: LayerView[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    const layer = byKey.get(key);
    if (layer) layers.push(layer);
    else missing.push(key);
  }
  return { layers, missing };
}
