import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import type { AreaView, IndicatorValueView } from '@cityops/contracts';
import type { LoadThresholds as IndicatorThresholds } from '../../live/load-thresholds';
import { usePrefersReducedMotion } from '../../usePrefersReducedMotion';
import { areaGeometry, featureCollection } from '../geo';
import { useMap } from '../map-context';
import { uiScaleOf } from '../ui-scale';
import {
  COURSE_FILL_LAYER_ID,
  COURSE_LINE_LAYER_ID,
  COURSE_PULSE_LAYER_ID,
  COURSE_SOURCE_ID,
  PULSE_HALF_PERIOD_MS,
  PULSE_OFF,
  PULSE_ON,
  courseFillLayer,
  courseLineLayer,
  coursePulseLayer,
  criticalFilter,
  loadColorExpression,
} from './course-segments-layer.style';
import { removeLayersAndSource } from './map-layers';

interface SegmentProperties {
  id: number;
  code: string;
  seq: number;
  /** headcount ÷ capacity; absent when the segment has no value yet. */
  load?: number;
}

type SegmentFeature = Feature<Polygon | MultiPolygon, SegmentProperties>;

export interface CourseSegmentsLayerProps {
  segments: readonly AreaView[];
  /** Latest load per segment (the indicator values); null before the first snapshot. */
  values: readonly IndicatorValueView[] | null;
  thresholds: IndicatorThresholds;
  /** Called after the map has drawn a frame with the segment data set by `setData`. */
  onRendered?: (featureCount: number) => void;
  /** A click on a zone (with a pointer: displays have none), with its area id. */
  onSelect?: (areaId: number) => void;
}

/**
 * The wall scene's zones (e.g. a race course's segments): one GeoJSON source with a fill and a
 * line coloured by a data-driven expression on the `load` property, and a pulsing outline on
 * critical segments. Live updates only rewrite the `load` properties and call `setData`; no
 * per-feature React.
 */
export function CourseSegmentsLayer({ segments, values, thresholds, onRendered, onSelect }: CourseSegmentsLayerProps) {
  const map = useMap();
  const { warning, critical } = thresholds;
  const initialThresholds = useRef(thresholds);
  const onRenderedRef = useRef(onRendered);
  useEffect(() => {
    onRenderedRef.current = onRendered;
  }, [onRendered]);

  const baseFeatures = useMemo(() => {
    const features: SegmentFeature[] = [];
    for (const segment of segments) {
      const geometry = areaGeometry(segment);
      if (!geometry) continue;
      features.push({
        type: 'Feature',
        id: segment.id,
        geometry,
        properties: { id: segment.id, code: segment.code, seq: segment.seq ?? 0 },
      });
    }
    return features.sort((a, b) => a.properties.seq - b.properties.seq);
  }, [segments]);

  const data = useMemo(() => {
    const loadByArea = new Map<number, number>();
    for (const v of values ?? []) loadByArea.set(v.areaId, v.value);
    return featureCollection(
      baseFeatures.map((feature): SegmentFeature => {
        const load = loadByArea.get(feature.properties.id);
        return load === undefined ? feature : { ...feature, properties: { ...feature.properties, load } };
      }),
    );
  }, [baseFeatures, values]);

  const hasCritical = data.features.some((f) => (f.properties.load ?? -Infinity) >= critical);

  // Source and layers: once per map.
  useEffect(() => {
    const t = initialThresholds.current;
    map.addSource(COURSE_SOURCE_ID, { type: 'geojson', data: featureCollection([]) });
    map.addLayer(courseFillLayer(t));
    map.addLayer(courseLineLayer(t));
    map.addLayer(coursePulseLayer(t, uiScaleOf(map)));
    return () => removeLayersAndSource(map, [COURSE_LINE_LAYER_ID, COURSE_PULSE_LAYER_ID, COURSE_FILL_LAYER_ID], COURSE_SOURCE_ID);
  }, [map]);

  // Clicks on a zone open it; the pointer says it can be clicked.
  useEffect(() => {
    if (!onSelect) return undefined;
    const click = map.on('click', COURSE_FILL_LAYER_ID, (event) => {
      const id = (event.features?.[0]?.properties as { id?: unknown } | undefined)?.id;
      if (typeof id === 'number') onSelect(id);
    });
    const enter = map.on('mouseenter', COURSE_FILL_LAYER_ID, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    const leave = map.on('mouseleave', COURSE_FILL_LAYER_ID, () => {
      map.getCanvas().style.cursor = '';
    });
    return () => {
      click.unsubscribe();
      enter.unsubscribe();
      leave.unsubscribe();
      map.getCanvas().style.cursor = '';
    };
  }, [map, onSelect]);

  // Thresholds come with the indicator values; restyle only when they change.
  useEffect(() => {
    const t = { ...initialThresholds.current, warning, critical };
    if (t.warning === initialThresholds.current.warning && t.critical === initialThresholds.current.critical) return;
    initialThresholds.current = t;
    map.setPaintProperty(COURSE_FILL_LAYER_ID, 'fill-color', loadColorExpression(t));
    map.setPaintProperty(COURSE_LINE_LAYER_ID, 'line-color', loadColorExpression(t));
    map.setFilter(COURSE_PULSE_LAYER_ID, criticalFilter(t));
  }, [map, warning, critical]);

  // Data: one setData per (coalesced) update; report once a frame with the new data was drawn.
  // ('idle' is not used for that: while critical segments pulse, the map is never idle.)
  useEffect(() => {
    const source = map.getSource<GeoJSONSource>(COURSE_SOURCE_ID);
    if (!source) return undefined;
    let current = true;
    let renderSubscription: { unsubscribe(): void } | undefined;
    void source.setData(data).then(() => {
      if (!current || data.features.length === 0) return;
      renderSubscription = map.on('render', () => {
        if (!current || !map.isSourceLoaded(COURSE_SOURCE_ID)) return;
        renderSubscription?.unsubscribe();
        onRenderedRef.current?.(data.features.length);
      });
      map.triggerRepaint();
    });
    return () => {
      current = false;
      renderSubscription?.unsubscribe();
    };
  }, [map, data]);

  // Pulse: flip between two paint states; the layer's paint transitions animate in between.
  // With reduced motion the outline stays on, steady (and the map need not redraw all the time).
  const steady = usePrefersReducedMotion();
  useEffect(() => {
    const apply = (state: { width: number; opacity: number }) => {
      map.setPaintProperty(COURSE_PULSE_LAYER_ID, 'line-width', state.width * uiScaleOf(map));
      map.setPaintProperty(COURSE_PULSE_LAYER_ID, 'line-opacity', state.opacity);
    };
    if (!hasCritical || steady) {
      apply(hasCritical ? PULSE_ON : PULSE_OFF);
      return undefined;
    }
    let on = false;
    const flip = () => {
      on = !on;
      apply(on ? PULSE_ON : PULSE_OFF);
    };
    flip();
    const timer = setInterval(flip, PULSE_HALF_PERIOD_MS);
    return () => clearInterval(timer);
  }, [map, hasCritical, steady]);

  return null;
}
