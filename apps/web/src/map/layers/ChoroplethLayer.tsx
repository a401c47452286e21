import { useEffect, useMemo, useRef } from 'react';
import { useMap } from '../map-context';
import {
  CHOROPLETH_EXTRUSION_ID,
  CHOROPLETH_LAYER_IDS,
  CHOROPLETH_SOURCE_ID,
  choroplethLayers,
  choroplethSource,
} from './choropleth-layer.style';
import { removeLayersAndSource } from './map-layers';

/** What one area shows: its colour, its height when pitched (0–1) and the level of an alert on it (0 = none). */
export interface AreaPaint {
  color: string;
  height: number;
  alert: number;
}

export interface ChoroplethLayerProps {
  level: string;
  /** Area id → paint; an area missing here is drawn as having no value. */
  paints: ReadonlyMap<number, AreaPaint>;
  /** Only these areas (the children of the area drilled into); null = every area of the level. */
  only: readonly number[] | null;
  /** Extrude the areas by their height (the map is pitched). */
  extrude: boolean;
}

/**
 * The areas of one level from the `areas-<level>` vector tiles, coloured by an indicator through
 * feature state: a change of values only sets state, the tiles are never fetched again.
 */
export function ChoroplethLayer({ level, paints, only, extrude }: ChoroplethLayerProps) {
  const map = useMap();
  const specs = useMemo(() => choroplethLayers(level), [level]);
  const painted = useRef(new Set<number>());

  useEffect(() => {
    map.addSource(CHOROPLETH_SOURCE_ID, choroplethSource(level, window.location.origin));
    for (const spec of specs) map.addLayer(spec);
    const held = painted.current;
    return () => {
      held.clear();
      removeLayersAndSource(map, CHOROPLETH_LAYER_IDS, CHOROPLETH_SOURCE_ID);
    };
  }, [map, level, specs]);

  useEffect(() => {
    const sourceLayer = `areas-${level}`;
    for (const id of painted.current) {
      if (!paints.has(id)) map.removeFeatureState({ source: CHOROPLETH_SOURCE_ID, sourceLayer, id });
    }
    for (const [id, paint] of paints) map.setFeatureState({ source: CHOROPLETH_SOURCE_ID, sourceLayer, id }, { ...paint });
    painted.current = new Set(paints.keys());
  }, [map, level, paints]);

  useEffect(() => {
    const filter = only ? (['in', ['get', 'id'], ['literal', [...only]]] as const) : null;
    for (const id of CHOROPLETH_LAYER_IDS) if (map.getLayer(id)) map.setFilter(id, filter as never);
  }, [map, level, only]);

  useEffect(() => {
    if (map.getLayer(CHOROPLETH_EXTRUSION_ID)) map.setLayoutProperty(CHOROPLETH_EXTRUSION_ID, 'visibility', extrude ? 'visible' : 'none');
  }, [map, level, extrude]);

  return null;
}
