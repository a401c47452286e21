import type { MapGeoJSONFeature } from 'maplibre-gl';
import type { LayerView, LiveLayerMetric } from '@cityops/contracts';
import { catalogSourceId } from '../map/layers/catalog-layer.style';
import { CHOROPLETH_SOURCE_ID } from '../map/layers/choropleth-layer.style';
import { readingsOf } from '../map/layers/live-layer-store';

/** What was clicked on the map, as the popup needs it. */
export type MapTarget =
  | { kind: 'area'; id: number; name: string; code: string; level: string }
  | { kind: 'zone'; id: number; name: string; code: string; level: string; capacity: number | null; indicator: string | null }
  | {
      kind: 'entity';
      feed: string;
      id: string;
      name: string | null;
      status: string | null;
      entityKind: string | null;
      ts: string | null;
      /** A live layer's entity: its newest reading per metric, and the feed's metrics (units, ranges). */
      readings?: { metric: string; value: number; ts: string | null }[];
      metrics?: readonly LiveLayerMetric[];
    }
  | { kind: 'heat'; layer: LayerView; count: number | null; mean: number | null }
  | { kind: 'feature'; layer: LayerView; properties: Record<string, unknown> }
  /** A case of the cases layer: its popup reads the case itself (deadline, supervision). */
  | { kind: 'case'; code: string };

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads a clicked feature (the topmost) as a target; null when it is of no layer the page knows. */
export function targetOf(feature: MapGeoJSONFeature, layers: readonly LayerView[]): MapTarget | null {
  const p = (feature.properties ?? {}) as Record<string, unknown>;
  const areaOf = () => {
    const id = num(p.id) ?? num(feature.id);
    return id === null ? null : { id, name: text(p.name) ?? String(id), code: text(p.code) ?? '', level: text(p.level) ?? '' };
  };
  if (feature.source === CHOROPLETH_SOURCE_ID) {
    const area = areaOf();
    return area ? { kind: 'area', ...area } : null;
  }
  const layer = layers.find((l) => catalogSourceId(l.key) === feature.source);
  if (!layer) return null;
  if (layer.kind === 'cases') {
    const code = text(p.code);
    return code ? { kind: 'case', code } : null;
  }
  if (layer.kind === 'live') {
    return {
      kind: 'entity',
      feed: layer.feed,
      id: text(p.id) ?? String(feature.id ?? ''),
      name: text(p.name),
      status: text(p.status),
      entityKind: text(p.kind),
      ts: text(p.ts),
      readings: readingsOf(
        p,
        layer.metrics.map((m) => m.key),
      ),
      metrics: layer.metrics,
    };
  }
  if (layer.kind === 'geojson') {
    const area = areaOf();
    return area ? { kind: 'zone', ...area, capacity: num(p.capacity), indicator: layer.indicator } : null;
  }
  if (layer.key.startsWith('areas')) {
    const area = areaOf();
    return area ? { kind: 'area', ...area } : null;
  }
  if (layer.key.startsWith('entities-')) {
    return {
      kind: 'entity',
      feed: layer.key.slice('entities-'.length),
      id: text(p.id) ?? String(num(p.id) ?? feature.id ?? ''),
      name: text(p.name),
      status: text(p.status),
      entityKind: text(p.kind),
      ts: text(p.ts),
    };
  }
  if (layer.legend?.symbol === 'heatmap') return { kind: 'heat', layer, count: num(p.count), mean: num(p.mean) };
  return { kind: 'feature', layer, properties: p };
}
