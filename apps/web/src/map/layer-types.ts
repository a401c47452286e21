import type { Map as MapLibreMap, MapOptions } from 'maplibre-gl';

/** Layer specifications as `Map.addLayer` takes them, narrowed by type. */
type AddLayerArgument = Parameters<MapLibreMap['addLayer']>[0];
type SpecOf<T extends string> = Extract<AddLayerArgument, { type: T; source: string }>;

export type LineLayerSpec = SpecOf<'line'>;
export type FillLayerSpec = SpecOf<'fill'>;
export type BackgroundLayerSpec = Extract<AddLayerArgument, { type: 'background' }>;
export type StyleSpec = Exclude<MapOptions['style'], string | undefined>;
export type SourceSpec = Parameters<MapLibreMap['addSource']>[1];
export type LinePaint = NonNullable<LineLayerSpec['paint']>;
export type FillPaint = NonNullable<FillLayerSpec['paint']>;
export type ColorExpression = NonNullable<LinePaint['line-color']>;
export type SymbolLayerSpec = SpecOf<'symbol'>;
export type CircleLayerSpec = SpecOf<'circle'>;
