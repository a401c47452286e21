import { GLYPHS_PATH, LABEL_FONT_STACK } from '@cityops/contracts';
import type { ArchiveInfo } from './tile-archive';

export type StyleLanguage = 'zh' | 'en';

/** The source id of the archive in the style; our own layers go on top of the style's. */
export const ARCHIVE_SOURCE_ID = 'basemap';

/**
 * A dark MapLibre style for an archive in the OpenMapTiles schema (what planetiler and tilemaker
 * write by default): water, waterways, roads by class, boundaries, road names along the lines
 * from zoom 11, places. Style layers whose source layer the archive does not list are left out
 * (MapLibre reports them as errors). Colours sit under the
 * wall's layers (dark blue ground, muted roads) so the city's data stays what stands out.
 * Label text is the name in the page's language, falling back to the local name.
 */
export function buildArchiveStyle(origin: string, info: ArchiveInfo, lang: StyleLanguage): Record<string, unknown> {
  const name: unknown[] =
    lang === 'en'
      ? ['coalesce', ['get', 'name:en'], ['get', 'name_en'], ['get', 'name:latin'], ['get', 'name']]
      : ['coalesce', ['get', 'name:zh'], ['get', 'name_zh'], ['get', 'name']];
  const road = (classes: string[]) => ['match', ['get', 'class'], classes, true, false];
  const listed = new Set(info.vectorLayers.map((l) => l.id));
  const inArchive = (layer: Record<string, unknown>) =>
    typeof layer['source-layer'] !== 'string' || listed.size === 0 || listed.has(layer['source-layer']);
  return {
    version: 8,
    name: 'cityops-basemap',
    glyphs: `${origin}${GLYPHS_PATH}`,
    sources: {
      [ARCHIVE_SOURCE_ID]: { type: 'vector', url: `${origin}/api/basemap/tiles.json` },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#060c17' } },
      {
        id: 'basemap-water',
        type: 'fill',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'water',
        paint: { 'fill-color': '#0c2744', 'fill-opacity': 0.9 },
      },
      {
        id: 'basemap-waterway',
        type: 'line',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'waterway',
        paint: { 'line-color': '#0f3358', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 14, 3] },
      },
      {
        id: 'basemap-road-minor',
        type: 'line',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'transportation',
        minzoom: 12,
        filter: road(['minor', 'service', 'tertiary', 'track', 'path']),
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#1a2a40', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.5, 16, 3] },
      },
      {
        id: 'basemap-road-major',
        type: 'line',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'transportation',
        filter: road(['motorway', 'trunk', 'primary', 'secondary']),
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#24395a', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 12, 1.5, 16, 6] },
      },
      {
        id: 'basemap-boundary',
        type: 'line',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'boundary',
        paint: { 'line-color': '#3a4f6e', 'line-dasharray': [3, 2], 'line-width': 1 },
      },
      {
        id: 'basemap-road-name',
        type: 'symbol',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'transportation_name',
        minzoom: 11,
        layout: {
          'symbol-placement': 'line',
          'text-field': name,
          'text-font': [...LABEL_FONT_STACK],
          'text-size': ['interpolate', ['linear'], ['zoom'], 11, 10, 16, 13],
        },
        paint: { 'text-color': '#7f93b3', 'text-halo-color': '#060c17', 'text-halo-width': 1.2 },
      },
      {
        id: 'basemap-place',
        type: 'symbol',
        source: ARCHIVE_SOURCE_ID,
        'source-layer': 'place',
        layout: {
          'text-field': name,
          'text-font': [...LABEL_FONT_STACK],
          'text-size': ['match', ['get', 'class'], ['city', 'town'], 16, 12],
          'text-max-width': 8,
        },
        paint: { 'text-color': '#9fb4d4', 'text-halo-color': '#060c17', 'text-halo-width': 1.5 },
      },
    ].filter(inArchive),
    ...(info.center ? { center: [info.center[0], info.center[1]], zoom: info.center[2] } : {}),
  };
}
