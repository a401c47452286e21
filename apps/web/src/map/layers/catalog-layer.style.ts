import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LayerView } from '@cityops/contracts';
import type { SourceSpec } from '../layer-types';

type AddLayerArgument = Parameters<MapLibreMap['addLayer']>[0];
/** A layer specification of any drawing type, as `Map.addLayer` takes it. */
export type AnyLayerSpec = Extract<AddLayerArgument, { source: string }>;

type VectorLayerView = Extract<LayerView, { kind: 'vector' }>;
type GeojsonLayerView = Extract<LayerView, { kind: 'geojson' }>;

const FALLBACK_COLOR = '#5b8def';

/** Source id of a catalog layer; its map layers' ids start with it. */
export const catalogSourceId = (key: string) => `catalog:${key}`;

/** The map layers a catalog layer draws, bottom first (a fill has its outline above it). */
export function catalogLayerIds(layer: LayerView): string[] {
  const id = catalogSourceId(layer.key);
  if (layer.kind === 'geojson') return [`${id}:fill`, `${id}:line`];
  // Rings under the points, overdue marks above (cases-layer.style).
  if (layer.kind === 'cases') return [`${id}:ring`, id, `${id}:overdue`];
  return layer.legend?.symbol === 'fill' ? [`${id}:fill`, `${id}:line`] : [id];
}

/** A vector layer's tile URLs on this origin. */
export const catalogTileUrls = (layer: VectorLayerView, origin: string): string[] => [`${origin}${layer.tiles}`];

export function catalogVectorSource(layer: VectorLayerView, origin: string): SourceSpec {
  return {
    type: 'vector',
    tiles: catalogTileUrls(layer, origin),
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
  };
}

/** Areas' outlines: the coarser the level, the heavier the line. */
const AREA_LINE_WIDTH = ['match', ['get', 'level'], 'city', 2.4, 'district', 1.8, 'street', 1.1, 'community', 0.8, 0.5] as const;

/** Cameras and other entities: their status picks the colour (offline grey, fault red). */
const entityColor = (color: string) => ['match', ['get', 'status'], 'offline', '#8a94a6', 'fault', '#ff3b30', color] as const;

/**
 * How a vector layer of the catalog is drawn, from its legend hint: outlines, filled areas,
 * points or a heat map (weighted by the tile's `count`). Opacity is applied on top by the layer
 * component, through `opacityPaint`.
 */
export function catalogVectorLayers(layer: VectorLayerView): AnyLayerSpec[] {
  const id = catalogSourceId(layer.key);
  const color = layer.legend?.color ?? FALLBACK_COLOR;
  const common = { source: id, 'source-layer': layer.sourceLayer, minzoom: layer.minzoom } as const;
  switch (layer.legend?.symbol) {
    case 'fill':
      return [
        { id: `${id}:fill`, type: 'fill', ...common, paint: { 'fill-color': color, 'fill-opacity': 0.3 } },
        { id: `${id}:line`, type: 'line', ...common, paint: { 'line-color': color, 'line-width': 1 } },
      ];
    case 'circle':
      return [
        {
          id,
          type: 'circle',
          ...common,
          paint: {
            'circle-color': entityColor(color) as unknown as string,
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 12, 3.5, 16, 7],
            'circle-stroke-color': '#0b1424',
            'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 8, 0, 12, 1],
          },
        },
      ];
    case 'heatmap':
      return [
        {
          id,
          type: 'heatmap',
          ...common,
          paint: {
            'heatmap-weight': ['interpolate', ['linear'], ['coalesce', ['get', 'count'], 1], 0, 0, 20, 1],
            'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 14, 1.5],
            'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 8, 8, 14, 24],
            'heatmap-color': [
              'interpolate',
              ['linear'],
              ['heatmap-density'],
              0,
              'rgba(0,0,0,0)',
              0.2,
              '#2f8fce',
              0.5,
              '#f2d15c',
              0.8,
              '#f08a3e',
              1,
              color,
            ],
          },
        },
      ];
    default:
      return [
        {
          id,
          type: 'line',
          ...common,
          paint: {
            'line-color': color,
            'line-width': layer.sourceLayer === 'areas' ? (AREA_LINE_WIDTH as unknown as number) : 1.2,
          },
        },
      ];
  }
}

/** A zone set (small, fetched whole): translucent fills with their outlines. */
export function zoneSetLayers(layer: GeojsonLayerView): AnyLayerSpec[] {
  const id = catalogSourceId(layer.key);
  return [
    { id: `${id}:fill`, type: 'fill', source: id, paint: { 'fill-color': '#c47dff', 'fill-opacity': 0.25 } },
    { id: `${id}:line`, type: 'line', source: id, paint: { 'line-color': '#c47dff', 'line-width': 2 } },
  ];
}

/** The paint properties that carry a map layer's opacity, at the layer's own opacity `o` (0–1). */
export function opacityPaint(type: AnyLayerSpec['type'], o: number): Record<string, number> {
  switch (type) {
    case 'fill':
      return { 'fill-opacity': 0.3 * o };
    case 'line':
      return { 'line-opacity': o };
    case 'circle':
      return { 'circle-opacity': o, 'circle-stroke-opacity': o };
    case 'heatmap':
      return { 'heatmap-opacity': o };
    case 'fill-extrusion':
      return { 'fill-extrusion-opacity': o };
    default:
      return {};
  }
}
