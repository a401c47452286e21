/**
 * The analyst map's view in the URL (`history.replaceState`), so a reload or a shared link
 * restores it. Every parameter is read on its own: a bad one is dropped (the default is used),
 * never an error, since a URL is typed and pasted by people.
 */

/** The area levels a choropleth can be drawn at. */
export const CHOROPLETH_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type ChoroplethLevel = (typeof CHOROPLETH_LEVELS)[number];

export interface MapCamera {
  center: [number, number];
  zoom: number;
  pitch: number;
  bearing: number;
}

/** A visible layer of the catalog and its opacity (0–1). */
export interface VisibleLayer {
  key: string;
  opacity: number;
}

export interface MapUrlState {
  /** Null: no camera in the URL (the map fits the city). */
  camera: MapCamera | null;
  /** Drawing order, bottom first. */
  layers: VisibleLayer[];
  indicator: string | null;
  level: ChoroplethLevel;
  /** The area drilled into; null = the whole city. */
  area: number | null;
}

export const DEFAULT_MAP_STATE: MapUrlState = { camera: null, layers: [], indicator: null, level: 'district', area: null };

/** The parameters this module owns; any other (e.g. `lang`) is left as it is. */
const OWN = ['c', 'z', 'p', 'b', 'l', 'i', 'lv', 'a'] as const;

/** Layer and indicator keys: the characters catalog keys are made of (a heat key holds `~`). */
const KEY = /^[A-Za-z0-9._~-]{1,200}$/;
const MAX_LAYERS = 50;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const round = (value: number, digits: number) => Number(value.toFixed(digits));

function finite(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function decodeCamera(params: URLSearchParams): MapCamera | null {
  const centre = params.get('c')?.split(',') ?? [];
  if (centre.length !== 2) return null;
  const [lon, lat] = centre.map((part) => finite(part));
  const zoom = finite(params.get('z'));
  if (lon === null || lat === null || zoom === null) return null;
  if (lon < -180 || lon > 180 || lat < -85 || lat > 85) return null;
  return {
    center: [lon, lat],
    zoom: clamp(zoom, 0, 22),
    pitch: clamp(finite(params.get('p')) ?? 0, 0, 85),
    bearing: clamp(finite(params.get('b')) ?? 0, -180, 180),
  };
}

function decodeLayers(text: string | null): VisibleLayer[] {
  if (!text) return [];
  const seen = new Set<string>();
  const layers: VisibleLayer[] = [];
  for (const part of text.split(',')) {
    const [key, opacityText, ...rest] = part.split('@');
    if (rest.length > 0 || !KEY.test(key) || seen.has(key)) continue;
    const percent = opacityText === undefined ? 100 : finite(opacityText);
    if (percent === null) continue;
    seen.add(key);
    layers.push({ key, opacity: clamp(Math.round(percent), 0, 100) / 100 });
    if (layers.length === MAX_LAYERS) break;
  }
  return layers;
}

export function decodeMapState(search: string): MapUrlState {
  const params = new URLSearchParams(search);
  const indicator = params.get('i');
  const level = params.get('lv');
  const area = params.get('a');
  return {
    camera: decodeCamera(params),
    layers: decodeLayers(params.get('l')),
    indicator: indicator !== null && KEY.test(indicator) ? indicator : null,
    level: CHOROPLETH_LEVELS.find((l) => l === level) ?? DEFAULT_MAP_STATE.level,
    area: area !== null && /^[1-9][0-9]{0,9}$/.test(area) && Number(area) <= 2 ** 31 - 1 ? Number(area) : null,
  };
}

/** The query string for `state`, keeping the parameters of `search` this module does not own. */
export function encodeMapState(state: MapUrlState, search = ''): string {
  const params = new URLSearchParams(search);
  for (const key of OWN) params.delete(key);
  if (state.camera) {
    const { center, zoom, pitch, bearing } = state.camera;
    params.set('c', `${round(center[0], 5)},${round(center[1], 5)}`);
    params.set('z', String(round(zoom, 2)));
    if (round(pitch, 0) !== 0) params.set('p', String(round(pitch, 0)));
    if (round(bearing, 0) !== 0) params.set('b', String(round(bearing, 0)));
  }
  if (state.layers.length > 0) params.set('l', state.layers.map((l) => `${l.key}@${Math.round(l.opacity * 100)}`).join(','));
  if (state.indicator) params.set('i', state.indicator);
  if (state.level !== DEFAULT_MAP_STATE.level) params.set('lv', state.level);
  if (state.area !== null) params.set('a', String(state.area));
  const text = params.toString();
  return text ? `?${text}` : '';
}
