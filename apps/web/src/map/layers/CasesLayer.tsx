import type { Feature, Point } from 'geojson';
import type { GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import type { CaseState, CaseSummary, Position } from '@cityops/contracts';
import { featureCollection } from '../geo';
import { useMap } from '../map-context';
import {
  CASES_PAGE_IDS,
  casesCircleLayer,
  casesLayerOrder,
  casesOverdueLayer,
  casesRingLayer,
  type CasesLayerIds,
} from './cases-layer.style';
import { removeLayersAndSource } from './map-layers';
import { useLayerOpacity } from './useLayerOpacity';

/** What a case point is drawn from. */
export interface CasePointView {
  code: string;
  location: Position;
  state: CaseState;
  overdue: boolean;
  /** 0: not supervised; 1–4 the 督办 level (a ring). */
  supervisionLevel: number;
}

interface CaseProperties {
  code: string;
  state: CaseState;
  overdue: boolean;
  supervisionLevel: number;
  selected: boolean;
}

export const casePointOf = (c: CaseSummary): CasePointView => ({
  code: c.code,
  location: c.location,
  state: c.state,
  overdue: c.overdue !== null,
  supervisionLevel: c.supervision?.level ?? 0,
});

export interface CasesLayerProps {
  points: readonly CasePointView[];
  selected?: string | null;
  colors: Record<CaseState, string>;
  /** A click on a point (the /cases page opens it); without it the page's own click handling reads the features. */
  onPick?: (code: string) => void;
  /** The source and layer ids: the /cases page's by default, `casesLayerIds(catalogSourceId('cases'))` in the catalog. */
  ids?: CasesLayerIds;
  /** A map layer to draw under (the wall's labels), when it is there. */
  beforeId?: string;
  /** 0–1. */
  opacity?: number;
}

/**
 * Cases as WebGL circles coloured by state, supervised ones (督办) ringed by level, overdue ones
 * marked with a red dot; a click on one picks it. The /cases page, the analyst's map and the wall
 * draw cases with it.
 */
export function CasesLayer({ points, selected = null, colors, onPick, ids = CASES_PAGE_IDS, beforeId, opacity = 1 }: CasesLayerProps) {
  const map = useMap();
  const pickRef = useRef(onPick);
  useEffect(() => {
    pickRef.current = onPick;
  });
  const picks = onPick !== undefined;

  const data = useMemo(
    () =>
      featureCollection(
        points.map((c): Feature<Point, CaseProperties> => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: c.location },
          properties: {
            code: c.code,
            state: c.state,
            overdue: c.overdue,
            supervisionLevel: c.supervisionLevel,
            selected: c.code === selected,
          },
        })),
      ),
    [points, selected],
  );

  useEffect(() => {
    map.addSource(ids.source, { type: 'geojson', data: featureCollection([]) });
    const under = beforeId !== undefined && map.getLayer(beforeId) ? beforeId : undefined;
    map.addLayer(casesRingLayer(ids), under);
    map.addLayer(casesCircleLayer(colors, ids), under);
    map.addLayer(casesOverdueLayer(ids), under);
    const click = (event: MapLayerMouseEvent) => {
      const properties: Record<string, unknown> | undefined = event.features?.[0]?.properties;
      const code = properties?.code;
      if (typeof code === 'string') pickRef.current?.(code);
    };
    const enter = () => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    if (picks) {
      map.on('click', ids.circle, click);
      map.on('mouseenter', ids.circle, enter);
      map.on('mouseleave', ids.circle, leave);
    }
    return () => {
      if (picks) {
        map.off('click', ids.circle, click);
        map.off('mouseenter', ids.circle, enter);
        map.off('mouseleave', ids.circle, leave);
      }
      removeLayersAndSource(map, casesLayerOrder(ids), ids.source);
    };
  }, [map, colors, ids, beforeId, picks]);

  useEffect(() => {
    void map.getSource<GeoJSONSource>(ids.source)?.setData(data);
  }, [map, data, ids]);

  useLayerOpacity(
    useMemo(() => casesLayerOrder(ids).map((id) => ({ id, type: 'circle' as const })), [ids]),
    opacity,
  );

  // For browser tests, kept out of React: where each case is drawn on the canvas, in CSS pixels,
  // once the map is still (a click there must open the case).
  useEffect(() => {
    const frame = map.getContainer().parentElement;
    const mark = () => {
      if (!frame) return;
      const shown = points.map((c) => {
        const { x, y } = map.project(c.location);
        return [c.code, Math.round(x), Math.round(y)];
      });
      frame.dataset.casePoints = JSON.stringify(shown);
    };
    mark();
    const idle = map.on('idle', mark);
    return () => idle.unsubscribe();
  }, [map, points]);

  return null;
}
