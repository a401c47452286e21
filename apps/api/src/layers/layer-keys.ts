import { type AreaLevel, CASES_LAYER_KEY } from '@cityops/contracts';

/** The area levels served as a layer of their own (`areas-<level>`), with the zoom each is first drawn at. */
export const AREA_LEVEL_LAYERS: readonly { level: AreaLevel; minzoom: number; name: string; nameEn: string }[] = [
  { level: 'district', minzoom: 0, name: '区', nameEn: 'Districts' },
  { level: 'street', minzoom: 9, name: '街道', nameEn: 'Streets' },
  { level: 'community', minzoom: 11, name: '社区', nameEn: 'Communities' },
  { level: 'grid', minzoom: 12, name: '网格', nameEn: 'Grids' },
];

/** Zoom from which an entity layer is drawn (a city's 10,000 cameras fit one tile at zoom 8). */
export const ENTITY_MINZOOM = 8;
/** Zoom from which a heat layer is drawn. */
export const HEAT_MINZOOM = 8;
/** The zoom a client fetches tiles up to; beyond it MapLibre draws the zoom-16 tile larger. */
export const LAYER_MAXZOOM = 16;

/** What a layer key names. Feed and metric keys never hold `~`, so it separates them in a heat key. */
export type LayerRef =
  | { kind: 'areas' }
  | { kind: 'cases' }
  | { kind: 'area-level'; level: AreaLevel; minzoom: number }
  | { kind: 'entities'; feedKey: string }
  | { kind: 'heat'; feedKey: string; metric: string };

export const entityLayerKey = (feedKey: string) => `entities-${feedKey}`;
export const heatLayerKey = (feedKey: string, metric: string) => `heat-${feedKey}~${metric}`;

/** Reads a layer key's shape; null when it names no kind of layer (whether the feed exists is checked after). */
export function parseLayerKey(key: string): LayerRef | null {
  if (key === 'areas') return { kind: 'areas' };
  if (key === CASES_LAYER_KEY) return { kind: 'cases' };
  if (key.startsWith('areas-')) {
    const entry = AREA_LEVEL_LAYERS.find((l) => `areas-${l.level}` === key);
    return entry ? { kind: 'area-level', level: entry.level, minzoom: entry.minzoom } : null;
  }
  if (key.startsWith('entities-') && key.length > 'entities-'.length) return { kind: 'entities', feedKey: key.slice('entities-'.length) };
  const heat = /^heat-([^~]+)~([^~]+)$/.exec(key);
  if (heat) return { kind: 'heat', feedKey: heat[1], metric: heat[2] };
  return null;
}
