import type { LayerView } from '@cityops/contracts';
import type { Translate } from '../i18n';

/** A zone set's colour (catalog-layer.style draws zone sets in it). */
const ZONE_SET_COLOR = '#c47dff';
const FALLBACK_COLOR = '#5b8def';

/** What a catalog layer's colour stands for, from its legend hint ('' when nothing needs saying). */
export function layerLegendText(layer: LayerView, t: Translate): string {
  if (layer.kind === 'geojson') return '';
  switch (layer.legend?.property) {
    case 'count':
      return `${t('mapLegendCount')}${layer.legend.unit ? ` (${layer.legend.unit})` : ''}`;
    case 'status':
      return t('mapLegendStatus');
    case 'level':
      return t('mapLegendLevel');
    default:
      return '';
  }
}

/** The layer's symbol in its colour, as its legend hint says to draw it (the analyst's panel and the wall's legend). */
export function LayerSymbol({ layer }: { layer: LayerView }) {
  const symbol = layer.kind === 'geojson' ? 'fill' : (layer.legend?.symbol ?? 'line');
  const color = layer.kind === 'geojson' ? ZONE_SET_COLOR : (layer.legend?.color ?? FALLBACK_COLOR);
  return <span className={`legend-symbol legend-symbol--${symbol}`} style={{ color }} aria-hidden="true" />;
}
