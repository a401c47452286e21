import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import type { AreaView } from '@cityops/contracts';
import { areaGeometry, featureCollection } from '../geo';
import { useMap } from '../map-context';
import { DISTRICTS_FILL_LAYER, DISTRICTS_LINE_LAYER, DISTRICTS_SOURCE_ID } from './districts-layer.style';
import { removeLayersAndSource } from './map-layers';

interface DistrictProperties {
  id: number;
  code: string;
}

export interface DistrictsLayerProps {
  districts: readonly AreaView[];
  /** Layer the fill goes under (e.g. the boundary lines), if it exists. */
  fillBeforeId?: string;
}

/** District outlines (brighter than the tile boundaries) and a faint fill, from the districts GeoJSON. */
export function DistrictsLayer({ districts, fillBeforeId }: DistrictsLayerProps) {
  const map = useMap();

  const data = useMemo(() => {
    const features: Feature<Polygon | MultiPolygon, DistrictProperties>[] = [];
    for (const district of districts) {
      const geometry = areaGeometry(district);
      if (geometry) features.push({ type: 'Feature', geometry, properties: { id: district.id, code: district.code } });
    }
    return featureCollection(features);
  }, [districts]);

  useEffect(() => {
    map.addSource(DISTRICTS_SOURCE_ID, { type: 'geojson', data: featureCollection([]) });
    map.addLayer(DISTRICTS_FILL_LAYER, fillBeforeId && map.getLayer(fillBeforeId) ? fillBeforeId : undefined);
    map.addLayer(DISTRICTS_LINE_LAYER);
    return () => removeLayersAndSource(map, [DISTRICTS_FILL_LAYER.id, DISTRICTS_LINE_LAYER.id], DISTRICTS_SOURCE_ID);
  }, [map, fillBeforeId]);

  useEffect(() => {
    void map.getSource<GeoJSONSource>(DISTRICTS_SOURCE_ID)?.setData(data);
  }, [map, data]);

  return null;
}
