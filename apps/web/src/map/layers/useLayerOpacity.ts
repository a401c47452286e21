import { useEffect } from 'react';
import { useMap } from '../map-context';
import { type AnyLayerSpec, opacityPaint } from './catalog-layer.style';

/** A map layer as its opacity is set: by its id, on the paint properties of its type. */
export type OpacityTarget = Pick<AnyLayerSpec, 'id' | 'type'>;

/**
 * Holds the layers at the opacity the page chose (0–1). Called after the effect that adds them, so
 * it runs after it; a layer not (or no longer) on the map is passed over. `layers` should be stable
 * (memoised), or the paint is set again on every render.
 */
export function useLayerOpacity(layers: readonly OpacityTarget[], opacity: number): void {
  const map = useMap();
  useEffect(() => {
    for (const { id, type } of layers) {
      if (!map.getLayer(id)) continue;
      for (const [property, value] of Object.entries(opacityPaint(type, opacity)))
        map.setPaintProperty(id, property as Parameters<typeof map.setPaintProperty>[1], value);
    }
  }, [map, layers, opacity]);
}
