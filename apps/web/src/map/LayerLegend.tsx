import type { LayerView } from '@cityops/contracts';
import type { Lang, Translate } from '../i18n';

/** A zone set's colour (catalog-layer.style draws zone sets in it). */
const ZONE_SET_COLOR = '#c47dff';
const FALLBACK_COLOR = '#5b8def';

/** What a catalog layer's colour stands for, from its legend hint ('' when nothing needs saying). */
export function layerLegendText(layer: LayerView, t: Translate, lang: Lang): string {
  if (layer.kind === 'geojson') return '';
  if (layer.kind === 'cases') return t('mapLegendCases');
  if (layer.kind === 'live') {
    const metric = layer.metrics[0];
    if (metric && metric.min !== null && metric.max !== null) {
      const name = lang === 'en' ? metric.key : (metric.name ?? metric.key);
      return t('mapLegendLiveMetric', { metric: name, min: metric.min, max: metric.max, unit: metric.unit ?? '' });
    }
    return t('mapLegendLive');
  }
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
