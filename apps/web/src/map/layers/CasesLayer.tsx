import type { Feature, Point } from 'geojson';
import type { GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import type { CaseState, CaseSummary } from '@cityops/contracts';
import { featureCollection } from '../geo';
import { useMap } from '../map-context';
import { CASES_CIRCLE_LAYER_ID, CASES_SOURCE_ID, casesCircleLayer } from './cases-layer.style';
import { removeLayersAndSource } from './map-layers';

interface CaseProperties {
  code: string;
  state: CaseState;
  selected: boolean;
}

export interface CasesLayerProps {
  cases: readonly CaseSummary[];
  selected: string | null;
  colors: Record<CaseState, string>;
  onPick: (code: string) => void;
}

/** The listed cases as WebGL circles coloured by state; a click on one picks it. */
export function CasesLayer({ cases, selected, colors, onPick }: CasesLayerProps) {
  const map = useMap();
  const pickRef = useRef(onPick);
  useEffect(() => {
    pickRef.current = onPick;
  });

  const data = useMemo(
    () =>
      featureCollection(
        cases.map((c): Feature<Point, CaseProperties> => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: c.location },
          properties: { code: c.code, state: c.state, selected: c.code === selected },
        })),
      ),
    [cases, selected],
  );

  useEffect(() => {
    map.addSource(CASES_SOURCE_ID, { type: 'geojson', data: featureCollection([]) });
    map.addLayer(casesCircleLayer(colors));
    const click = (event: MapLayerMouseEvent) => {
      const properties: Record<string, unknown> | undefined = event.features?.[0]?.properties;
      const code = properties?.code;
      if (typeof code === 'string') pickRef.current(code);
    };
    const enter = () => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    map.on('click', CASES_CIRCLE_LAYER_ID, click);
    map.on('mouseenter', CASES_CIRCLE_LAYER_ID, enter);
    map.on('mouseleave', CASES_CIRCLE_LAYER_ID, leave);
    return () => {
      map.off('click', CASES_CIRCLE_LAYER_ID, click);
      map.off('mouseenter', CASES_CIRCLE_LAYER_ID, enter);
      map.off('mouseleave', CASES_CIRCLE_LAYER_ID, leave);
      removeLayersAndSource(map, [CASES_CIRCLE_LAYER_ID], CASES_SOURCE_ID);
    };
  }, [map, colors]);

  useEffect(() => {
    void map.getSource<GeoJSONSource>(CASES_SOURCE_ID)?.setData(data);
  }, [map, data]);

  // For browser tests, kept out of React: where each case is drawn on the canvas, in CSS pixels,
  // once the map is still (a click there must open the case).
  useEffect(() => {
    const frame = map.getContainer().parentElement;
    const mark = () => {
      if (!frame) return;
      const points = cases.map((c) => {
        const { x, y } = map.project(c.location);
        return [c.code, Math.round(x), Math.round(y)];
      });
      frame.dataset.casePoints = JSON.stringify(points);
    };
    mark();
    const idle = map.on('idle', mark);
    return () => idle.unsubscribe();
  }, [map, cases]);

  return null;
}
