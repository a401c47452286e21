import type { Feature, Point } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo, useState } from 'react';
import type { AreaLabelCollection, AreaView } from '@cityops/contracts';
import { apiRequest, isAbortError } from '../../api/client';
import { translate, type Lang } from '../../i18n';
import { courseEnds } from '../course-ends';
import { featureCollection } from '../geo';
import { useMap } from '../map-context';
import {
  AREA_LABELS_SOURCE_ID,
  COURSE_END_LABEL_LAYER_ID,
  COURSE_END_MARKER_LAYER,
  COURSE_LABELS_SOURCE_ID,
  DISTRICT_LABEL_LAYER_ID,
  SEGMENT_NUMBER_LAYER,
  STREET_LABEL_LAYER_ID,
  areaNameField,
  courseEndField,
  courseEndLabelLayer,
  districtLabelLayer,
  streetLabelLayer,
} from './context-labels-layer.style';
import { removeLayersAndSource } from './map-layers';

const RETRY_MS = 10_000;
/** How often the frame's `data-labels-*` are brought up to date while the map draws. */
const LABEL_REPORT_MS = 500;

export interface ContextLabelsLayerProps {
  /** The page's language: names in it (Chinese when an area has no English name). */
  lang: Lang;
  /** The zone set on show (e.g. a course's segments, with outlines): its numbers and start / finish. */
  zones?: readonly AreaView[];
}

type CourseLabel = Feature<Point, { kind: 'segment' | 'start' | 'finish'; seq?: number; labelZh?: string; labelEn?: string }>;

/** Label points of areas, retried every 10 s until they come (an unattended wall must heal itself). */
function useAreaLabels(query: { level?: string; zoneSet?: string } | null): AreaLabelCollection | null {
  // Kept with the query they answer, so that a new query never shows the last one's labels.
  const [loaded, setLoaded] = useState<{ key: string; labels: AreaLabelCollection } | null>(null);
  const level = query?.level;
  const zoneSet = query?.zoneSet;
  const key = `${level ?? ''}|${zoneSet ?? ''}`;
  useEffect(() => {
    if (!level && !zoneSet) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = () => {
      apiRequest<AreaLabelCollection>('/api/areas/labels', { query: { level, zoneSet, limit: 20000 }, signal: controller.signal }).then(
        (labels) => setLoaded({ key: `${level ?? ''}|${zoneSet ?? ''}`, labels }),
        (error: unknown) => {
          if (isAbortError(error) || controller.signal.aborted) return;
          timer = setTimeout(attempt, RETRY_MS);
        },
      );
    };
    attempt();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [level, zoneSet]);
  return loaded?.key === key ? loaded.labels : null;
}

/**
 * Names and markers from the data we hold, drawn with the API's own glyphs so they work on a
 * closed network: district names at their label points, street names from zoom 11, and for a
 * zone set its zones' numbers (`seq`) and its start and finish (first and last zone by `seq`).
 * Two GeoJSON sources, symbol and circle layers on top of the layers added before it.
 */
export function ContextLabelsLayer({ lang, zones = [] }: ContextLabelsLayerProps) {
  const map = useMap();
  const districts = useAreaLabels({ level: 'district' });
  const streets = useAreaLabels({ level: 'street' });
  const zoneSet = zones.find((z) => z.zoneSet)?.zoneSet ?? undefined;
  const zoneLabels = useAreaLabels(zoneSet ? { zoneSet } : null);

  // Sources and layers once per map, in the language of the moment (changes restyle below).
  const [initialLang] = useState(lang);
  useEffect(() => {
    map.addSource(AREA_LABELS_SOURCE_ID, { type: 'geojson', data: featureCollection([]) });
    map.addSource(COURSE_LABELS_SOURCE_ID, { type: 'geojson', data: featureCollection([]) });
    map.addLayer(streetLabelLayer(initialLang));
    map.addLayer(districtLabelLayer(initialLang));
    map.addLayer(COURSE_END_MARKER_LAYER);
    map.addLayer(SEGMENT_NUMBER_LAYER);
    map.addLayer(courseEndLabelLayer(initialLang));
    return () => {
      removeLayersAndSource(map, [STREET_LABEL_LAYER_ID, DISTRICT_LABEL_LAYER_ID], AREA_LABELS_SOURCE_ID);
      removeLayersAndSource(map, [COURSE_END_MARKER_LAYER.id, SEGMENT_NUMBER_LAYER.id, COURSE_END_LABEL_LAYER_ID], COURSE_LABELS_SOURCE_ID);
    };
  }, [map, initialLang]);

  useEffect(() => {
    for (const id of [STREET_LABEL_LAYER_ID, DISTRICT_LABEL_LAYER_ID]) map.setLayoutProperty(id, 'text-field', areaNameField(lang));
    map.setLayoutProperty(COURSE_END_LABEL_LAYER_ID, 'text-field', courseEndField(lang));
  }, [map, lang]);

  useEffect(() => {
    const features = [...(districts?.features ?? []), ...(streets?.features ?? [])];
    void map.getSource<GeoJSONSource>(AREA_LABELS_SOURCE_ID)?.setData(featureCollection(features));
  }, [map, districts, streets]);

  const courseLabels = useMemo(() => {
    const features: CourseLabel[] = [];
    for (const label of zoneLabels?.features ?? []) {
      if (label.properties.seq === null) continue;
      features.push({ type: 'Feature', geometry: label.geometry, properties: { kind: 'segment', seq: label.properties.seq } });
    }
    const ends = courseEnds(zones);
    if (ends) {
      const words = (key: 'mapCourseStart' | 'mapCourseFinish') => ({ labelZh: translate('zh', key), labelEn: translate('en', key) });
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: ends.start },
        properties: { kind: 'start', ...words('mapCourseStart') },
      });
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: ends.finish },
        properties: { kind: 'finish', ...words('mapCourseFinish') },
      });
    }
    return featureCollection(features);
  }, [zoneLabels, zones]);

  useEffect(() => {
    void map.getSource<GeoJSONSource>(COURSE_LABELS_SOURCE_ID)?.setData(courseLabels);
  }, [map, courseLabels]);

  // What is drawn, on the map's frame (`data-labels-*`) for browser tests and a person inspecting a wall.
  useEffect(() => {
    let last = 0;
    const frame = map.getContainer().parentElement;
    const report = () => {
      if (!frame) return;
      last = performance.now();
      const placed = (layer: string) => map.queryRenderedFeatures({ layers: [layer] });
      const districtNames = placed(DISTRICT_LABEL_LAYER_ID).map((f) => {
        const p = f.properties as { name?: string; nameEn?: string | null };
        return (lang === 'en' ? p.nameEn : null) ?? p.name ?? '';
      });
      frame.dataset.labelsDistricts = String(new Set(districtNames).size);
      frame.dataset.labelsDistrictNames = [...new Set(districtNames)].sort().join('|');
      frame.dataset.labelsStreets = String(placed(STREET_LABEL_LAYER_ID).length);
      frame.dataset.labelsSegments = String(new Set(placed(SEGMENT_NUMBER_LAYER.id).map((f) => String(f.properties.seq))).size);
      frame.dataset.labelsEnds = [...new Set(placed(COURSE_END_LABEL_LAYER_ID).map((f) => String(f.properties.kind)))].sort().join('|');
    };
    // While drawing, at most every LABEL_REPORT_MS; and always once the map is idle, so the last
    // frame's labels are reported even when it came within that time of the one before.
    const drawing = map.on('render', () => {
      if (performance.now() - last >= LABEL_REPORT_MS) report();
    });
    const idle = map.on('idle', report);
    return () => {
      drawing.unsubscribe();
      idle.unsubscribe();
    };
  }, [map, lang]);

  return null;
}
